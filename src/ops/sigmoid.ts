// sigmoid: the logistic function 1 / (1 + e^-x), computed without overflow for large |x|.
import { stableSigmoid, unaryOp } from "./shared.ts";

export const sigmoid = unaryOp({
  name: "sigmoid",
  kink: null,
  builtin: true,
  f: stableSigmoid,
  scalar: (x) => `sigmoid(${x})`,
  prelude: {
    name: "sigmoid",
    code: "function sigmoid(x: number): number {\n  if (x >= 0) return 1 / (1 + Math.exp(-x));\n  const e = Math.exp(x);\n  return e / (1 + e);\n}",
  },
  // d σ(x) = out ⊙ (1 - out) ⊙ g
  vjp: ({ g, out, b }) => [b.mul(g, b.mul(out, b.sub(1, out)))],
});
