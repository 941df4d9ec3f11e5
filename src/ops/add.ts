// add: a + b, element-wise with broadcasting.
import { binaryOp } from "./shared.ts";

export const add = binaryOp({
  name: "add",
  kink: null,
  verb: "cannot add $0 and $1",
  f: (a, b) => a + b,
  scalar: (a, b) => `(${a} + ${b})`,
  // d(a + b) = g, g
  vjp: ({ g }) => [g, g],
});
