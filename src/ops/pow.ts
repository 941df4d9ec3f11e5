// pow: a ^ p (also the built-in pow(x, p)), element-wise with broadcasting.
import { binaryOp, tensorArg } from "./shared.ts";

export const pow = binaryOp({
  name: "pow",
  kink: null,
  builtin: { name: "pow", params: [tensorArg("x"), tensorArg("p")] },
  verb: "cannot raise $0 to the power $1",
  f: (a, p) => Math.pow(a, p),
  scalar: (a, p) => `Math.pow(${a}, ${p})`,
  // d(a^p) = g ⊙ p ⊙ a^(p-1),  g ⊙ out ⊙ log(a)
  vjp: ({ g, out, args: [x, p], b, needs }) => {
    let dx = null;
    if (needs?.[0] !== false && p!.op === "const" && p!.attrs.value === 0) {
      // a^0 is the constant 1: its derivative is 0 everywhere, a = 0 included (as in PyTorch),
      // not 0 · a^-1, which is NaN at a = 0
      dx = b.mul(g, b.const(0));
    } else if (needs?.[0] !== false) {
      const pm1 = p!.op === "const" ? b.const(p!.attrs.value! - 1) : b.sub(p!, 1);
      dx = b.mul(g, b.mul(p!, b.pow(x!, pm1)));
    }
    const dp = needs?.[1] === false || p!.op === "const" ? null : b.mul(g, b.mul(out, b.log(x!)));
    return [dx, dp];
  },
  domain: { args: [[0.5, 2], [-2, 2]] },
});
