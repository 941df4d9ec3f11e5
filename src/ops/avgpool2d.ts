// avgpool2d(x, size, stride = size): the mean of each size × size window of every channel, NCHW
// (no padding; the windows must tile the input exactly).
import type { OpDef } from "./types.ts";
import { size } from "../graph/node.ts";
import { forEachWindow, poolGeometry, poolShape, windowAttrs, windowEntries } from "./window.ts";
import { intArg, tensorArg } from "./shared.ts";

export const avgpool2d: OpDef = {
  name: "avgpool2d",
  kind: "pool",
  kink: null, // linear
  arity: 1,
  builtin: { name: "avgpool2d", params: [tensorArg("x"), intArg("size"), intArg("stride", true)] },
  shape: ([x], attrs) => poolShape("avgpool2d", x!, attrs),
  eval: ([x], [sx], attrs, out) => {
    const g = poolGeometry(sx!, attrs);
    const y = new Float64Array(size(out));
    forEachWindow(g, (yi, first) => {
      let t = 0;
      for (const e of windowEntries(g, first)) t += x![e]!;
      y[yi] = t / (g.size * g.size);
    });
    return y;
  },
  // d avgpool2d(x) = dy / size² spread over each window
  vjp: ({ g, args: [x], out, b }) => [b.op("avgpool2d_grad", [g], { ...windowAttrs(out.attrs), shape: x!.shape })],
};
