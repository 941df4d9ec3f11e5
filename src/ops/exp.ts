// exp: e^x.
import { unaryOp } from "./shared.ts";

export const exp = unaryOp({
  name: "exp",
  kink: null,
  builtin: true,
  f: Math.exp,
  scalar: (x) => `Math.exp(${x})`,
  // d exp(x) = out ⊙ g
  vjp: ({ g, out, b }) => [b.mul(g, out)],
});
