// The hand-written reference of the benchmarks (784-15-10 sigmoid MLP, sum-of-squares loss):
// its hand-derived gradients must match central finite differences of its own loss.
import { describe, expect, it } from "vitest";
import { Mlp784x15x10 } from "../../bench/reference/mlp_784_15_10.ts";
import { createRng } from "../../src/runtime/rng.ts";

function setup(B: number) {
  const rng = createRng(7).uniform;
  const rand = (n: number, scale: number) => Float64Array.from({ length: n }, () => (2 * rng() - 1) * scale);
  const params = [rand(784 * 15, 0.2), rand(15, 0.5), rand(15 * 10, 0.8), rand(10, 0.5)];
  const x = Float64Array.from({ length: B * 784 }, () => rng());
  const y = new Float64Array(B * 10);
  for (let i = 0; i < B; i++) y[i * 10 + Math.floor(rng() * 10)] = 1;
  return { params, x, y, rng };
}

describe("hand-written 784-15-10 reference", () => {
  it.each([1, 32])("gradients match central finite differences (B = %i)", (B) => {
    const { params, x, y, rng } = setup(B);
    const net = new Mlp784x15x10(B);
    net.gradient(params, x, y);
    const grads = [net.gW1, net.gb1, net.gW2, net.gb2].map((g) => Float64Array.from(g));
    const probe = new Mlp784x15x10(B);
    const eps = 1e-5;
    for (let p = 0; p < 4; p++) {
      const P = params[p]!;
      // every entry of the small tensors, 100 random entries of W1
      const idx = P.length > 1000 ? Array.from({ length: 100 }, () => Math.floor(rng() * P.length)) : [...P.keys()];
      let worst = 0;
      for (const i of idx) {
        const v = P[i]!;
        P[i] = v + eps;
        const up = probe.loss(params, x, y);
        P[i] = v - eps;
        const down = probe.loss(params, x, y);
        P[i] = v;
        const fd = (up - down) / (2 * eps);
        const g = grads[p]![i]!;
        worst = Math.max(worst, Math.abs(fd - g) / Math.max(1e-6, Math.abs(fd) + Math.abs(g)));
      }
      expect(worst, `param ${p}`).toBeLessThan(1e-5);
    }
  });

  it("step is params − lr·gradient and returns the loss before the update", () => {
    const { params, x, y } = setup(32);
    const net = new Mlp784x15x10(32);
    const loss = net.gradient(params, x, y);
    const expected = params.map((P, p) => P.map((v, i) => v - 0.5 * [net.gW1, net.gb1, net.gW2, net.gb2][p]![i]!));
    const stepped = params.map((P) => Float64Array.from(P));
    expect(net.step(stepped, x, y, 0.5)).toBe(loss);
    for (let p = 0; p < 4; p++) expect(Array.from(stepped[p]!)).toEqual(Array.from(expected[p]!));
  });
});
