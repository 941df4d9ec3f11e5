// Named adjoints as seed 002 draws backprop: the delta of each layer (the adjoint of its
// pre-activation) is named dL_dz2 after its weight, or dL_dz_h after its binding; the simplifier
// keeps every named tensor adjoint whole (no constant moves across it), so dL/dO and the deltas
// are nodes of the simplified IR, and dL/dW = Oᵀ · delta with no constant left over.
import { describe, expect, it } from "vitest";
import type { IRModel } from "../../src/ir/model.ts";
import type { Node } from "../../src/graph/node.ts";
import { interpret } from "../../src/ir/interpret.ts";
import { irOf } from "./support.ts";
import { randomTensor, relErr, rng } from "./helpers.ts";

const MLP = `dim B = 4
input x: [B, 5]
target y: [B, 3]
param W1: [5, 6] = xavier
param b1: [6] = zeros
param W2: [6, 3] = xavier
param b2: [3] = zeros
def dense(a, W, b) = sigmoid(a @ W + b)
h = dense(x, W1, b1)
output yhat = dense(h, W2, b2)
loss L = mean(sum((yhat - y)^2, 1))`;

const byName = (ir: IRModel, name: string): Node => {
  const hit = [...ir.names].find(([, n]) => n === name);
  if (!hit) throw new Error(`no node named ${name}: ${[...ir.names.values()].join(", ")}`);
  return hit[0];
};

describe("layer deltas are named after the pre-activation they differentiate", () => {
  const cases: [string, string, string[]][] = [
    ["numbered weights: z1, z2", MLP, ["dL_dz1", "dL_dz2"]],
    ["weights without a number: z_ after the binding", "input x: [2, 3]\nparam W: [3, 3] = xavier\nparam V: [3, 1] = xavier\nh = tanh(x @ W)\nloss L = sum(sigmoid(h @ V))\n", ["dL_dz_h"]],
    ["two layers sharing a number: z_ after the binding", "input x: [2, 3]\nparam W1: [3, 3] = xavier\nparam V1: [3, 3] = xavier\nh = tanh(x @ W1)\ng = relu(h @ V1)\nloss L = sum(g)\n", ["dL_dz_h", "dL_dz_g"]],
    ["a user binding z1 is not shadowed", "input x: [2, 3]\nparam W1: [3, 3] = xavier\nz1 = 2 * x\nh = tanh(z1 @ W1)\nloss L = sum(h)\n", ["dL_dz_h"]],
  ];
  for (const [scenario, source, names] of cases) {
    it(scenario, () => {
      const { raw } = irOf(source);
      for (const name of names) expect([...raw.names.values()]).toContain(name);
    });
  }

  it("no delta name when the activation's argument is not a product with a param", () => {
    const { raw } = irOf("input u\ninput v\ny = exp(u*v)\ngrad y wrt u\n");
    expect([...raw.names.values()].filter((n) => n.includes("_dz"))).toEqual([]);
  });

  it("the delta's step says what it is: the adjoint of the pre-activation, on the layer's line", () => {
    const { raw } = irOf(MLP);
    const d2 = byName(raw, "dL_dz2");
    expect(raw.origins.get(d2)).toEqual({
      binding: "yhat",
      line: 10,
      text: "output yhat = dense(h, W2, b2)",
      step: "dL/dz2 = dL_dyhat*(yhat*(1 - yhat)): the delta of yhat = sigmoid(z2), z2 = h @ W2 + b2",
      stepId: "s2",
    });
  });
});

describe("the simplifier keeps named tensor adjoints whole", () => {
  const { ir, raw } = irOf(MLP);

  it("dL/dO keeps its constant 2/B, and each dL/dW is Oᵀ · delta", () => {
    const dO = byName(ir, "dL_dyhat");
    expect(dO.op).toBe("mul");
    expect(dO.args[0]!.attrs.value).toBe(2 / 4);
    const d2 = byName(ir, "dL_dz2");
    const d1 = byName(ir, "dL_dz1");
    expect(d2.args).toContain(dO);
    const grad = (k: string) => ir.grads.find((g) => g.key === k)!.node;
    expect(grad("L/W2")).toMatchObject({ op: "matmul", args: [ir.bindings.get("h"), d2] });
    expect(grad("L/W1")).toMatchObject({ op: "matmul", args: [ir.leaves.get("x"), d1] });
    expect(grad("L/b2")).toMatchObject({ op: "sum", args: [d2] });
    expect(grad("L/b1")).toMatchObject({ op: "sum", args: [d1] });
  });

  it("and the derivatives are unchanged in value", () => {
    const r = rng(7);
    const leaves: Record<string, Float64Array> = {};
    for (const [name, n] of raw.leaves) leaves[name] = randomTensor(r, n.shape);
    const before = interpret(raw.grads.map((g) => g.node), leaves);
    const after = interpret(ir.grads.map((g) => g.node), leaves);
    raw.grads.forEach((g, i) => expect(relErr(after.get(ir.grads[i]!.node)!, before.get(g.node)!)).toBeLessThan(1e-12));
  });

  it("scalar adjoints still fold to closed forms", () => {
    const { ir: s } = irOf("input  a = 2\ntarget d = 1\nparam  w = 0.8\nf = a * w\nloss C = (f - d)^2\n");
    expect([...s.names.values()]).not.toContain("dC_df");
  });
});
