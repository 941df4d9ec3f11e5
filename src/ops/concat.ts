// concat(a, b, …, axis = k): the operands side by side along axis k (default 0), as np.concatenate
// and torch.cat; every other axis must have the same size in all of them. The gradient of each
// operand is its own slice of the adjoint.
import type { OpDef } from "./types.ts";
import { axisArg, opAxis, resolveAxis, strides, tensorsArg } from "./shared.ts";
import { size } from "../graph/node.ts";

/** Where each operand starts along the axis. */
const offsets = (sizes: readonly number[]): number[] => sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));

export const concat: OpDef = {
  name: "concat",
  kind: "concat",
  arity: -1,
  kink: null,
  builtin: { name: "concat", params: [tensorsArg("tensors"), axisArg("axis", true)] },
  shape: (xs, attrs) => {
    const first = xs[0];
    if (!first) return "concat needs at least one tensor";
    if (first.length === 0) return "cannot concatenate $0: a scalar has no axis to join along";
    const axis = resolveAxis(attrs.axis ?? 0, first.length);
    if (typeof axis === "string") return axis;
    for (let i = 1; i < xs.length; i++) {
      const x = xs[i]!;
      if (x.length !== first.length) return `cannot concatenate $0 and $${i}: ranks ${first.length} and ${x.length} differ`;
      const d = x.findIndex((n, j) => j !== axis && n !== first[j]);
      if (d >= 0) return `cannot concatenate $0 and $${i} along axis ${axis}: axis ${d} has size ${first[d]} in one and ${x[d]} in the other`;
    }
    return first.map((n, j) => (j === axis ? xs.reduce((t, x) => t + x[j]!, 0) : n));
  },
  eval: (xs, shapes, attrs, out) => {
    const axis = opAxis("concat", attrs.axis, out.length)!;
    const r = new Float64Array(size(out));
    // the output as outer blocks (axes before `axis`), each the operands' blocks one after another
    const outer = out.slice(0, axis).reduce((a, b) => a * b, 1);
    const rows = strides(out)[axis]! * out[axis]!;
    let at = 0;
    xs.forEach((x, i) => {
      const block = size(shapes[i]!) / outer;
      for (let o = 0; o < outer; o++) r.set(x.subarray(o * block, (o + 1) * block), o * rows + at);
      at += block;
    });
    return r;
  },
  // d concat(a, b) = the slices of g each operand fills
  vjp: ({ g, args, out, b }) => {
    const axis = opAxis("concat", out.attrs.axis, out.shape.length)!;
    const starts = offsets(args.map((x) => x.shape[axis]!));
    return args.map((x, i) => {
      const begin = out.shape.map((_, d) => (d === axis ? starts[i]! : 0));
      const end = out.shape.map((n, d) => (d === axis ? starts[i]! + x.shape[axis]! : n));
      return b.op("slice", [g], { begin, end });
    });
  },
};
