// Random models (fast-check): random compositions of every op of the language with random
// compatible shapes, compiled through the whole pipeline; the generated forward and gradient agree
// with the reference interpreter to 1e-12 relative in float64.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { agreement, irOf, load, randomLeaves } from "./support.ts";
import { randomModel } from "./random-model.ts";

describe("random models: generated code agrees with the interpreter", () => {
  it("every op, random shapes (f64, 1e-12)", async () => {
    let models = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const source = randomModel(seed);
        const ir = irOf(source, `random-${seed}.net`);
        const mod = await load(ir);
        const a = agreement(ir, mod, randomLeaves(ir, seed, -1.5, 1.5));
        const bad = a.errors.filter((e) => !(e.error <= 1e-12));
        if (bad.length > 0) throw new Error(`disagreement ${JSON.stringify(bad)} for model:\n${source}`);
        models++;
      }),
      { numRuns: 60, seed: 20260123 },
    );
    expect(models).toBe(60);
  }, 120_000);

  it("named intermediate bindings read several times (f64, 1e-12)", async () => {
    let models = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const source = randomModel(seed, { named: true });
        const ir = irOf(source, `random-named-${seed}.net`);
        const mod = await load(ir);
        const a = agreement(ir, mod, randomLeaves(ir, seed, -1.5, 1.5));
        const bad = a.errors.filter((e) => !(e.error <= 1e-12));
        if (bad.length > 0) throw new Error(`disagreement ${JSON.stringify(bad)} for model:\n${source}`);
        models++;
      }),
      { numRuns: 60, seed: 20261123 },
    );
    expect(models).toBe(60);
  }, 120_000);
});
