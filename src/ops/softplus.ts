// softplus: log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so large |x| neither overflows
// nor loses precision.
import { unaryOp } from "./shared.ts";

const softplusFn = (x: number): number => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));

export const softplus = unaryOp({
  name: "softplus",
  kink: null,
  builtin: true,
  f: softplusFn,
  scalar: (x) => `softplus(${x})`,
  prelude: {
    name: "softplus",
    code: "function softplus(x: number): number {\n  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));\n}",
  },
  // d softplus(x) = σ(x) ⊙ g
  vjp: ({ g, args: [x], b }) => [b.mul(g, b.fn("sigmoid", x!))],
});
