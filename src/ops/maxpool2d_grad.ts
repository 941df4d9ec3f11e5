// maxpool2d_grad(x, dy): the gradient of maxpool2d(x): each window's dy added at the position of
// its maximum in x (the first in row-major order on a tie), zeros elsewhere; shaped like x.
// Made by maxpool2d's derivative rule; written `maxpool2d_input(x, dy, size, stride)` in .net (the
// gradient of maxpool2d with respect to its input, named as torch.nn.grad names conv2d_input).
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { forEachWindow, maxPoolSwitches, poolGeometry, poolShape, windowArgmax, windowAttrs } from "./window.ts";
import { intArg, shapeText, tensorArg } from "./shared.ts";

export const maxpool2d_grad: OpDef = {
  name: "maxpool2d_grad",
  kind: "pool",
  // which entry of each window of x is its maximum: the derivative jumps where two tie
  kink: ([x], [sx], attrs) => maxPoolSwitches(x!, poolGeometry(sx!, attrs)),
  arity: 2,
  builtin: { name: "maxpool2d_input", params: [tensorArg("x"), tensorArg("dy"), intArg("size"), intArg("stride", true)] },
  shape: ([x, dy], attrs) => {
    const pooled = poolShape("maxpool2d_input", x!, attrs);
    if (typeof pooled === "string") return pooled;
    if (shapeText(pooled) !== shapeText(dy!)) return `maxpool2d_input: $1 is not the pooled shape ${shapeText(pooled)} of $0`;
    return x!;
  },
  eval: ([x, dy], [sx], attrs, out) => {
    const g = poolGeometry(sx!, attrs);
    const dx = new Float64Array(size(out));
    forEachWindow(g, (yi, first) => (dx[windowArgmax(x!, g, first)]! += dy![yi]!));
    return dx;
  },
  // linear in dy (x only picks the positions): <h, maxpool2d_grad(x, dy)> = <maxpool2d_select(x, h), dy>
  vjp: ({ g: h, args: [x], out, b }) => [null, b.op("maxpool2d_select", [x!, h], windowAttrs(out.attrs))],
};
