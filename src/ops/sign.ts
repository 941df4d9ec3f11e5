// sign(x): 1, -1, or 0 at 0 (and for NaN); abs's derivative, a built-in as in NumPy and PyTorch.
import { unaryOp } from "./shared.ts";

export const sign = unaryOp({
  name: "sign",
  builtin: true,
  f: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
  scalar: (x) => `(${x} > 0 ? 1 : ${x} < 0 ? -1 : 0)`,
  // piecewise constant: its derivative is zero (almost everywhere)
  vjp: () => [null],
  kink: { at: [0] },
  mask: true,
});
