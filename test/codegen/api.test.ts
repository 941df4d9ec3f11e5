// The library API (`import { compile } from "netc"`) and the generated module's contract: step
// updates params in place for each optimizer (seed 000's tables for plain SGD; momentum and Adam
// against a reference written out here), results alias the module's own buffers, meta describes
// every argument and result.
import { describe, expect, it } from "vitest";
import { compile, compileToText, type GeneratedModule } from "../../src/index.ts";

const SIMPLE = `
input  a = 2
target d = 1
param  w = 0.8
f = a * w
loss C = (f - d)^2
train { optimizer = sgd(lr = 0.1)  steps = 25 }
`;

function simpleRun(m: GeneratedModule, lr: number, steps: number): number[] {
  const params = [Float64Array.of(0.8)];
  const data = [Float64Array.of(2), Float64Array.of(1)];
  const ws: number[] = [];
  for (let t = 1; t <= steps; t++) {
    m.step(params, data, { lr, t }, []);
    ws.push(params[0]![0]!);
  }
  return ws;
}

const quadratic = (optimizer: string) => `
input c: [3]
param w: [3] = zeros
loss L = sum((w - c)^2) + sum(w^4) * 0.1
train { optimizer = ${optimizer} }
`;

/** dL/dw of the quadratic model, written out by hand. */
const gradQuadratic = (w: number[], c: number[]) => w.map((x, i) => 2 * (x - c[i]!) + 0.4 * x ** 3);

describe("library API and module contract", () => {
  it("seed 000's tables: lr 1.0 diverges as printed, lr 0.1 reaches w = 0.5", async () => {
    const { module } = await compile(SIMPLE, { file: "simple.net" });
    const table = simpleRun(module, 1.0, 5);
    [-1.6, 15.2, -102.4, 720.8, -5041.6].forEach((w, i) => expect(table[i]).toBeCloseTo(w, 9));
    const converged = simpleRun(module, 0.1, 25);
    expect(Math.abs(converged[24]! - 0.5)).toBeLessThan(1e-12);
    expect(module.meta.statePerParam).toBe(0);
  });

  it("step returns the loss before the update", async () => {
    const { module } = await compile(SIMPLE);
    const params = [Float64Array.of(0.8)];
    const loss = module.step(params, [Float64Array.of(2), Float64Array.of(1)], { lr: 0.1, t: 1 }, []);
    expect(loss).toBeCloseTo(0.36, 12); // (2 · 0.8 − 1)²
    expect(params[0]![0]).toBeCloseTo(0.8 - 0.1 * 2.4, 12);
  });

  it("sgd with momentum: v = μv + g, w -= lr·v", async () => {
    const { module } = await compile(quadratic("sgd(lr = 0.05, momentum = 0.9)"));
    expect(module.meta.statePerParam).toBe(1);
    const c = [1, -2, 0.5];
    const params = [new Float64Array(3)];
    const state = [new Float64Array(3)];
    const w = [0, 0, 0];
    const v = [0, 0, 0];
    for (let t = 1; t <= 6; t++) {
      module.step(params, [Float64Array.from(c)], { lr: 0.05, t }, state);
      const g = gradQuadratic(w, c);
      for (let i = 0; i < 3; i++) {
        v[i] = 0.9 * v[i]! + g[i]!;
        w[i] = w[i]! - 0.05 * v[i]!;
      }
      for (let i = 0; i < 3; i++) expect(params[0]![i]).toBeCloseTo(w[i]!, 12);
    }
    for (let i = 0; i < 3; i++) expect(state[0]![i]).toBeCloseTo(v[i]!, 12);
  });

  it("adam: bias-corrected moments, hyper.lr and hyper.t", async () => {
    const { module } = await compile(quadratic("adam(lr = 0.1, beta1 = 0.8, beta2 = 0.95, eps = 1e-6)"));
    expect(module.meta.statePerParam).toBe(2);
    const c = [1, -2, 0.5];
    const params = [new Float64Array(3)];
    const state = [new Float64Array(3), new Float64Array(3)];
    const w = [0, 0, 0];
    const m = [0, 0, 0];
    const s = [0, 0, 0];
    for (let t = 1; t <= 6; t++) {
      const lr = 0.1 / t; // a schedule: lr comes in through hyper
      module.step(params, [Float64Array.from(c)], { lr, t }, state);
      const g = gradQuadratic(w, c);
      for (let i = 0; i < 3; i++) {
        m[i] = 0.8 * m[i]! + 0.2 * g[i]!;
        s[i] = 0.95 * s[i]! + 0.05 * g[i]! * g[i]!;
        const mh = m[i]! / (1 - 0.8 ** t);
        const sh = s[i]! / (1 - 0.95 ** t);
        w[i] = w[i]! - (lr * mh) / (Math.sqrt(sh) + 1e-6);
      }
      for (let i = 0; i < 3; i++) expect(params[0]![i]).toBeCloseTo(w[i]!, 12);
    }
  });

  it("results alias the module's buffers; meta lists names, shapes and initializers", async () => {
    const src = `
      dim B = 4
      input x: [B, 3]
      target y: [B, 2]
      param W: [3, 2] = xavier
      param b: [2] = zeros
      output yhat = sigmoid(x @ W + b)
      loss L = mse(yhat, y)
    `;
    const compiled = await compile(src, { file: "tiny.net" });
    const m = compiled.module;
    expect(m.meta.params.map((p) => [p.name, p.shape, p.init.kind])).toEqual([
      ["W", [3, 2], "xavier"],
      ["b", [2], "zeros"],
    ]);
    expect(m.meta.data.map((d) => [d.name, d.role, d.batchDim])).toEqual([
      ["x", "input", "B"],
      ["y", "target", "B"],
    ]);
    expect(Object.getPrototypeOf(m.meta.dims)).toBe(null);
    expect(m.meta.dims["B"]).toBe(4);
    expect(m.meta.grads.map((g) => g.key)).toEqual(["L/W", "L/b"]);
    expect(m.meta.sourceHash).toBe(compiled.hash);
    const params = [new Float64Array(6).fill(0.1), new Float64Array(2)];
    const data = [new Float64Array(12).fill(0.5), new Float64Array(8)];
    const r1 = m.forward(params, data);
    const out1 = r1.outputs[0];
    const r2 = m.forward(params, data);
    expect(r2).toBe(r1);
    expect(r2.outputs[0]).toBe(out1);
    expect(m.gradient(params, data).grads[0]).toBeInstanceOf(Float64Array);
    // the emitted text names its source and version, and says not to edit it
    const { text } = await compileToText(src, { file: "tiny.net" });
    expect(text.split("\n")[0]).toMatch(/generated by netc \d+\.\d+\.\d+ from tiny\.net\. Do not edit/);
  });

  it("a model without a loss has a step that refuses", async () => {
    const { module } = await compile("input x\nf = x^2\ngrad f wrt x\n");
    expect(() => module.step([], [Float64Array.of(1)], { lr: 0.1, t: 1 }, [])).toThrow(/no loss/);
    expect(module.forward([], [Float64Array.of(3)]).loss).toBeNaN();
    expect(module.gradient([], [Float64Array.of(3)]).grads[0]).toBe(6);
  });
});
