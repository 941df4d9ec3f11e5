// `max(x, 1)` on a tensor is element-wise (contract v1: a clamp), while `sum(x, 1)` reduces along
// axis 1 — and PyTorch's torch.max(x, 1) reduces too. The compiler warns, showing both spellings:
// `max(x, axis = 1)` for the reduction, `max(x, 1.0)` (or `max(x, b = 1)`) for the clamp, which is silent.
import { describe, expect, it } from "vitest";
import { frontEnd } from "../../src/compile.ts";
import { netcHere, scratch } from "../contract/helpers.ts";

const tmp = scratch("max-clamp");
const warningsOf = (src: string) => frontEnd(src, { file: "m.net" }).warnings.map((w) => w.message);

describe("max(x, 1) / min(x, 1) on a tensor warn", () => {
  it("max(x, 1) on a [4, 3] tensor: a warning with both spellings; the meaning stays a clamp", () => {
    const w = warningsOf("input x: [4, 3]\noutput y = max(x, 1)\n");
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/max\(x, 1\) is the element-wise maximum of x and the number 1/);
    expect(w[0]).toMatch(/max\(x, axis = 1\)/);
    expect(w[0]).toMatch(/max\(x, 1\.0\)/);
    expect(frontEnd("input x: [4, 3]\noutput y = max(x, 1)\n", { file: "m.net" }).model.bindings.find((b) => b.name === "y")!.expr.shape).toEqual([4, 3]);
  });

  it("min, axis 0 and -1, and inside a def are caught too; the line and column point at the call", () => {
    expect(warningsOf("input x: [4, 3]\noutput y = min(x, 0)\n")[0]).toMatch(/min\(x, 0\) is the element-wise minimum/);
    expect(warningsOf("input x: [4, 3]\noutput y = max(x, -1)\n")[0]).toMatch(/max\(x, axis = -1\)/);
    const inDef = frontEnd("input x: [4, 3]\ndef top(a) = max(a, 1)\noutput y = top(x) + top(2 * x)\n", { file: "m.net" }).warnings;
    expect(inDef).toHaveLength(1);
    expect(inDef[0]!.span.line).toBe(2);
  });

  it("silent: a float literal, the b = keyword, a scalar x, a non-axis number, two tensors", () => {
    for (const src of [
      "input x: [4, 3]\noutput y = max(x, 1.0)\n",
      "input x: [4, 3]\noutput y = max(x, b = 1)\n",
      "input x\noutput y = max(x, 1)\n",
      "input x: [4, 3]\noutput y = max(x, 5)\n",
      "input x: [4, 3]\ninput z: [4, 3]\noutput y = max(x, z)\n",
      "input x: [4, 3]\noutput y = max(x, 0.5)\n",
    ]) expect(warningsOf(src), src).toEqual([]);
  });

  it("through the CLI: a warning line with file:line:col, exit 0", async () => {
    const f = tmp.file("clamp.net", "input x: [2, 3]\nparam w: [3] = ones\nloss L = sum(max(x * w, 1))\n");
    const r = await netcHere("grad", f);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/clamp\.net:3:14: warning: max\(x \* w, 1\) is the element-wise maximum/);
  });
});
