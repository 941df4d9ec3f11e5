// sqrt: the square root.
import { unaryOp } from "./shared.ts";

export const sqrt = unaryOp({
  name: "sqrt",
  kink: null,
  builtin: true,
  f: Math.sqrt,
  scalar: (x) => `Math.sqrt(${x})`,
  // d sqrt(x) = g / (2 out)
  vjp: ({ g, out, b }) => [b.div(g, b.mul(2, out))],
  domain: { args: [[0.2, 3]] },
});
