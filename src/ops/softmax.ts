// softmax: exp(x) / Σ exp(x) along an axis (default the last), with the row max subtracted first
// so large values do not overflow.
import type { OpDef } from "./types.ts";
import { alongAxis, axisArg, rowAxis, rowShape, tensorArg } from "./shared.ts";

export const softmax: OpDef = {
  name: "softmax",
  kind: "rowwise",
  kink: null,
  arity: 1,
  builtin: { name: "softmax", params: [tensorArg("x"), axisArg("axis", true)] },
  shape: ([x], attrs) => rowShape("softmax", x!, attrs),
  eval: ([x], [s], attrs) => {
    const r = new Float64Array(x!.length);
    alongAxis(s!, rowAxis(attrs, s!.length), (base, stride, n) => {
      let m = -Infinity;
      for (let j = 0; j < n; j++) m = Math.max(m, x![base + j * stride]!);
      let t = 0;
      for (let j = 0; j < n; j++) t += r[base + j * stride] = Math.exp(x![base + j * stride]! - m);
      for (let j = 0; j < n; j++) r[base + j * stride]! /= t;
    });
    return r;
  },
  // d softmax(x) = out ⊙ (g - Σ_axis(g ⊙ out))
  vjp: ({ g, out, b }) => {
    const axis = rowAxis(out.attrs, out.shape.length);
    return [b.mul(out, b.sub(g, b.sum(b.mul(g, out), axis, true)))];
  },
};
