// What amax/amin and their masks share: the extreme of each run along an axis (all axes when the
// axis is null) and where it first occurs in row-major order. A tie sends the whole gradient to
// the first extreme (as PyTorch's max(dim) does through its index).
import type { Attrs, Shape } from "../graph/node.ts";
import { size } from "../graph/node.ts";
import type { OpDef } from "./types.ts";
import { alongAxis, axisArg, axisOf, flagArg, keptDims, reduceShape, resolveAxis, tensorArg } from "./shared.ts";

/** For each run along the axis: its extreme value and the flat index of its first occurrence. */
export function extremes(x: Float64Array, s: Shape, attrs: Readonly<Attrs>, lowest: boolean, out: (k: number, value: number, at: number) => void): void {
  const better = lowest ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  alongAxis(s, s.length === 0 ? null : axisOf(attrs, s.length), (base, stride, n, k) => {
    let best = x[base]!;
    let at = base;
    for (let j = 1; j < n; j++) {
      const v = x[base + j * stride]!;
      // NaN wins (and stays): the extreme of a run with a NaN is NaN, as Math.max
      if (!Number.isNaN(best) && (Number.isNaN(v) || better(v, best))) {
        best = v;
        at = base + j * stride;
      }
    }
    out(k, best, at);
  });
}

/** amax / amin: the reduction; its derivative spreads g back over the axis, masked by `mask`. */
export function extremeReduce(name: "amax" | "amin", mask: "argmax_mask" | "argmin_mask"): OpDef {
  const lowest = name === "amin";
  return {
    name,
    kind: "reduce",
    arity: 1,
    // the value is continuous; its derivative jumps where the first extreme moves: the mask's kink
    kink: null,
    builtin: { name, params: [tensorArg("x"), axisArg("axis", true), flagArg("keepdims")] },
    shape: ([x], attrs) => reduceShape(x!, attrs),
    eval: ([x], [s], attrs, out) => {
      const r = new Float64Array(size(out));
      extremes(x!, s!, attrs, lowest, (k, v) => (r[k] = v));
      return r;
    },
    // d extreme(x) = g spread back over the axis ⊙ [first extreme]
    vjp: ({ g, args: [x], out, b }) => {
      const s = x!.shape;
      const axis = out.attrs.axis ?? null;
      const back = out.attrs.keepdims || s.length === 0 ? b.broadcastTo(g, s) : b.expand(g, s, keptDims(s.length, axis));
      return [b.mul(back, b.op(mask, [x!], { axis }))];
    },
  };
}

/** 1 at the first extreme of each run, 0 elsewhere. */
function firstExtremes(x: Float64Array, s: Shape, attrs: Readonly<Attrs>, lowest: boolean): Float64Array {
  const m = new Float64Array(size(s));
  extremes(x, s, attrs, lowest, (_k, _v, at) => (m[at] = 1));
  return m;
}

/**
 * argmax_mask / argmin_mask(x, axis): 1 at the first extreme of each run along the axis (of all of
 * x without one), 0 elsewhere; a mask (no derivative). Built-ins, so max(x, axis)'s gradient prints as .net.
 */
export function extremeMask(name: "argmax_mask" | "argmin_mask"): OpDef {
  const lowest = name === "argmin_mask";
  return {
    name,
    kind: "mask",
    arity: 1,
    builtin: { name, params: [tensorArg("x"), axisArg("axis", true)] },
    shape: ([x], attrs) => {
      const a = resolveAxis(attrs.axis, x!.length);
      return typeof a === "string" ? a : x!;
    },
    eval: ([x], [s], attrs) => firstExtremes(x!, s!, attrs, lowest),
    vjp: () => [null],
    // the switch is the mask itself (minus 1/2): a probe that moves the first extreme to another entry crosses
    kink: ([x], [s], attrs) => firstExtremes(x!, s!, attrs, lowest).map((m) => m - 0.5),
    mask: true,
  };
}
