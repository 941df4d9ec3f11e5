// log1p(x): log(1 + x), exact for small x (Math.log1p).
import { unaryOp } from "./shared.ts";

export const log1p = unaryOp({
  name: "log1p",
  builtin: true,
  f: Math.log1p,
  scalar: (x) => `Math.log1p(${x})`,
  // d log1p(x) = g / (1 + x)
  kink: null,
  vjp: ({ g, args: [x], b }) => [b.div(g, b.add(1, x!))],
  domain: { args: [[-0.9, 2]] },
});
