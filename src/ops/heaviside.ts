// heaviside(x): the step 1 where x > 0, else 0 (so heaviside(0) = 0, NumPy's heaviside(x, 0));
// relu's derivative, a built-in so `netc explain` prints a ReLU mask as heaviside(z).
import { unaryOp } from "./shared.ts";

export const heaviside = unaryOp({
  name: "heaviside",
  builtin: true,
  f: (x) => (x > 0 ? 1 : 0),
  scalar: (x) => `(${x} > 0 ? 1 : 0)`,
  // a step: its derivative is zero (almost everywhere)
  vjp: () => [null],
  kink: { at: [0] },
  mask: true,
});
