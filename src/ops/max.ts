// max(a, b): element-wise maximum with broadcasting; on a tie the gradient goes to a.
import { binaryOp, tensorArg } from "./shared.ts";

export const max = binaryOp({
  name: "max",
  builtin: { name: "max", params: [tensorArg("a"), tensorArg("b")] },
  verb: "cannot take the maximum of $0 and $1",
  f: Math.max,
  scalar: (a, b) => `Math.max(${a}, ${b})`,
  // d max(a, b) = g ⊙ [a >= b],  g ⊙ (1 - [a >= b])
  kink: "difference",
  vjp: ({ g, args: [x, y], b }) => {
    const m = b.ge(x!, y!);
    return [b.mul(g, m), b.mul(g, b.sub(1, m))];
  },
});
