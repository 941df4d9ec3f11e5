// sub: a - b, element-wise with broadcasting.
import { binaryOp } from "./shared.ts";

export const sub = binaryOp({
  name: "sub",
  kink: null,
  verb: "cannot subtract $1 from $0",
  f: (a, b) => a - b,
  scalar: (a, b) => `(${a} - ${b})`,
  // d(a - b) = g, -g
  vjp: ({ g, b }) => [g, b.neg(g)],
});
