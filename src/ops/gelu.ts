// gelu(x) = x·Φ(x), exact (erf-based, PyTorch's default approximate = 'none'); Φ is normal_cdf.
import { unaryOp } from "./shared.ts";
import { normalCdf, normalCdfPrelude } from "./normal_cdf.ts";

export const gelu = unaryOp({
  name: "gelu",
  builtin: true,
  f: (x) => x * normalCdf(x),
  scalar: (x) => `${x} * normalCdf(${x})`,
  prelude: normalCdfPrelude,
  // d gelu(x) = g ⊙ (Φ(x) + x·φ(x)),  φ(x) = e^{-x²/2} / √(2π)
  kink: null,
  vjp: ({ g, args: [x], b }) => {
    const phi = b.mul(b.exp(b.mul(-0.5, b.mul(x!, x!))), 1 / Math.sqrt(2 * Math.PI));
    return [b.mul(g, b.add(b.fn("normal_cdf", x!), b.mul(x!, phi)))];
  },
});
