// logsumexp: log Σ exp(x) over one axis (or all), computed as m + log Σ exp(x - m) with m the max,
// so large values do not overflow.
import type { OpDef } from "./types.ts";
import { alongAxis, axisArg, flagArg, axisOf, keptDims, reduceShape, tensorArg } from "./shared.ts";
import { size } from "../graph/node.ts";

export const logsumexp: OpDef = {
  name: "logsumexp",
  kind: "reduce",
  kink: null,
  arity: 1,
  builtin: { name: "logsumexp", params: [tensorArg("x"), axisArg("axis", true), flagArg("keepdims")] },
  shape: ([x], attrs) => reduceShape(x!, attrs),
  eval: ([x], [s], attrs, out) => {
    const r = new Float64Array(size(out));
    alongAxis(s!, axisOf(attrs, s!.length), (base, stride, n, k) => {
      let m = -Infinity;
      for (let j = 0; j < n; j++) m = Math.max(m, x![base + j * stride]!);
      if (!Number.isFinite(m)) {
        r[k] = m;
        return;
      }
      let t = 0;
      for (let j = 0; j < n; j++) t += Math.exp(x![base + j * stride]! - m);
      r[k] = m + Math.log(t);
    });
    return r;
  },
  // d logsumexp(x) = g ⊙ softmax(x)  (g broadcast back over the axis); over all axes, g ⊙ exp(x - out)
  vjp: ({ g, args: [x], out, b }) => {
    const s = x!.shape;
    const axis = axisOf(out.attrs, s.length);
    const dims = out.attrs.keepdims ? undefined : keptDims(s.length, axis);
    const p = axis === null ? b.exp(b.sub(x!, b.expand(out, s, dims))) : b.op("softmax", [x!], { axis });
    return [b.mul(b.expand(g, s, dims), p)];
  },
};
