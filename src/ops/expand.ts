// expand: broadcast x to attrs.shape. attrs.dims[i] is the output axis of input axis i (default:
// trailing alignment, as NumPy); an input axis of size 1 is repeated along its output axis.
// Written `broadcast_to(x, [B, F])` in .net (NumPy's and PyTorch's name), trailing alignment only:
// a broadcast along other axes is `broadcast_to(reshape(x, [B, 1]), [B, F])`.
import type { OpDef } from "./types.ts";
import type { Node, Shape } from "../graph/node.ts";
import { broadcastIndex, shapeArg, shapeText, tensorArg } from "./shared.ts";
import { size } from "../graph/node.ts";

const dimsOf = (x: Shape, out: Shape, dims: readonly number[] | undefined): readonly number[] =>
  dims ?? x.map((_, i) => out.length - x.length + i);

export const expand: OpDef = {
  name: "expand",
  kind: "expand",
  kink: null,
  arity: 1,
  builtin: { name: "broadcast_to", params: [tensorArg("x"), shapeArg("shape")] },
  shape: ([x], attrs) => {
    const out = attrs.shape;
    if (!out) return "broadcast_to needs a target shape";
    if (!attrs.dims && x!.length > out.length) return `cannot broadcast $0 to ${shapeText(out)}: it has more axes (${x!.length}) than the target (${out.length})`;
    const dims = dimsOf(x!, out, attrs.dims);
    if (dims.length !== x!.length) return `cannot broadcast $0 to ${shapeText(out)}: ${x!.length} axes but ${dims.length} dims`;
    for (let i = 0; i < dims.length; i++) {
      const d = dims[i]!;
      if (!Number.isInteger(d) || d < 0 || d >= out.length || (i > 0 && d <= dims[i - 1]!))
        return `cannot broadcast $0 to ${shapeText(out)}: bad axis map [${dims.join(", ")}]`;
      if (x![i] !== 1 && x![i] !== out[d]) return `cannot broadcast $0 to ${shapeText(out)}: size ${x![i]} of axis ${i} does not fit ${out[d]} (sizes must be equal, or 1)`;
    }
    return out;
  },
  eval: ([x], [s], attrs, out) => {
    const map = broadcastIndex(s!, out, dimsOf(s!, out, attrs.dims));
    const r = new Float64Array(size(out));
    for (let k = 0; k < r.length; k++) r[k] = x![map[k]!]!;
    return r;
  },
  // d expand(x) = g summed over the axes x was broadcast along
  vjp: ({ g, args: [x], out, b }) => {
    const s = x!.shape;
    const o = out.shape;
    const dims = dimsOf(s, o, out.attrs.dims);
    let r: Node = g;
    for (let i = 0; i < s.length; i++) if (s[i] === 1 && o[dims[i]!] !== 1) r = b.sum(r, dims[i]!, true);
    for (let d = o.length - 1; d >= 0; d--) if (!dims.includes(d)) r = b.sum(r, d);
    return [r];
  },
};
