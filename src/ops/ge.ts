// ge: the mask 1 where a >= b, else 0; routes max/min gradients (ties go to the first argument).
// Internal.
import { binaryOp } from "./shared.ts";

export const ge = binaryOp({
  name: "ge",
  verb: "cannot compare $0 with $1",
  f: (a, b) => (a >= b ? 1 : 0),
  scalar: (a, b) => `(${a} >= ${b} ? 1 : 0)`,
  kink: "difference",
  mask: true,
  // a mask: its derivative is zero (almost everywhere)
  vjp: () => [null, null],
});
