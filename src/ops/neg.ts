// neg: -x.
import { unaryOp } from "./shared.ts";

export const neg = unaryOp({
  name: "neg",
  kink: null,
  f: (x) => -x,
  scalar: (x) => `(-${x})`,
  // d(-x) = -g
  vjp: ({ g, b }) => [b.neg(g)],
});
