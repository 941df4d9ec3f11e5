// mul: a * b (Hadamard product), element-wise with broadcasting.
import { binaryOp } from "./shared.ts";

export const mul = binaryOp({
  name: "mul",
  kink: null,
  verb: "cannot multiply $0 and $1 element-wise",
  f: (a, b) => a * b,
  scalar: (a, b) => `(${a} * ${b})`,
  // d(a ⊙ b) = g ⊙ b, g ⊙ a
  vjp: ({ g, args: [x, y], b, needs }) => [needs?.[0] === false ? null : b.mul(g, y!), needs?.[1] === false ? null : b.mul(g, x!)],
});
