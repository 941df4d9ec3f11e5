// log: the natural logarithm.
import { unaryOp } from "./shared.ts";

export const log = unaryOp({
  name: "log",
  kink: null,
  builtin: true,
  f: Math.log,
  scalar: (x) => `Math.log(${x})`,
  // d log(x) = g / x
  vjp: ({ g, args: [x], b }) => [b.div(g, x!)],
  domain: { args: [[0.2, 3]] },
});
