// flatten(x): keeps the first axis and flattens the rest into one, row-major (PyTorch's
// nn.Flatten): [B, C, H, W] → [B, C·H·W]. A vector stays as it is.
import type { OpDef } from "./types.ts";
import { tensorArg } from "./shared.ts";
import { size } from "../graph/node.ts";

export const flatten: OpDef = {
  name: "flatten",
  kind: "reshape",
  arity: 1,
  kink: null,
  builtin: { name: "flatten", params: [tensorArg("x")] },
  shape: ([x]) => (x!.length === 0 ? "flatten keeps the first axis and flattens the rest, but $0 is a scalar" : x!.length === 1 ? x! : [x![0]!, size(x!.slice(1))]),
  eval: ([x]) => Float64Array.from(x!),
  // d flatten(x) = g reshaped back to the shape of x
  vjp: ({ g, args: [x], b }) => [b.reshape(g, x!.shape)],
};
