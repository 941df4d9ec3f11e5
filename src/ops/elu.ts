// elu(x, alpha = 1): x for x > 0, alpha·(e^x - 1) otherwise (with expm1, exact near 0). Its
// derivative at 0 is alpha (as PyTorch: the side x <= 0, where it is alpha·e^x).
import { jsNumber, numberArg, unaryOp } from "./shared.ts";

export const elu = unaryOp({
  name: "elu",
  builtin: true,
  params: [numberArg("alpha", 1)],
  f: (x, { alpha = 1 }) => (x > 0 ? x : alpha * Math.expm1(x)),
  scalar: (x, { alpha = 1 }) => `(${x} > 0 ? ${x} : ${alpha === 1 ? "" : `${jsNumber(alpha)} * `}Math.expm1(${x}))`,
  // d elu(x) = g ⊙ (heaviside(x) + (1 - heaviside(x)) ⊙ (out + alpha)),  as alpha·e^x = out + alpha below 0
  vjp: ({ g, args: [x], out, b }) => {
    const h = b.fn("heaviside", x!);
    return [b.mul(g, b.add(h, b.mul(b.sub(1, h), b.add(out, out.attrs.alpha ?? 1))))];
  },
  kink: { at: [0] },
  domain: { attrs: { alpha: 0.7 } },
});
