// dropout(x, p): inverted dropout, as PyTorch's nn.Dropout. While `netc train` trains, each entry
// is zeroed with probability p and the others are scaled by 1/(1 - p), with a fresh mask drawn
// from the run's seed for every step; everywhere else (eval, predict, grad, check, the reference
// evaluation here) it is the identity. attrs.site numbers the dropout in the model: the emitted
// code keeps one mask per site, which the trainer fills (src/runtime/dropout.ts), and the
// gradient — the same dropout applied to the adjoint — multiplies by that same mask.
import type { OpDef } from "./types.ts";
import { numberArg, tensorArg } from "./shared.ts";

export const dropout: OpDef = {
  name: "dropout",
  kind: "dropout",
  arity: 1,
  kink: null,
  builtin: { name: "dropout", params: [tensorArg("x"), numberArg("p", 0.5)] },
  shape: ([x], { p }) => {
    if (p === undefined || !(p >= 0 && p < 1)) return `p of dropout must be a probability in [0, 1), found ${p}`;
    return x!;
  },
  // outside training, the identity
  eval: ([x]) => Float64Array.from(x!),
  // d dropout(x) = g times the same mask (dropout is linear in x for a fixed mask)
  vjp: ({ g, out, b }) => [b.op("dropout", [g], out.attrs)],
  domain: { attrs: { p: 0.5, site: 0 } },
};
