// abs: |x|; its derivative at 0 is 0 (as in PyTorch).
import { unaryOp } from "./shared.ts";

export const abs = unaryOp({
  name: "abs",
  builtin: true,
  f: Math.abs,
  scalar: (x) => `Math.abs(${x})`,
  // d |x| = sign(x) ⊙ g, with sign(0) = 0
  vjp: ({ g, args: [x], b }) => [b.mul(g, b.fn("sign", x!))],
  kink: { at: [0] },
});
