// gelu's Φ (src/ops/normal_cdf.ts) against 50-digit values (mpmath): relative error below 1e-15
// from the far left tail (1e-198) to 1, and the emitted prelude is the same function.
import { describe, expect, it } from "vitest";
import { transformSync } from "esbuild";
import { normalCdf, normalCdfPrelude } from "../../src/ops/normal_cdf.ts";
import { gelu } from "../../src/ops/gelu.ts";

// [x, Φ(x)] from mpmath.ncdf at 50 digits, rounded to float64
const REFERENCE: [number, number][] = [
  [-30, 4.906713927148187e-198],
  [-10, 7.619853024160525e-24],
  [-6, 9.86587645037698e-10],
  [-3.7, 0.00010779973347738826],
  [-3.5, 0.00023262907903552504],
  [-2.9, 0.0018658133003840384],
  [-2, 0.02275013194817921],
  [-1.5, 0.06680720126885807],
  [-1, 0.15865525393145705],
  [-0.5, 0.3085375387259869],
  [-1e-08, 0.4999999960105772],
  [0, 0.5],
  [1e-08, 0.5000000039894228],
  [0.3, 0.6179114221889527],
  [1, 0.8413447460685429],
  [1.5, 0.9331927987311419],
  [2.2, 0.9860965524865014],
  [2.9, 0.998134186699616],
  [3.5, 0.9997673709209645],
  [3.6, 0.9998408914098424],
  [5, 0.9999997133484281],
  [8, 0.9999999999999993],
  [10, 1.0],
  [37, 1.0],
];

describe("normal_cdf (Φ, for gelu)", () => {
  it.each(REFERENCE)("Φ(%d) to 1e-15 relative", (x, phi) => {
    expect(Math.abs(normalCdf(x) - phi) / phi).toBeLessThan(1e-15);
  });

  it("is finite and monotone far out, NaN for NaN", () => {
    expect(normalCdf(-40)).toBeGreaterThanOrEqual(0);
    expect(normalCdf(Infinity)).toBe(1);
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(NaN)).toBeNaN();
    let prev = 0;
    for (let x = -8; x <= 8; x += 0.01) {
      const v = normalCdf(x);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });

  it("the emitted prelude computes the same numbers", () => {
    const js = transformSync(normalCdfPrelude.code, { loader: "ts" }).code;
    const emitted = new Function(`${js}\nreturn normalCdf;`)() as (x: number) => number;
    for (const [x] of REFERENCE) expect(emitted(x)).toBe(normalCdf(x));
  });

  it("gelu(x) = x·Φ(x), PyTorch's exact form: gelu(1) = 0.8413447460685429, gelu(-3) = -0.00404969409489…", () => {
    const at = (x: number) => gelu.eval([Float64Array.of(x)], [[]], {}, [])[0]!;
    expect(Math.abs(at(1) - 0.8413447460685429)).toBeLessThan(2e-16);
    expect(Math.abs(at(-3) - -0.0040496940948902835) / 0.0040496940948902835).toBeLessThan(1e-15);
  });
});
