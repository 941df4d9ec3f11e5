// clip(x, lo, hi): x limited to [lo, hi] (PyTorch's clamp). Its derivative is 1 for
// lo <= x <= hi, the bounds included (as PyTorch's clamp), and 0 outside.
import { jsNumber, numberArg, unaryOp } from "./shared.ts";

export const clip = unaryOp({
  name: "clip",
  builtin: true,
  params: [numberArg("lo"), numberArg("hi")],
  check: ({ lo, hi }) => (lo !== undefined && hi !== undefined && lo > hi ? `clip needs lo <= hi, found lo = ${lo} and hi = ${hi}` : null),
  f: (x, { lo = -Infinity, hi = Infinity }) => Math.min(Math.max(x, lo), hi),
  scalar: (x, { lo = -Infinity, hi = Infinity }) => `Math.min(Math.max(${x}, ${jsNumber(lo)}), ${jsNumber(hi)})`,
  // d clip(x) = g ⊙ [x >= lo] ⊙ [hi >= x]
  vjp: ({ g, args: [x], out, b }) => {
    const { lo = -Infinity, hi = Infinity } = out.attrs;
    return [b.mul(g, b.mul(b.ge(x!, lo), b.ge(hi, x!)))];
  },
  // jumps where x crosses lo or hi: (x - lo)(x - hi) changes sign at both
  kink: ([x], _shapes, { lo = -Infinity, hi = Infinity }) => x!.map((v) => (v - lo) * (v - hi)),
  domain: { attrs: { lo: -0.5, hi: 1 } },
});
