// The values `netc check` draws when none are given: params from their initializers with the
// seed, defaults where declared, N(0, 1) inputs, one-hot rows for rank-2 targets, U(0, 1) others.
import { describe, expect, it } from "vitest";
import { frontEnd } from "../../src/compile.ts";
import { drawPoint, positiveInputs } from "../../src/gradcheck/draw.ts";
import { initTensor } from "../../src/runtime/init.ts";

const { model } = frontEnd(`dim B = 50
input x: [B, 4]
input s = 3
target y: [B, 3]
target t: [B]
param W: [4, 3] = xavier
param c = 0.25
loss L = mean((x @ W - y)^2) + mean(t) * s * c
`);

describe("drawn values", () => {
  const point = drawPoint(model, 7);

  it("params come from their initializers with the seed", () => {
    const W = new Float64Array(12);
    initTensor({ kind: "xavier" }, [4, 3], W, 7, "W");
    expect(point.get("W")).toEqual(W);
    expect(point.get("c")).toEqual(Float64Array.of(0.25));
  });

  it("defaults are used; inputs look N(0, 1); rank-2 targets are one-hot rows; other targets U(0, 1)", () => {
    expect(point.get("s")).toEqual(Float64Array.of(3));
    const x = point.get("x")!;
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    expect(Math.abs(mean)).toBeLessThan(0.25);
    expect(sd).toBeGreaterThan(0.75);
    expect(sd).toBeLessThan(1.25);
    const y = point.get("y")!;
    for (let r = 0; r < 50; r++) {
      const row = Array.from(y.subarray(3 * r, 3 * r + 3));
      expect(row.filter((v) => v === 1)).toHaveLength(1);
      expect(row.filter((v) => v === 0)).toHaveLength(2);
    }
    expect(point.get("t")!.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it("is reproducible for a seed and differs across seeds", () => {
    expect(drawPoint(model, 7).get("x")).toEqual(point.get("x"));
    expect(drawPoint(model, 8).get("x")).not.toEqual(point.get("x"));
  });

  it("positiveInputs redraws only inputs without a default, in [0.5, 2)", () => {
    const p = positiveInputs(model, point, 7);
    expect(p.get("x")!.every((v) => v >= 0.5 && v < 2)).toBe(true);
    expect(p.get("s")).toEqual(point.get("s"));
    expect(p.get("W")).toEqual(point.get("W"));
  });
});
