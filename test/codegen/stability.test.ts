// Numerically stable kernels: softmax, log_softmax, logsumexp and cross_entropy with logits of
// ±1,000, and sigmoid and softplus at ±1,000, give finite, correct values and gradients.
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import type { GeneratedModule, Tensor } from "../../src/runtime/contract.ts";

const Z = [1000, -1000, 0, -1000, -1000, 1000]; // [2, 3]
const Y = [0, 0, 1, 0, 0, 1];
const C = [0.5, -1, 2, 1, 3, -2];

async function gradientOf(source: string, values: Record<string, number[]>) {
  const { module } = await compile(source, { file: "stability.net" });
  const m: GeneratedModule = module;
  const params = m.meta.params.map((p) => Float64Array.from(values[p.name]!));
  const data = m.meta.data.map((d) => Float64Array.from(values[d.name]!));
  const r = m.gradient(params, data);
  const value = (name: string): number[] => {
    const i = m.meta.values.findIndex((v) => v.name === name);
    const v = r.values[i]!;
    return typeof v === "number" ? [v] : Array.from(v as Tensor);
  };
  const grad = (key: string): number[] => {
    const i = m.meta.grads.findIndex((g) => g.key === key);
    const v = r.grads[i]!;
    return typeof v === "number" ? [v] : Array.from(v as Tensor);
  };
  return { value, grad };
}

/** Stable reference row operations on rows of 3. */
function rows(z: number[], f: (row: number[]) => number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < z.length; i += 3) out.push(...f(z.slice(i, i + 3)));
  return out;
}
const lse = (r: number[]): number => {
  const m = Math.max(...r);
  return m + Math.log(r.reduce((s, x) => s + Math.exp(x - m), 0));
};
const softmaxRef = (z: number[]) => rows(z, (r) => r.map((x) => Math.exp(x - lse(r))));
const logSoftmaxRef = (z: number[]) => rows(z, (r) => r.map((x) => x - lse(r)));

function expectAllClose(actual: number[], expected: number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    expect(Number.isFinite(a), `entry ${i} is ${a}`).toBe(true);
    expect(Math.abs(a - expected[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!)));
  });
}

describe("stable kernels at ±1,000", () => {
  it("softmax, log_softmax, logsumexp and cross_entropy: values and gradients", async () => {
    const source = `
      input z: [2, 3]
      target y: [2, 3]
      input c: [2, 3]
      output p = softmax(z, 1)
      output lp = log_softmax(z, -1)
      output m = logsumexp(z, 1)
      loss L = cross_entropy(z, y)
      g = sum(log_softmax(z, 1) * c)
      s = sum(softmax(z, 1) * c)
      h = sum(logsumexp(z, 1))
      grad L wrt z
      grad g wrt z
      grad s wrt z
      grad h wrt z
    `;
    const { value, grad } = await gradientOf(source, { z: Z, y: Y, c: C });
    const sm = softmaxRef(Z);
    const lsm = logSoftmaxRef(Z);
    expectAllClose(value("p"), sm);
    expectAllClose(value("lp"), lsm);
    expect(value("lp")).toEqual([0, -2000, -1000, -2000, -2000, 0]);
    expectAllClose(value("m"), [lse(Z.slice(0, 3)), lse(Z.slice(3))]);
    // L = mean over rows of -Σ y log_softmax = (1000 + 0) / 2
    expectAllClose(value("L"), [500]);
    // dL/dz = (softmax - y) / rows
    expectAllClose(grad("L/z"), sm.map((p, i) => (p - Y[i]!) / 2));
    // d Σ c ⊙ log_softmax / dz = c - softmax ⊙ Σ_row c
    const rowSum = [C[0]! + C[1]! + C[2]!, C[3]! + C[4]! + C[5]!];
    expectAllClose(grad("g/z"), C.map((c, i) => c - sm[i]! * rowSum[Math.floor(i / 3)]!));
    // d Σ c ⊙ softmax / dz = softmax ⊙ (c - Σ_row c ⊙ softmax)
    const dot = [0, 1].map((r) => [0, 1, 2].reduce((s, j) => s + C[r * 3 + j]! * sm[r * 3 + j]!, 0));
    expectAllClose(grad("s/z"), C.map((c, i) => sm[i]! * (c - dot[Math.floor(i / 3)]!)));
    // d Σ logsumexp / dz = softmax
    expectAllClose(grad("h/z"), sm);
  });

  it("sigmoid and softplus: finite values and derivatives", async () => {
    const source = `
      input x: [5]
      output s = sigmoid(x)
      output sp = softplus(x)
      f = sum(sigmoid(x))
      g = sum(softplus(x))
      grad f wrt x
      grad g wrt x
    `;
    const X = [1000, -1000, 0, 30, -30];
    const sig = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
    const { value, grad } = await gradientOf(source, { x: X });
    expectAllClose(value("s"), X.map(sig));
    expect(value("s").slice(0, 3)).toEqual([1, 0, 0.5]);
    expectAllClose(value("sp"), X.map((v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))));
    expect(value("sp")[0]).toBe(1000);
    expect(value("sp")[1]).toBe(0);
    expectAllClose(grad("f/x"), X.map((v) => sig(v) * (1 - sig(v))));
    expectAllClose(grad("g/x"), X.map(sig));
  });

  it("scalar sigmoid and softplus at ±1,000 (the scalar code path)", async () => {
    const source = `
      input a
      f = sigmoid(a) + softplus(a)
      grad f wrt a
    `;
    for (const [a, f, df] of [
      [1000, 1001, 1],
      [-1000, 0, 0],
    ] as const) {
      const { value, grad } = await gradientOf(source, { a: [a] });
      expect(value("f")).toEqual([f]);
      expectAllClose(grad("f/a"), [df]);
    }
  });
});
