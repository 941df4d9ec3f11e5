// maxpool2d(x, size, stride = size): the maximum of each size × size window of every channel, NCHW
// (no padding; the windows must tile the input exactly). The gradient goes to the window's maximum,
// to the first one in row-major order on a tie (as PyTorch).
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { forEachWindow, maxPoolSwitches, poolGeometry, poolShape, windowArgmax, windowAttrs } from "./window.ts";
import { intArg, tensorArg } from "./shared.ts";

export const maxpool2d: OpDef = {
  name: "maxpool2d",
  kind: "pool",
  // which entry of each window of x is its maximum: the derivative jumps where two tie
  kink: ([x], [sx], attrs) => maxPoolSwitches(x!, poolGeometry(sx!, attrs)),
  arity: 1,
  builtin: { name: "maxpool2d", params: [tensorArg("x"), intArg("size"), intArg("stride", true)] },
  shape: ([x], attrs) => poolShape("maxpool2d", x!, attrs),
  eval: ([x], [sx], attrs, out) => {
    const g = poolGeometry(sx!, attrs);
    const y = new Float64Array(size(out));
    forEachWindow(g, (yi, first) => (y[yi] = x![windowArgmax(x!, g, first)]!));
    return y;
  },
  // d maxpool2d(x) = dy routed to the argmax of each window
  vjp: ({ g, args: [x], out, b }) => [b.op("maxpool2d_grad", [x!, g], windowAttrs(out.attrs))],
};
