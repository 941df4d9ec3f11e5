// Named dimensions: a dimension declared by name (`dim F = 64`, `input a: [B, F]`) keeps its name
// through the checker, so broadcasting can refuse to align two differently named dims even when
// their sizes are equal — the layer-norm trap `a - mean(a, 1)` with B == F is caught here instead of
// silently subtracting along the wrong axis. Integer sizes (and sizes computed by ops) are
// anonymous (null) and align by size, as in NumPy. Names never change a shape: they only reject.
import type { Attrs } from "../graph/node.ts";
import { getOp } from "../ops/registry.ts";
import type { Shape, TExpr } from "./model.ts";

export type DimNames = readonly (string | null)[];

/** The names of an expression's axes (anonymous where unknown). */
export const dimsOf = (e: TExpr): DimNames => e.dims ?? e.shape.map(() => null);

/** `[B, F]`, `[B, 784]`: a shape in the names it was declared with. */
export function namedShapeText(shape: Shape, dims: DimNames): string {
  return `[${shape.map((d, i) => dims[i] ?? String(d)).join(", ")}]`;
}

/** Two named axes that broadcasting aligns, counted from the end (1 = the last). */
export interface DimConflict {
  fromEnd: number;
  left: string;
  right: string;
}

/** The first pair of differently named axes that trailing alignment puts together, if any. */
export function alignmentConflict(a: { shape: Shape; dims: DimNames }, b: { shape: Shape; dims: DimNames }): DimConflict | null {
  const n = Math.min(a.shape.length, b.shape.length);
  for (let k = 1; k <= n; k++) {
    const i = a.shape.length - k;
    const j = b.shape.length - k;
    // a size-1 axis broadcasts: nothing is aligned with it
    if (a.shape[i] === 1 || b.shape[j] === 1) continue;
    const l = a.dims[i] ?? null;
    const r = b.dims[j] ?? null;
    if (l !== null && r !== null && l !== r) return { fromEnd: k, left: l, right: r };
  }
  return null;
}

/** "the last axes", "the second-to-last axes", "axes -3". */
export function axesWords(fromEnd: number): string {
  if (fromEnd === 1) return "the last axes";
  if (fromEnd === 2) return "the second-to-last axes";
  return `axes -${fromEnd}`;
}

/** Trailing alignment of several operands: each output axis takes the name an operand gives it. */
function broadcastDims(shape: Shape, operands: readonly { shape: Shape; dims: DimNames }[]): DimNames {
  return shape.map((_, o) => {
    const k = shape.length - o;
    for (const x of operands) {
      const i = x.shape.length - k;
      if (i >= 0 && x.shape[i] !== 1 && x.dims[i]) return x.dims[i]!;
    }
    return null;
  });
}

/**
 * The names of an op's result axes from its operands'. Ops that only map, broadcast, normalize or
 * reduce along an axis keep names; reshape (and any op given its result's shape as a list) names
 * the axes its shape list names; anything else
 * (products' inner sizes aside) is anonymous, which never rejects anything.
 */
export function resultDims(op: string, args: readonly TExpr[], attrs: Readonly<Attrs>, shape: Shape, listed?: DimNames): DimNames {
  const kind = getOp(op).kind;
  const operands = args.map((a) => ({ shape: a.shape, dims: dimsOf(a) }));
  const x = operands[0];
  const anonymous = shape.map(() => null);
  if (!x) return anonymous;
  switch (kind) {
    case "elementwise":
      return broadcastDims(shape, operands);
    case "rowwise":
    case "mask":
      return x.dims;
    case "reduce": {
      const axis = attrs.axis ?? null;
      if (axis === null) return attrs.keepdims ? x.shape.map(() => null) : [];
      return attrs.keepdims ? x.dims.map((d, i) => (i === axis ? null : d)) : x.dims.filter((_, i) => i !== axis);
    }
    case "transpose":
      return [...x.dims].reverse();
    case "matmul": {
      const y = operands[1]!;
      return [...(x.shape.length === 2 ? [x.dims[0] ?? null] : []), ...(y.shape.length === 2 ? [y.dims[1] ?? null] : [])];
    }
    case "concat": {
      // the joined axis is anonymous; every other axis keeps the name any operand gives it
      const axis = attrs.axis ?? 0;
      return shape.map((_, d) => (d === axis ? null : (operands.map((o) => o.dims[d] ?? null).find((n) => n !== null) ?? null)));
    }
    case "gather":
      return [...operands[1]!.dims, x.dims[1] ?? null];
    case "reshape":
      if (listed) return listed;
      if (shape.length === x.shape.length) return x.dims;
      // flatten keeps the first axis
      return shape.map((_, i) => (i === 0 && shape.length > 1 ? (x.dims[0] ?? null) : null));
    default:
      // an op given its result's shape as a list (broadcast_to, conv2d_input…) names the axes it names
      return listed ?? anonymous;
  }
}

/** Two operands of concat whose names differ on an axis other than the joined one: the first such pair. */
export function concatConflict(operands: readonly { shape: Shape; dims: DimNames }[], axis: number): { i: number; j: number; axis: number; left: string; right: string } | null {
  for (let d = 0; d < (operands[0]?.shape.length ?? 0); d++) {
    if (d === axis) continue;
    let named = -1;
    for (let j = 0; j < operands.length; j++) {
      const name = operands[j]!.dims[d] ?? null;
      if (name === null) continue;
      if (named < 0) named = j;
      else if (operands[named]!.dims[d] !== name) return { i: named, j, axis: d, left: operands[named]!.dims[d]!, right: name };
    }
  }
  return null;
}
