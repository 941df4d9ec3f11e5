// cos.
import { unaryOp } from "./shared.ts";

export const cos = unaryOp({
  name: "cos",
  kink: null,
  builtin: true,
  f: Math.cos,
  scalar: (x) => `Math.cos(${x})`,
  // d cos(x) = -sin(x) ⊙ g
  vjp: ({ g, args: [x], b }) => [b.neg(b.mul(g, b.fn("sin", x!)))],
});
