// The numeric core of the gradient check: the relative-error formula, kink detection, and the
// probes (every coordinate of small tensors, random directions of large ones), on IR built by hand.
import { describe, expect, it } from "vitest";
import { Builder } from "../../src/ir/builder.ts";
import { createRng } from "../../src/runtime/rng.ts";
import { relativeError, TOLERANCES } from "../../src/gradcheck/tolerance.ts";
import { crossesKink } from "../../src/gradcheck/kinks.ts";
import { MAX_COORDINATES, DIRECTIONS, probeGradient, ScalarFunction } from "../../src/gradcheck/probe.ts";

const { h, tol } = TOLERANCES.f64;
const rel = (a: number, n: number) => relativeError(a, n, 1e-3);

describe("relative error", () => {
  it.each([
    // analytic, numeric, floor, expected
    [1, 1, 1e-3, 0],
    [2, 1, 1e-3, 0.5],
    [-1, 1, 1e-3, 2],
    [1e-9, 0, 1e-3, 1e-6], // below the floor: judged against the floor
    [0, 0, 0, 0],
    [NaN, 1, 1e-3, Infinity],
    [Infinity, 1, 1e-3, Infinity],
  ])("a = %d, n = %d, floor %d → %d", (a, n, floor, expected) => {
    expect(relativeError(a, n, floor)).toBeCloseTo(expected, 12);
  });
});

describe("kinks", () => {
  it("a sign change of any switch between the two sides is a crossing; touching zero counts", () => {
    const a = Float64Array.of(1, -2);
    expect(crossesKink([a], [Float64Array.of(1, -2)])).toBe(false);
    expect(crossesKink([a], [Float64Array.of(1, 2)])).toBe(true);
    expect(crossesKink([a], [Float64Array.of(0, -2)])).toBe(true);
  });
});

/** f(x) = sum(relu(x) * x) (derivative 2x where x > 0, 0 below), at a given x. */
function reluSquare(x: Float64Array) {
  const b = new Builder();
  const xn = b.input("x", [x.length]);
  const f = new ScalarFunction(b.sum(b.mul(b.fn("relu", xn), xn)));
  const g = x.map((v) => (v > 0 ? 2 * v : 0));
  return { f, g, point: new Map([["x", x]]) };
}

describe("probes", () => {
  it("probes every coordinate of a small tensor and agrees with the exact gradient", () => {
    const { f, g, point } = reluSquare(Float64Array.of(0.5, -1.5, 2, 3));
    const s = probeGradient(f, point, "x", [4], g, { h, rng: createRng(0), relError: rel });
    expect(s.probes.map((p) => p.where)).toEqual(["[0]", "[1]", "[2]", "[3]"]);
    expect(s.skipped).toBe(0);
    for (const p of s.probes) expect(p.rel).toBeLessThan(tol);
  });

  it("skips a coordinate at relu's kink (every step crosses it), and counts it", () => {
    const { f, g, point } = reluSquare(Float64Array.of(0.5, 0, 2));
    const s = probeGradient(f, point, "x", [3], g, { h, rng: createRng(0), relError: rel });
    expect(s.skipped).toBe(1);
    expect(s.probes.map((p) => p.where)).toEqual(["[0]", "[2]"]);
  });

  it("uses random directions for a large tensor and catches a wrong gradient", () => {
    const n = MAX_COORDINATES + 36;
    const rng = createRng(3);
    const x = Float64Array.from({ length: n }, () => rng.normal());
    const { f, g, point } = reluSquare(x);
    const good = probeGradient(f, point, "x", [n], g, { h, rng: createRng(1), relError: rel });
    expect(good.probes.map((p) => p.where)).toEqual(Array.from({ length: DIRECTIONS }, (_, i) => `direction ${i + 1}`));
    for (const p of good.probes) expect(p.rel).toBeLessThan(tol);
    const wrong = g.map((v, i) => (i === 7 ? v + 0.5 : v));
    const bad = probeGradient(f, point, "x", [n], wrong, { h, rng: createRng(1), relError: rel });
    expect(Math.max(...bad.probes.map((p) => p.rel))).toBeGreaterThan(1e-3);
  });
});
