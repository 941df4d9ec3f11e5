// cross_entropy(logits, y): the mean over rows of -Σ y ⊙ log_softmax(logits) along the last axis
// (rank-1 logits are one row). Stable: log_softmax subtracts the row max.
import type { OpDef } from "./types.ts";
import { shapeText, tensorArg } from "./shared.ts";

export const cross_entropy: OpDef = {
  name: "cross_entropy",
  kind: "loss",
  kink: null,
  arity: 2,
  builtin: { name: "cross_entropy", params: [tensorArg("logits"), tensorArg("y")] },
  shape: ([z, y]) => {
    if (z!.length < 1 || z!.length > 2) return `cross_entropy needs logits of rank 1 or 2, but $0 has rank ${z!.length}`;
    if (z!.length !== y!.length || z!.some((d, i) => d !== y![i]))
      return `cross_entropy needs targets shaped like the logits: $0 and $1 differ (expected $1 to be ${shapeText(z!)})`;
    return [];
  },
  eval: ([z, y], [s]) => {
    const n = s![s!.length - 1]!;
    const rows = s!.length === 2 ? s![0]! : 1;
    let t = 0;
    for (let i = 0; i < rows; i++) {
      let m = -Infinity;
      for (let j = 0; j < n; j++) m = Math.max(m, z![i * n + j]!);
      let e = 0;
      for (let j = 0; j < n; j++) e += Math.exp(z![i * n + j]! - m);
      const lse = m + Math.log(e);
      for (let j = 0; j < n; j++) if (y![i * n + j] !== 0) t -= y![i * n + j]! * (z![i * n + j]! - lse);
    }
    return Float64Array.of(t / rows);
  },
  // d/dlogits = g ⊙ (softmax(z) ⊙ Σ_row y - y) / rows   (= (softmax - y)/rows for one-hot y)
  // d/dy      = -g ⊙ log_softmax(z) / rows
  vjp: ({ g, args: [z, y], b, needs }) => {
    const axis = z!.shape.length - 1;
    const rows = z!.shape.length === 2 ? z!.shape[0]! : 1;
    const gr = b.div(g, rows);
    const dz = needs?.[0] === false ? null : b.mul(gr, b.sub(b.mul(b.op("softmax", [z!], { axis }), b.sum(y!, axis, true)), y!));
    const dy = needs?.[1] === false ? null : b.neg(b.mul(gr, b.op("log_softmax", [z!], { axis })));
    return [dz, dy];
  },
};
