// maxpool2d_select(x, v): for each window of x, the entry of v at the position of x's maximum
// (the first in row-major order on a tie); maxpool2d(x) is maxpool2d_select(x, x). The derivative
// of maxpool2d_input with respect to its dy (a second derivative of a max pool); a built-in, so
// such a derivative prints as .net.
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { forEachWindow, maxPoolSwitches, poolGeometry, poolShape, windowArgmax, windowAttrs } from "./window.ts";
import { intArg, shapeText, tensorArg } from "./shared.ts";

export const maxpool2d_select: OpDef = {
  name: "maxpool2d_select",
  kind: "pool",
  // which entry of each window of x is its maximum: the derivative jumps where two tie
  kink: ([x], [sx], attrs) => maxPoolSwitches(x!, poolGeometry(sx!, attrs)),
  arity: 2,
  builtin: { name: "maxpool2d_select", params: [tensorArg("x"), tensorArg("v"), intArg("size"), intArg("stride", true)] },
  shape: ([x, v], attrs) => {
    if (shapeText(x!) !== shapeText(v!)) return `maxpool2d_select: $1 must be shaped like $0`;
    return poolShape("maxpool2d_select", x!, attrs);
  },
  eval: ([x, v], [sx], attrs, out) => {
    const g = poolGeometry(sx!, attrs);
    const y = new Float64Array(size(out));
    forEachWindow(g, (yi, first) => (y[yi] = v![windowArgmax(x!, g, first)]!));
    return y;
  },
  // linear in v: <h, maxpool2d_select(x, v)> = <maxpool2d_grad(x, h), v>
  vjp: ({ g: h, args: [x], out, b }) => [null, b.op("maxpool2d_grad", [x!, h], windowAttrs(out.attrs))],
};
