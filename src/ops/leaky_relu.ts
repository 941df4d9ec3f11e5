// leaky_relu(x, alpha = 0.01): x for x > 0, alpha·x otherwise (PyTorch's negative_slope). Its
// derivative at 0 is alpha (as PyTorch: the slope of the side x <= 0).
import { jsNumber, numberArg, unaryOp } from "./shared.ts";

export const leaky_relu = unaryOp({
  name: "leaky_relu",
  builtin: true,
  params: [numberArg("alpha", 0.01)],
  f: (x, { alpha = 0.01 }) => (x > 0 ? x : alpha * x),
  scalar: (x, { alpha = 0.01 }) => `(${x} > 0 ? ${x} : ${jsNumber(alpha)} * ${x})`,
  // d leaky_relu(x) = g ⊙ (alpha + (1 - alpha) · heaviside(x)), with heaviside(0) = 0
  vjp: ({ g, args: [x], out, b }) => {
    const alpha = out.attrs.alpha ?? 0.01;
    return [b.mul(g, b.add(alpha, b.mul(1 - alpha, b.fn("heaviside", x!))))];
  },
  kink: { at: [0] },
  domain: { attrs: { alpha: 0.2 } },
});
