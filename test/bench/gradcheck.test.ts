// The bench's gradient gate (what makes `npm run bench -- --quick` exit 1): equal gradients pass,
// a gradient off by more than the float32 tolerance fails, and so does a NaN.
import { describe, expect, it } from "vitest";
import { compare, F32_TOL, relErr, type LossAndGrads } from "../../bench/lib/gradcheck.ts";
import { workloadById } from "../../bench/workloads.ts";

const w = workloadById("w1");
const base = (): LossAndGrads => ({ loss: 0.9, grads: [Float64Array.from([1, -2, 3]), Float64Array.from([0.5]), Float64Array.from([0, 4]), Float64Array.from([-1])] });

describe("gradient gate", () => {
  it("passes equal and float32-close gradients", () => {
    expect(compare(w, "same", base(), base(), F32_TOL).ok).toBe(true);
    const close = base();
    (close.grads[0] as Float64Array)[1] = -2 * (1 + 1e-6);
    expect(compare(w, "close", close, base(), F32_TOL).ok).toBe(true);
  });

  it("fails a wrong gradient, a wrong loss and a NaN, and names the worst tensor", () => {
    const wrong = base();
    (wrong.grads[2] as Float64Array)[1] = 4.1;
    const r = compare(w, "wrong", wrong, base(), F32_TOL);
    expect(r.ok).toBe(false);
    expect(r.worstGrad).toBe("W2");
    expect(compare(w, "loss", { ...base(), loss: 0.95 }, base(), F32_TOL).ok).toBe(false);
    const nan = base();
    (nan.grads[3] as Float64Array)[0] = NaN;
    expect(compare(w, "nan", nan, base(), F32_TOL).ok).toBe(false);
  });

  it("measures error relative to the largest entry of the tensor", () => {
    expect(relErr([1, 100], [1.5, 100])).toBeCloseTo(0.005);
    expect(relErr([1, 2], [1, 2, 3])).toBe(Infinity);
  });
});
