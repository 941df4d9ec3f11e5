// log_softmax: x - logsumexp(x) along an axis (default the last), computed as
// x - m - log Σ exp(x - m) with m the row max, so it is finite for large values.
import type { OpDef } from "./types.ts";
import { alongAxis, axisArg, rowAxis, rowShape, tensorArg } from "./shared.ts";

export const log_softmax: OpDef = {
  name: "log_softmax",
  kind: "rowwise",
  kink: null,
  arity: 1,
  builtin: { name: "log_softmax", params: [tensorArg("x"), axisArg("axis", true)] },
  shape: ([x], attrs) => rowShape("log_softmax", x!, attrs),
  eval: ([x], [s], attrs) => {
    const r = new Float64Array(x!.length);
    alongAxis(s!, rowAxis(attrs, s!.length), (base, stride, n) => {
      let m = -Infinity;
      for (let j = 0; j < n; j++) m = Math.max(m, x![base + j * stride]!);
      let t = 0;
      for (let j = 0; j < n; j++) t += Math.exp(x![base + j * stride]! - m);
      const lse = m + Math.log(t);
      for (let j = 0; j < n; j++) r[base + j * stride] = x![base + j * stride]! - lse;
    });
    return r;
  },
  // d log_softmax(x) = g - exp(out) ⊙ Σ_axis g
  vjp: ({ g, out, b }) => {
    const axis = rowAxis(out.attrs, out.shape.length);
    return [b.sub(g, b.mul(b.exp(out), b.sum(g, axis, true)))];
  },
};
