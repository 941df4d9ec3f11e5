// normal_cdf(x): Φ(x), the standard normal distribution function, = erfc(-x/√2)/2 (also a built-in;
// the factor of gelu and of its derivative). With t = -x/√2: erf by its everywhere-positive series
// e^{-t²}·Σ (2t²)^n t / (1·3·…·(2n+1)) for |t| < 1, erfc by its continued fraction
// 1/(t + (1/2)/(t + 1/(t + (3/2)/(t + …)))) above (200 terms below |t| = 2, 60 above), and e^{-t²}
// computed from x split in two so its rounding is not amplified in the tails: relative error about
// 1e-15 from Φ = 1e-300 to 1 (test/ops/normal-cdf.test.ts).
import { unaryOp } from "./shared.ts";

const CODE = `function normalCdf(x: number): number {
  const t = -x * Math.SQRT1_2;
  const a = Math.abs(t);
  if (!(a < Infinity)) return Number.isNaN(a) ? NaN : t > 0 ? 0 : 1;
  // e^{-t²} = e^{-x²/2} from x itself, x split so the exponent is exact: relative error 1e-16
  const ax = Math.abs(x);
  const xh = Math.round(ax * 16) / 16;
  const e = Math.exp((-xh * xh) / 2) * Math.exp((-(ax - xh) * (ax + xh)) / 2);
  let erfcA = 0;
  if (a < 1) {
    let term = a;
    let s = a;
    const a2 = 2 * a * a;
    for (let n = 1; n < 60 && term > 1e-17 * s; n++) s += term *= a2 / (2 * n + 1);
    erfcA = 1 - (2 / Math.sqrt(Math.PI)) * e * s;
  } else {
    let f = a;
    for (let i = a < 2 ? 200 : 60; i >= 1; i--) f = a + i / 2 / f;
    erfcA = e / Math.sqrt(Math.PI) / f;
  }
  return 0.5 * (t >= 0 ? erfcA : 2 - erfcA);
}`;

// The same function for the reference evaluation (one text, so the two cannot drift apart).
export const normalCdf = new Function(`${CODE.replace(/: number/g, "")}\nreturn normalCdf;`)() as (x: number) => number;

export const normalCdfPrelude = { name: "normalCdf", code: CODE };

export const normal_cdf = unaryOp({
  name: "normal_cdf",
  // a built-in too (PyTorch's torch.special.ndtr), so gelu's derivative prints as .net
  builtin: true,
  f: normalCdf,
  scalar: (x) => `normalCdf(${x})`,
  prelude: normalCdfPrelude,
  // d Φ(x) = φ(x) ⊙ g = e^{-x²/2} / √(2π) ⊙ g
  kink: null,
  vjp: ({ g, args: [x], b }) => [b.mul(g, b.mul(b.exp(b.mul(-0.5, b.mul(x!, x!))), 1 / Math.sqrt(2 * Math.PI)))],
});
