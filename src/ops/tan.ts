// tan.
import { unaryOp } from "./shared.ts";

export const tan = unaryOp({
  name: "tan",
  kink: null,
  builtin: true,
  f: Math.tan,
  scalar: (x) => `Math.tan(${x})`,
  // d tan(x) = (1 + out²) ⊙ g
  vjp: ({ g, out, b }) => [b.mul(g, b.add(1, b.mul(out, out)))],
  domain: { args: [[-1.2, 1.2]] },
});
