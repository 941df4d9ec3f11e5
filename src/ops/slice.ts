// slice(x): constant Python-style slicing, x[:, 0:2], x[1], x[:, -1] (the checker resolves the
// bounds): attrs.begin and attrs.end per axis of x (end exclusive), attrs.drop the axes indexed by
// an integer, which the result does not have. A view: emitted code reads x at shifted offsets.
import type { OpDef } from "./types.ts";
import { regionOffsets, sliceShape } from "./slicing.ts";
import { size } from "../graph/node.ts";

export const slice: OpDef = {
  name: "slice",
  kind: "slice",
  arity: 1,
  kink: null,
  shape: ([x], attrs) => sliceShape(x!, attrs),
  eval: ([x], [s], attrs, out) => {
    const r = new Float64Array(size(out));
    regionOffsets(s!, attrs.begin!, attrs.end!).forEach((from, k) => (r[k] = x![from]!));
    return r;
  },
  // d x[region] = g written into zeros of the shape of x (a dropped axis comes back with size 1)
  vjp: ({ g, args: [x], out, b }) => {
    const { begin, end } = out.attrs;
    const region = x!.shape.map((_, d) => end![d]! - begin![d]!);
    return [b.op("pad", [b.reshape(g, region)], { before: begin!, after: x!.shape.map((n, d) => n - end![d]!) })];
  },
  domain: { attrs: { begin: [0, 1], end: [2, 3] } },
};
