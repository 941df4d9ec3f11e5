// sin.
import { unaryOp } from "./shared.ts";

export const sin = unaryOp({
  name: "sin",
  kink: null,
  builtin: true,
  f: Math.sin,
  scalar: (x) => `Math.sin(${x})`,
  // d sin(x) = cos(x) ⊙ g
  vjp: ({ g, args: [x], b }) => [b.mul(g, b.fn("cos", x!))],
});
