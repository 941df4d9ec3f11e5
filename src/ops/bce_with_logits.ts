// bce_with_logits(logits, y): binary cross-entropy of sigmoid(logits) against y, the mean over all
// entries of  max(z, 0) - z·y + log1p(e^{-|z|})  (PyTorch's BCEWithLogitsLoss): finite for any
// logit, never log(0). y is usually 0 or 1, but any value is accepted.
import type { OpDef } from "./types.ts";
import { shapeText, tensorArg } from "./shared.ts";

export const bceTerm = (z: number, y: number): number => Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));

export const bce_with_logits: OpDef = {
  name: "bce_with_logits",
  kind: "loss",
  arity: 2,
  kink: null,
  builtin: { name: "bce_with_logits", params: [tensorArg("logits"), tensorArg("y")] },
  shape: ([z, y]) => {
    if (z!.length !== y!.length || z!.some((d, i) => d !== y![i]))
      return `bce_with_logits needs targets shaped like the logits: $0 and $1 differ (expected $1 to be ${shapeText(z!)})`;
    return [];
  },
  eval: ([z, y]) => {
    let t = 0;
    for (let k = 0; k < z!.length; k++) t += bceTerm(z![k]!, y![k]!);
    return Float64Array.of(t / z!.length);
  },
  // d/dlogits = g ⊙ (σ(z) - y) / n,   d/dy = -g ⊙ z / n     (n entries)
  vjp: ({ g, args: [z, y], b, needs }) => {
    const gn = b.div(g, z!.shape.reduce((a, d) => a * d, 1));
    const dz = needs?.[0] === false ? null : b.mul(gn, b.sub(b.fn("sigmoid", z!), y!));
    const dy = needs?.[1] === false ? null : b.neg(b.mul(gn, z!));
    return [dz, dy];
  },
};
