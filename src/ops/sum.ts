// sum: the sum of all elements (axis null) or along one axis; keepdims keeps that axis with size 1
// (the walker uses it to reduce broadcast adjoints).
import type { OpDef } from "./types.ts";
import { alongAxis, axisArg, flagArg, axisOf, keptDims, reduceShape, tensorArg } from "./shared.ts";
import { size } from "../graph/node.ts";

export const sum: OpDef = {
  name: "sum",
  kind: "reduce",
  kink: null,
  arity: 1,
  builtin: { name: "sum", params: [tensorArg("x"), axisArg("axis", true), flagArg("keepdims")] },
  shape: ([x], attrs) => reduceShape(x!, attrs),
  eval: ([x], [s], attrs, out) => {
    const r = new Float64Array(size(out));
    alongAxis(s!, axisOf(attrs, s!.length), (base, stride, n, k) => {
      let t = 0;
      for (let j = 0; j < n; j++) t += x![base + j * stride]!;
      r[k] = t;
    });
    return r;
  },
  // d sum(x) = g broadcast back over the summed axis
  vjp: ({ g, args: [x], out, b }) => {
    const s = x!.shape;
    if (out.attrs.keepdims) return [b.broadcastTo(g, s)];
    return [b.expand(g, s, keptDims(s.length, axisOf(out.attrs, s.length)))];
  },
};
