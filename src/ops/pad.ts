// pad(x, before, after): x surrounded by zeros, before[d] of them ahead of axis d and after[d]
// behind it (NumPy's np.pad with constant zeros). The derivative of a slice, and a built-in so
// that every gradient `netc explain` prints re-parses as .net.
import type { OpDef } from "./types.ts";
import { regionOffsets } from "./slicing.ts";
import { intsArg, shapeText, tensorArg } from "./shared.ts";
import { size } from "../graph/node.ts";

export const pad: OpDef = {
  name: "pad",
  kind: "pad",
  arity: 1,
  kink: null,
  builtin: { name: "pad", params: [tensorArg("x"), intsArg("before"), intsArg("after")] },
  shape: ([x], { before, after }) => {
    if (!before || !after) return "pad needs the zeros before and after each axis";
    for (const [name, list] of [["before", before], ["after", after]] as const) {
      if (list.length !== x!.length) return `the ${name} list of pad has ${list.length} ${list.length === 1 ? "entry" : "entries"}, but $0 has ${x!.length} ${x!.length === 1 ? "axis" : "axes"}`;
      if (list.some((n) => !Number.isInteger(n) || n < 0)) return `the ${name} list of pad must hold counts of zeros (0 or more), found ${shapeText(list)}`;
    }
    return x!.map((n, d) => before[d]! + n + after[d]!);
  },
  eval: ([x], [s], { before }, out) => {
    const r = new Float64Array(size(out));
    regionOffsets(out, before!, before!.map((b, d) => b + s![d]!)).forEach((to, k) => (r[to] = x![k]!));
    return r;
  },
  // d pad(x) = the region of the adjoint that pad wrote x into
  vjp: ({ g, args: [x], out, b }) => {
    const before = out.attrs.before!;
    return [b.op("slice", [g], { begin: before, end: before.map((n, d) => n + x!.shape[d]!) })];
  },
  domain: { attrs: { before: [1, 0], after: [0, 2] } },
};
