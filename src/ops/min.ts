// min(a, b): element-wise minimum with broadcasting; on a tie the gradient goes to a.
import { binaryOp, tensorArg } from "./shared.ts";

export const min = binaryOp({
  name: "min",
  builtin: { name: "min", params: [tensorArg("a"), tensorArg("b")] },
  verb: "cannot take the minimum of $0 and $1",
  f: Math.min,
  scalar: (a, b) => `Math.min(${a}, ${b})`,
  // d min(a, b) = g ⊙ [b >= a],  g ⊙ (1 - [b >= a])
  kink: "difference",
  vjp: ({ g, args: [x, y], b }) => {
    const m = b.ge(y!, x!);
    return [b.mul(g, m), b.mul(g, b.sub(1, m))];
  },
});
