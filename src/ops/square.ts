// square(x): x·x (as x^2, written as a product in emitted code).
import { unaryOp } from "./shared.ts";

export const square = unaryOp({
  name: "square",
  builtin: true,
  f: (x) => x * x,
  scalar: (x) => `${x} * ${x}`,
  // d square(x) = 2x ⊙ g
  kink: null,
  vjp: ({ g, args: [x], b }) => [b.mul(g, b.mul(2, x!))],
});
