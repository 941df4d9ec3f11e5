// relu: max(x, 0); its derivative at 0 is 0 (as in PyTorch).
import { unaryOp } from "./shared.ts";

export const relu = unaryOp({
  name: "relu",
  builtin: true,
  f: (x) => Math.max(x, 0),
  scalar: (x) => `Math.max(${x}, 0)`,
  // d relu(x) = heaviside(x) ⊙ g, with heaviside(0) = 0
  vjp: ({ g, args: [x], b }) => [b.mul(g, b.fn("heaviside", x!))],
  kink: { at: [0] },
});
