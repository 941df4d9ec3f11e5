// `netc fmt`: on every example and every model the tests hold, formatting is idempotent and keeps
// the meaning (the same `--emit ir` text); comments stay where they were; long expressions break at
// their operators; --check and --write behave as the CLI contract says.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { frontEnd, toIR } from "../../src/compile.ts";
import { NetcError } from "../../src/diagnostics.ts";
import { formatNet } from "../../src/fmt/index.ts";
import { printIRStages } from "../../src/ir/print.ts";
import { randomModel } from "../codegen/random-model.ts";
import { exampleModels, testModels, type Model } from "./corpus.ts";
import { relayout } from "./relayout.ts";

/** What `netc compile FILE --emit ir` prints, or null when the model does not compile. */
function irText(source: string): string | null {
  let front;
  try {
    front = frontEnd(source, { file: "model.net" });
  } catch (err) {
    if (err instanceof NetcError) return null;
    throw err;
  }
  return printIRStages(toIR(front.model), "ir");
}

/** Formats each model twice; returns how many compiled (and so had their IR compared). */
async function checkModels(models: Model[]): Promise<number> {
  let compiled = 0;
  for (const m of models) {
    const once = await formatNet(m.source, m.name);
    expect(await formatNet(once, m.name), `${m.name}: formatting twice`).toBe(once);
    const ir = irText(m.source);
    if (ir !== null) {
      compiled++;
      expect(irText(once), `${m.name}: IR after formatting`).toBe(ir);
    }
  }
  return compiled;
}

describe("netc fmt on the examples and the test models", () => {
  it("the examples are formatted, and formatting them keeps their IR", async () => {
    const models = exampleModels();
    expect(models.length).toBeGreaterThanOrEqual(9);
    for (const m of models) expect(await formatNet(m.source, m.name), m.name).toBe(m.source);
    expect(await checkModels(models)).toBe(models.length);
  });

  it("every model written in the tests formats idempotently with the same IR", async () => {
    const models = testModels();
    expect(models.length).toBeGreaterThan(150);
    const compiled = await checkModels(models);
    expect(compiled).toBeGreaterThan(100);
  });

  it("random models, re-laid out with random spacing and comments, format to the same IR", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), fc.array(fc.nat(6), { minLength: 400, maxLength: 400 }), async (seed, gaps) => {
        const source = relayout(randomModel(seed, { named: seed % 2 === 0 }), gaps);
        const once = await formatNet(source, "random.net");
        expect(await formatNet(once, "random.net")).toBe(once);
        expect(irText(once)).toBe(irText(source));
        for (const line of once.split("\n")) if (!line.includes("#")) expect(line.length).toBeLessThanOrEqual(80);
      }),
      { numRuns: 25 },
    );
  });

  it("examples with comments, line breaks and brackets inserted anywhere: parse errors or faithful formatting", async () => {
    const sources = exampleModels().map((m) => m.source);
    const pieces = ["# c\n", "\n", " ", "# x\n  ", "(", ")", ";", "\n\n", ",", "-", "^"];
    let formatted = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(sources.length - 1), fc.array(fc.tuple(fc.nat(10_000), fc.nat(pieces.length)), { minLength: 1, maxLength: 4 }), async (which, edits) => {
        let s = sources[which]!;
        for (const [at, piece] of edits) {
          const i = at % s.length;
          s = piece === pieces.length ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + pieces[piece] + s.slice(i);
        }
        let once: string;
        try {
          once = await formatNet(s, "mutated.net"); // checks AST and comments itself
        } catch (err) {
          if (err instanceof NetcError) return; // a syntax error, reported as FILE:LINE:COL
          throw err;
        }
        formatted++;
        expect(await formatNet(once, "mutated.net")).toBe(once);
      }),
      { numRuns: 150 },
    );
    expect(formatted).toBeGreaterThan(25);
  });
});
