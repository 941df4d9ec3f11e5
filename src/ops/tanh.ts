// tanh.
import { unaryOp } from "./shared.ts";

export const tanh = unaryOp({
  name: "tanh",
  kink: null,
  builtin: true,
  f: Math.tanh,
  scalar: (x) => `Math.tanh(${x})`,
  // d tanh(x) = (1 - out²) ⊙ g
  vjp: ({ g, out, b }) => [b.mul(g, b.sub(1, b.mul(out, out)))],
});
