// Whole models through lower → differentiate → simplify: every derivative matches central
// differences of the loss (evaluated by the reference interpreter), before and after
// simplification. Also lowering's names and origins, and the interpreter's overrides.
import { describe, expect, it } from "vitest";
import { interpret } from "../../src/ir/interpret.ts";
import type { IRModel } from "../../src/ir/model.ts";
import { irOf } from "./support.ts";
import { randomTensor, relErr, rng } from "./helpers.ts";
import { size } from "../../src/graph/node.ts";

const MODELS: Record<string, string> = {
  "dense sigmoid with biases, mean of row sums": `dim B = 5
input x: [B, 4]
target y: [B, 3]
param W1: [4, 6] = xavier
param b1: [6] = zeros
param W2: [6, 3] = xavier
param b2: [3] = zeros
def dense(a, W, b) = sigmoid(a @ W + b)
h = dense(x, W1, b1)
output yhat = dense(h, W2, b2)
loss L = mean(sum((yhat - y)^2, 1))`,
  "relu, softmax cross-entropy": `input x: [4, 5]
target y: [4, 3]
param W: [5, 3] = xavier
param b: [3] = zeros
param V: [5, 5] = xavier
h = relu(x @ V)
z = h @ W + b
loss L = cross_entropy(z, y)`,
  "vector forms of @ and reductions": `input v: [4]
param M: [4, 3] = xavier
param u: [3] = zeros
param w: [4] = zeros
a = v @ M
s = M @ u
loss L = tanh(a @ u) + logsumexp(s + w, 0) + mse(softplus(a), u) + sum(log_softmax(w, 0) * v)`,
  "transpose, max, min, abs, division, pow, softmax": `input x: [3, 2]
param P: [3, 2] = xavier
param c = 0.7
q = transpose(P) @ x
r = abs(q) / (1 + sqrt(exp(q)))
loss L = sum(max(q, c) - min(q, 0.1) + r^3 + sum(mean(softmax(q, 1) * q, 0)))`,
};

function leafValues(ir: IRModel, seed: number): Map<string, Float64Array> {
  const rand = rng(seed);
  const out = new Map<string, Float64Array>();
  for (const [name, leaf] of ir.leaves) out.set(name, randomTensor(rand, leaf.shape, -1.5, 1.5, [0], 0.02));
  return out;
}

function check(ir: IRModel, values: Map<string, Float64Array>) {
  const loss = ir.loss!.node;
  const nodes = ir.grads.map((g) => g.node);
  const v = interpret([loss, ...nodes], values);
  for (const g of ir.grads) {
    const x = values.get(g.wrt)!;
    const numeric = new Float64Array(size(g.node.shape));
    const h = 1e-6;
    for (let i = 0; i < x.length; i++) {
      const x0 = x[i]!;
      x[i] = x0 + h;
      const fp = interpret([loss], values).get(loss)![0]!;
      x[i] = x0 - h;
      const fm = interpret([loss], values).get(loss)![0]!;
      x[i] = x0;
      numeric[i] = (fp - fm) / (2 * h);
    }
    const err = relErr(v.get(g.node)!, numeric);
    expect(err, `${g.key}`).toBeLessThan(1e-6);
  }
}

describe("model derivatives match central differences", () => {
  for (const [name, source] of Object.entries(MODELS)) {
    it(name, () => {
      const { raw, ir } = irOf(source);
      expect(ir.grads.length).toBeGreaterThan(0);
      for (const seed of [1, 2]) {
        check(raw, leafValues(raw, seed));
        check(ir, leafValues(ir, seed));
      }
    });
  }
});

describe("lowering records names and origins", () => {
  const source = "input x: [2, 3]\nparam W: [3, 3] = xavier\nh = tanh(x @ W)\noutput y = h * 2\nloss L = sum(y)\n";
  it("binding and leaf names, outputs and loss", () => {
    const { raw } = irOf(source);
    expect(raw.names.get(raw.bindings.get("h")!)).toBe("h");
    expect(raw.names.get(raw.leaves.get("W")!)).toBe("W");
    expect(raw.outputs.map((o) => o.name)).toEqual(["y"]);
    expect(raw.loss?.name).toBe("L");
    expect(raw.grads.map((g) => g.key)).toEqual(["L/W"]);
  });
  it("each node knows its binding, line and text; adjoints know their chain-rule step", () => {
    const { raw } = irOf(source);
    const h = raw.bindings.get("h")!;
    expect(raw.origins.get(h)).toEqual({ binding: "h", line: 3, text: "h = tanh(x @ W)" });
    expect(raw.origins.get(h.args[0]!)).toMatchObject({ binding: "h", line: 3 });
    const dW = raw.grads[0]!.node;
    // the step is the chain rule through the expression that uses W, on that expression's line
    expect(raw.origins.get(dW)).toEqual({ binding: "h", line: 3, text: "h = tanh(x @ W)", step: "dL/dW = transpose(x) @ dL_dz_h", stepId: expect.stringMatching(/^s\d+$/) });
    expect(raw.names.get(dW)).toBe("dL_dW");
    // the adjoint of the pre-activation x @ W is the layer's delta, named and explained
    const delta = dW.args[1]!;
    expect(raw.names.get(delta)).toBe("dL_dz_h");
    expect(raw.origins.get(delta)?.step).toBe("dL/dz_h = dL_dh*(1 - h*h): the delta of h = tanh(z_h), z_h = x @ W");
    // dL/dy is used in `loss L = sum(y)` (line 5), and the seed 1 reads as 1
    const dy = [...raw.names].find(([, name]) => name === "dL_dy")![0];
    expect(raw.origins.get(dy)).toEqual({ binding: "L", line: 5, text: "loss L = sum(y)", step: "dL/dy = 1", stepId: expect.stringMatching(/^s\d+$/) });
  });
});

describe("the interpreter", () => {
  it("evaluates given leaf values, and overrides replace a node's value (its inputs are then not needed)", () => {
    const { raw } = irOf("input x\nparam w = 1\nh = exp(x) * w\noutput y = h + 1\nloss L = y^2\n");
    const h = raw.bindings.get("h")!;
    const y = raw.bindings.get("y")!;
    expect(interpret([y], { x: 0, w: 2 }).get(y)![0]).toBe(3);
    const over = interpret([y], {}, { overrides: new Map([[h, Float64Array.of(10)]]) });
    expect(over.get(y)![0]).toBe(11);
    expect(() => interpret([y], {})).toThrow(/no value for input x/);
  });
});
