// Edge cases of code generation: results that are leaves or constants, params the loss does not
// depend on, models with nothing to compute, views (expand, transpose) as results, deep chains.
import { describe, expect, it } from "vitest";
import { agreement, irOf, load, randomLeaves } from "./support.ts";

const CASES: [string, string][] = [
  ["an output that is an input, a derivative that is a constant", "input x: [3]\ninput s\noutput o = x\nf = s\ng = sum(x)\ngrad f wrt s\ngrad g wrt x\n"],
  ["a derivative that is another leaf", "input x: [2, 3]\nparam W: [2, 3] = zeros\nloss L = sum(x * W)\ngrad L wrt x\n"],
  ["a param the loss ignores", "input x: [4]\nparam a: [4] = zeros\nparam unused: [2] = ones\nloss L = sum(x * a)\noutput u = unused * 2\n"],
  ["nothing requested", "input x: [2]\nh = x * 2\n"],
  ["transpose and expand as results", "input x: [2, 3]\ninput v: [3]\noutput t = transpose(x)\noutput e = v + x * 0\nf = sum(transpose(x) @ x)\ngrad f wrt x\n"],
  ["scalar matmul and vector forms", "input u: [3]\ninput M: [3, 4]\ninput w: [4]\nf = (u @ M) @ w + u @ u\ngrad f wrt u, M, w\n"],
  ["keepdims reductions and row ops on axis 0", "input x: [3, 4]\nf = sum(softmax(x, 0) * x) + sum(log_softmax(x, 0)) + sum(logsumexp(x, 0))\ngrad f wrt x\n"],
  ["wide products: blocks of registers and a remainder", "input a: [3, 5]\ninput e: [5, 3]\ninput b: [5, 20]\ninput c: [5, 40]\ninput d: [5, 33]\nf = sum(sigmoid(a @ b)) + sum(a @ c) + sum(transpose(e) @ d * 2) + sum(transpose(e) @ c)\ngrad f wrt a, e, b, c, d\n"],
  ["long dot products against a transposed operand, in blocks", "input a: [3, 20]\ninput b: [40, 20]\ninput c: [33, 20]\nf = sum(sigmoid(a @ transpose(b))) + sum(a @ transpose(c))\ngrad f wrt a, b, c\n"],
  ["a vector times a wide matrix", "input u: [5]\ninput c: [5, 40]\nf = sum(tanh(u @ c))\ngrad f wrt u, c\n"],
  ["a chain deeper than the fusion limit", `input x: [3]\nloss L = sum(${"sin(".repeat(40)}x${")".repeat(40)})\ngrad L wrt x\n`],
];

describe("edge cases agree with the interpreter", () => {
  for (const [name, source] of CASES) {
    it(name, async () => {
      const ir = irOf(source, "edge.net");
      const mod = await load(ir);
      const a = agreement(ir, mod, randomLeaves(ir, 5));
      expect(a.errors.filter((e) => !(e.error <= 1e-12))).toEqual([]);
    });
  }

  it("results that are leaves are copies, not the caller's arrays", async () => {
    const ir = irOf(CASES[0]![1], "edge.net");
    const mod = await load(ir);
    const x = Float64Array.of(1, 2, 3);
    const r = mod.forward([], [x, Float64Array.of(4)]);
    expect(r.outputs[0]).not.toBe(x);
    expect(Array.from(r.outputs[0] as Float64Array)).toEqual([1, 2, 3]);
    const g = mod.gradient([], [x, Float64Array.of(4)]);
    expect(g.grads[0]).toBe(1);
    expect(Array.from(g.grads[1] as Float64Array)).toEqual([1, 1, 1]);
  });
});
