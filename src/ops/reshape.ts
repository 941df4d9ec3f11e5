// reshape(x, [d1, ..., dn]): the same numbers in the same row-major order, viewed with another
// shape of the same size (the checker resolves dim names and one -1 into attrs.shape). Emitted
// code reads the operand at the same flat offset: no copy unless a kernel needs it whole.
import type { OpDef } from "./types.ts";
import { shapeArg, shapeText, tensorArg } from "./shared.ts";
import { size } from "../graph/node.ts";

export const reshape: OpDef = {
  name: "reshape",
  kind: "reshape",
  arity: 1,
  kink: null,
  builtin: { name: "reshape", params: [tensorArg("x"), shapeArg("shape")] },
  shape: ([x], attrs) => {
    const out = attrs.shape;
    if (!out) return "reshape needs a target shape";
    if (size(out) !== size(x!)) return `cannot reshape $0 to ${shapeText(out)}: $0 holds ${size(x!)} numbers, but ${shapeText(out)} holds ${size(out)}`;
    return out;
  },
  eval: ([x]) => Float64Array.from(x!),
  // d reshape(x) = g reshaped back to the shape of x
  vjp: ({ g, args: [x], b }) => [b.reshape(g, x!.shape)],
};
