// div: a / b, element-wise with broadcasting.
import { binaryOp } from "./shared.ts";

export const div = binaryOp({
  name: "div",
  kink: null,
  verb: "cannot divide $0 by $1",
  f: (a, b) => a / b,
  scalar: (a, b) => `(${a} / ${b})`,
  // d(a / b) = g / b, -(g ⊙ out) / b      (out = a / b)
  vjp: ({ g, out, args: [, y], b, needs }) => [
    needs?.[0] === false ? null : b.div(g, y!),
    needs?.[1] === false ? null : b.neg(b.div(b.mul(g, out), y!)),
  ],
  domain: { args: [[-2, 2], [0.5, 2]] },
});
