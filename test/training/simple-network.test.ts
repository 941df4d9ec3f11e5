// Seed 000's simple network: f = a·w, C = (f − d)², a = 2, d = 1, w starts at 0.8. Its two weight
// tables are exact test data: lr 0.1 reaches w = 0.5 in 25 steps; lr 1.0 diverges.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { simpleModule } from "./fixtures/simple-module.ts";
import { trainCaptured } from "./helpers/run.ts";

// The tutorial's lr 0.1 table, as printed: [c, w, w', f(w')]; row c holds w' after c − 1 updates
// (rows 1–5 and 24–25 are printed; row 1 is the starting point).
const lr01: [number, number, number, number][] = [
  [2, 0.8, 0.56, 1.12],
  [3, 0.56, 0.512, 1.024],
  [4, 0.512, 0.5024, 1.0048],
  [5, 0.5024, 0.50048, 1.00096],
  [24, 0.5000000000000007, 0.5000000000000001, 1.0000000000000002],
  [25, 0.5000000000000001, 0.5, 1.0],
];
const lr10 = [-1.6, 15.2, -102.4, 720.8, -5041.6];

describe("seed 000: the simple network", () => {
  it("with lr 0.1 follows the table and reaches w = 0.5 after 25 steps", async () => {
    const run = await trainCaptured(simpleModule());
    expect(run.steps).toHaveLength(25);
    const w = [0.8, ...run.history.map((p) => p[0]![0]!)]; // w[k]: after k updates
    for (const [c, before, after, f] of lr01) {
      expect(Math.abs(w[c - 2]! - before)).toBeLessThan(1e-15);
      expect(Math.abs(w[c - 1]! - after)).toBeLessThan(1e-15);
      expect(Math.abs(2 * w[c - 1]! - f)).toBeLessThan(1e-15);
    }
    // Every step between the printed rows: w' − 0.5 = (w − 0.5) · (1 − 2·a²·lr) = (w − 0.5) · 0.2.
    let exact = 0.3;
    for (let k = 1; k <= 25; k++) {
      exact *= 0.2;
      expect(Math.abs(w[k]! - 0.5 - exact)).toBeLessThan(1e-15);
    }
    expect(Math.abs(w[25]! - 0.5)).toBeLessThan(1e-15);
    // The losses are those of the w before each step: (2w − 1)², 0.36 first.
    expect(run.steps[0]!.loss).toBeCloseTo(0.36, 15);
    expect(run.output).toContain("step  1/25  loss 0.36  w 0.56");
    expect(run.output).toMatch(/trained 25 steps .*w = 0\.5\b/);
    const saved = JSON.parse(readFileSync(run.files[0]!, "utf8"));
    expect(Math.abs(saved.params.w - 0.5)).toBeLessThan(1e-15);
    expect(saved.step).toBe(25);
  });

  it("with lr 1.0 diverges exactly as the table says", async () => {
    const run = await trainCaptured(simpleModule(), { lr: 1.0, steps: 5 });
    const w = run.history.map((p) => p[0]![0]!);
    expect(w).toHaveLength(5);
    w.forEach((v, i) => expect(Math.abs(v - lr10[i]!)).toBeLessThan(1e-12 * Math.abs(lr10[i]!)));
    expect(run.output).toContain("w -5041.6");
  });
});
