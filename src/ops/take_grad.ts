// take_grad(g, idx): zeros of attrs.shape [V, D] with each row g[i] added into row idx[i]: the
// derivative of take, a scatter-add (rows picked twice get both). Written `scatter_add(g, idx,
// [V, D])` in .net (jax.lax.scatter_add; PyTorch's zeros(V, D).index_add(0, idx, g)).
import type { OpDef } from "./types.ts";
import { shapeArg, shapeText, tensorArg } from "./shared.ts";
import { gatherShape, rowOf } from "./gather.ts";
import { size } from "../graph/node.ts";

export const take_grad: OpDef = {
  name: "take_grad",
  kind: "scatter",
  arity: 2,
  kink: null,
  builtin: { name: "scatter_add", params: [tensorArg("g"), tensorArg("idx"), shapeArg("shape")] },
  shape: ([g, idx], attrs) => {
    const out = attrs.shape;
    if (!out || out.length !== 2) return `scatter_add needs the shape [V, D] of the rows it adds into${out ? `, found ${shapeText(out)}` : ""}`;
    const read = gatherShape(out, idx!);
    if (typeof read === "string") return read.replace(/^take/, "scatter_add");
    if (read.length !== g!.length || read.some((d, i) => d !== g![i])) return `scatter_add: $0 does not match ${shapeText(read)}, one row of ${out[1]} per index of $1`;
    return out;
  },
  eval: ([g, idx], _s, attrs) => {
    const [v, d] = [attrs.shape![0]!, attrs.shape![1]!];
    const r = new Float64Array(size(attrs.shape!));
    for (let i = 0; i < idx!.length; i++) {
      const row = rowOf(idx![i]!, v, i);
      for (let j = 0; j < d; j++) r[row * d + j]! += g![i * d + j]!;
    }
    return r;
  },
  // d take_grad(g, idx) = take(adjoint, idx): the rows it added into
  vjp: ({ g, args: [, idx], b }) => [b.op("take", [g, idx!]), null],
  domain: { indexArgs: [1] },
};
