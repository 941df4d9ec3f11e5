// mean: the mean of all elements (axis null) or along one axis.
import type { OpDef } from "./types.ts";
import { alongAxis, axisArg, flagArg, axisOf, keptDims, reduceShape, tensorArg } from "./shared.ts";
import { size } from "../graph/node.ts";

export const mean: OpDef = {
  name: "mean",
  kind: "reduce",
  kink: null,
  arity: 1,
  builtin: { name: "mean", params: [tensorArg("x"), axisArg("axis", true), flagArg("keepdims")] },
  shape: ([x], attrs) => reduceShape(x!, attrs),
  eval: ([x], [s], attrs, out) => {
    const r = new Float64Array(size(out));
    alongAxis(s!, axisOf(attrs, s!.length), (base, stride, n, k) => {
      let t = 0;
      for (let j = 0; j < n; j++) t += x![base + j * stride]!;
      r[k] = t / n;
    });
    return r;
  },
  // d mean(x) = g / n broadcast back over the averaged axis (n elements)
  vjp: ({ g, args: [x], out, b }) => {
    const s = x!.shape;
    const axis = axisOf(out.attrs, s.length);
    const n = axis === null ? size(s) : s[axis]!;
    const back = out.attrs.keepdims ? b.broadcastTo(g, s) : b.expand(g, s, keptDims(s.length, axis));
    return [b.div(back, n)];
  },
};
