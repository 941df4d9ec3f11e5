// Initializers (fans, ranges, moments, reproducibility) and learning-rate schedules.
import { describe, expect, it } from "vitest";
import type { InitSpec } from "../../src/train-spec.ts";
import { fans, initParams, initTensor } from "../../src/runtime/init.ts";
import { scheduledLr } from "../../src/runtime/schedule.ts";

function draw(spec: InitSpec, shape: number[], seed = 7, name = "W"): Float64Array {
  const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
  initTensor(spec, shape, out, seed, name);
  return out;
}
const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: Float64Array) => {
  const m = mean(a);
  return Math.sqrt(a.reduce((s, v) => s + (v - m) ** 2, 0) / a.length);
};

describe("initializers", () => {
  it("take fan_in from shape[0] and fan_out from shape[1] (x @ W with W: [in, out])", () => {
    expect(fans([784, 15])).toEqual({ fanIn: 784, fanOut: 15 });
    expect(fans([15])).toEqual({ fanIn: 15, fanOut: 15 });
    expect(fans([])).toEqual({ fanIn: 1, fanOut: 1 });
    // a convolution kernel [out, in, kh, kw], as PyTorch: fan_in = in·kh·kw, fan_out = out·kh·kw
    expect(fans([6, 1, 5, 5])).toEqual({ fanIn: 25, fanOut: 150 });
    expect(fans([16, 6, 3])).toEqual({ fanIn: 18, fanOut: 48 });
  });

  it("fill, zeros and ones", () => {
    expect(Array.from(draw({ kind: "fill", value: 0.8 }, [2]))).toEqual([0.8, 0.8]);
    expect(Array.from(draw({ kind: "zeros" }, [3]))).toEqual([0, 0, 0]);
    expect(Array.from(draw({ kind: "ones" }, [])).length).toBe(1);
  });

  it("xavier is uniform within ±sqrt(6 / (fan_in + fan_out)) and fills that range", () => {
    const w = draw({ kind: "xavier" }, [784, 15]);
    const limit = Math.sqrt(6 / (784 + 15));
    expect(Math.max(...w)).toBeLessThanOrEqual(limit);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-limit);
    expect(Math.max(...w)).toBeGreaterThan(0.99 * limit);
    expect(std(w)).toBeCloseTo(limit / Math.sqrt(3), 3);
  });

  it("he is normal with std sqrt(2 / fan_in)", () => {
    const w = draw({ kind: "he" }, [200, 100]);
    expect(Math.abs(mean(w))).toBeLessThan(0.003);
    expect(std(w) / Math.sqrt(2 / 200)).toBeCloseTo(1, 1);
  });

  it("normal(mean, std) and uniform(lo, hi)", () => {
    const n = draw({ kind: "normal", mean: 3, std: 0.5 }, [20000]);
    expect(mean(n)).toBeCloseTo(3, 1);
    expect(std(n)).toBeCloseTo(0.5, 1);
    const u = draw({ kind: "uniform", lo: -2, hi: 1 }, [20000]);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(mean(u)).toBeCloseTo(-0.5, 1);
  });

  it("draw the same numbers for the same seed and name, others for another seed or name", () => {
    const a = draw({ kind: "xavier" }, [10, 10], 1, "W1");
    expect(draw({ kind: "xavier" }, [10, 10], 1, "W1")).toEqual(a);
    expect(draw({ kind: "xavier" }, [10, 10], 2, "W1")).not.toEqual(a);
    expect(draw({ kind: "xavier" }, [10, 10], 1, "W2")).not.toEqual(a);
  });

  it("initParams allocates in the model's dtype", () => {
    const [t] = initParams([{ name: "w", shape: [3], size: 3, init: { kind: "ones" } }], "f32", 0);
    expect(t).toBeInstanceOf(Float32Array);
  });
});

describe("schedules (epoch-based)", () => {
  it("constant, step(every, factor) and exponential(rate)", () => {
    expect([0, 5, 100].map((e) => scheduledLr(0.1, { kind: "constant" }, e))).toEqual([0.1, 0.1, 0.1]);
    const step = { kind: "step", every: 3, factor: 0.5 } as const;
    expect([0, 2, 3, 5, 6, 9].map((e) => scheduledLr(1, step, e))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
    const exp = { kind: "exponential", rate: 0.9 } as const;
    expect(scheduledLr(2, exp, 0)).toBe(2);
    expect(scheduledLr(2, exp, 3)).toBeCloseTo(2 * 0.729, 15);
  });
});
