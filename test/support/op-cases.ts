// Random cases for one op of the registry: operand shapes, attributes and values, drawn from the
// op's kind (element-wise with broadcasting, matmul in its rank forms with transposes, reductions
// and row ops along a random axis, expand along a random axis map) and checked against the op's own
// shape rule. Values come from the op's `domain` hint (default [-2, 2]), kept 0.1 away from its
// kink points and from ties of max/min/max pools (kink switches near zero), so derivatives are
// defined. Convolutions and pools draw small geometries (stride, padding, window) that fit.
import type { Attrs, Node, OpName } from "../../src/graph/node.ts";
import { Builder } from "../../src/ir/builder.ts";
import { interpret } from "../../src/ir/interpret.ts";
import type { OpDef } from "../../src/ops/types.ts";
import type { Rng } from "../../src/runtime/rng.ts";
import { isKink, switches } from "../../src/gradcheck/kinks.ts";
import { kinkPoints } from "../../src/ops/shared.ts";

export interface OpCase {
  op: OpName;
  shapes: number[][];
  attrs: Attrs;
  /** Operand values by name (`x0`, `x1`) and the output's cotangent `g`. */
  values: Map<string, Float64Array>;
}

type Candidate = { shapes: number[][]; attrs: Attrs };

const dimOf = (rng: Rng): number => rng.int(1, 4);
/** Ranks 0 to 4; sizes 1 to 4 (1 to 3 at rank 3 and 4, so a case stays small). */
const shapeOf = (rng: Rng, rank: number): number[] => Array.from({ length: rank }, () => (rank >= 3 ? rng.int(1, 3) : dimOf(rng)));
/** A rank for a tensor operand: mostly 0 to 2, sometimes 3 or 4. */
const rankOf = (rng: Rng, min = 0): number => (rng.uniform() < 0.25 ? rng.int(3, 4) : rng.int(min, 2));
const count = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

/** A shape that broadcasts against `s`: a trailing part of it, with some sizes set to 1. */
function broadcastPartner(rng: Rng, s: number[]): number[] {
  const keep = rng.int(0, s.length);
  return s.slice(s.length - keep).map((d) => (rng.uniform() < 0.3 ? 1 : d));
}

function pair(rng: Rng): number[][] {
  const a = shapeOf(rng, rankOf(rng));
  const b = rng.uniform() < 0.4 ? [...a] : broadcastPartner(rng, a);
  return rng.uniform() < 0.5 ? [a, b] : [b, a];
}

function candidate(def: OpDef, rng: Rng): Candidate {
  switch (def.kind) {
    case "elementwise":
    case "loss":
      if (def.arity === 1) return { shapes: [shapeOf(rng, rankOf(rng))], attrs: {} };
      if (def.kind === "loss" && rng.uniform() < 0.5) {
        const s = shapeOf(rng, rankOf(rng, 1));
        return { shapes: [s, [...s]], attrs: {} };
      }
      return { shapes: pair(rng), attrs: {} };
    case "matmul": {
      const [m, k, n] = [dimOf(rng), dimOf(rng), dimOf(rng)];
      const ra = rng.int(1, 2);
      const rb = rng.int(1, 2);
      const transA = ra === 2 && rng.uniform() < 0.5;
      const transB = rb === 2 && rng.uniform() < 0.5;
      const a = ra === 1 ? [k] : transA ? [k, m] : [m, k];
      const b = rb === 1 ? [k] : transB ? [n, k] : [k, n];
      return { shapes: [a, b], attrs: { ...(transA ? { transA } : {}), ...(transB ? { transB } : {}) } };
    }
    case "transpose":
      return { shapes: [shapeOf(rng, 2)], attrs: {} };
    case "mask":
    case "reduce": {
      const s = shapeOf(rng, rankOf(rng));
      const axis = s.length === 0 || rng.uniform() < 0.3 ? null : rng.int(0, s.length - 1);
      return { shapes: [s], attrs: { axis, ...(rng.uniform() < 0.3 ? { keepdims: true } : {}) } };
    }
    case "rowwise": {
      const s = shapeOf(rng, rankOf(rng, 1));
      return { shapes: [s], attrs: { axis: rng.int(0, s.length - 1) } };
    }
    case "expand": {
      const out = shapeOf(rng, rankOf(rng, 1));
      const dims = out.map((_, i) => i).filter(() => rng.uniform() < 0.5);
      const x = dims.map((d) => (rng.uniform() < 0.3 ? 1 : out[d]!));
      const trailing = dims.every((d, i) => d === out.length - dims.length + i);
      return { shapes: [x], attrs: trailing && rng.uniform() < 0.5 ? { shape: out } : { shape: out, dims } };
    }
    case "gather": {
      // take(E [V, D], idx [N] or [N, T])
      const e = [rng.int(2, 4), rng.int(1, 3)];
      return { shapes: [e, shapeOf(rng, rng.int(1, 2))], attrs: {} };
    }
    case "scatter": {
      // take_grad(g [...idx, D], idx) into [V, D]
      const out = [rng.int(2, 4), rng.int(1, 3)];
      const idx = shapeOf(rng, rng.int(1, 2));
      return { shapes: [[...idx, out[1]!], idx], attrs: { shape: out } };
    }
    case "reshape": {
      const x = shapeOf(rng, rankOf(rng, 1));
      const total = count(x);
      // the same numbers as one axis, with a leading 1, split after the first axis, or reversed
      const outs = [[total], [1, total], [x[0]!, total / x[0]!], [...x].reverse(), [...x, 1]];
      const takesShape = def.builtin?.params.some((p) => p.kind === "shape") ?? false;
      return { shapes: [x], attrs: takesShape ? { shape: outs[rng.int(0, outs.length - 1)]! } : {} };
    }
    case "slice": {
      // a random region of a tensor of rank 1 to 4, some one-wide axes indexed (dropped)
      const x = shapeOf(rng, rankOf(rng, 1));
      const begin = x.map((n) => rng.int(0, n - 1));
      const end = x.map((n, d) => rng.int(begin[d]! + 1, n));
      const drop = x.map((_, d) => d).filter((d) => end[d] === begin[d]! + 1 && rng.uniform() < 0.5);
      return { shapes: [x], attrs: drop.length > 0 ? { begin, end, drop } : { begin, end } };
    }
    case "pad": {
      const x = shapeOf(rng, rankOf(rng, 1));
      return { shapes: [x], attrs: { before: x.map(() => rng.int(0, 2)), after: x.map(() => rng.int(0, 2)) } };
    }
    case "concat": {
      // 1 to 3 operands of rank 1 to 4, equal but along the axis
      const x = shapeOf(rng, rankOf(rng, 1));
      const axis = rng.int(0, x.length - 1);
      const shapes = Array.from({ length: rng.int(1, 3) }, () => x.map((n, d) => (d === axis ? rng.int(1, 3) : n)));
      return { shapes, attrs: { axis } };
    }
    case "conv":
      return convCandidate(def.name, rng);
    case "pool":
      return poolCandidate(def.name, rng);
    default:
      return { shapes: Array.from({ length: def.arity }, () => [3]), attrs: {} };
  }
}

/**
 * A convolution (or one of its gradients) of small random geometry: 1 or 2 spatial axes, stride 1
 * to 2, padding 0 to 2, sizes picked so the output extent is a whole number.
 */
function convCandidate(op: string, rng: Rng): Candidate {
  const spatial = op === "conv1d" ? 1 : op === "conv2d" ? 2 : rng.int(1, 2);
  const [B, C, O] = [rng.int(1, 2), rng.int(1, 3), rng.int(1, 3)];
  const stride = rng.int(1, 2);
  const padding = rng.int(0, 2);
  const kernel = Array.from({ length: spatial }, () => rng.int(1, 3));
  // input extent n with (n + 2p − k) / s + 1 = out
  const outs = Array.from({ length: spatial }, () => rng.int(1, 3));
  const ins = kernel.map((k, a) => (outs[a]! - 1) * stride + k - 2 * padding);
  if (ins.some((n) => n < 1)) return { shapes: [[0]], attrs: {} }; // rejected by the shape rule: drawn again
  const x = [B, C, ...ins];
  const K = [O, C, ...kernel];
  const y = [B, O, ...outs];
  const attrs: Attrs = { ...(stride !== 1 || rng.uniform() < 0.3 ? { stride } : {}), ...(padding !== 0 || rng.uniform() < 0.3 ? { padding } : {}) };
  if (op === "conv_input_grad") return { shapes: [y, K], attrs: { ...attrs, shape: x } };
  if (op === "conv_kernel_grad") return { shapes: [x, y], attrs: { ...attrs, shape: K } };
  return { shapes: rng.uniform() < 0.5 ? [x, K, [O]] : [x, K], attrs };
}

/** A pool (or one of its gradients): windows of 1 to 3, stride 1 to the window size. */
function poolCandidate(op: string, rng: Rng): Candidate {
  const size = rng.int(1, 3);
  const stride = rng.int(1, size);
  const [OH, OW] = [rng.int(1, 3), rng.int(1, 3)];
  const x = [rng.int(1, 2), rng.int(1, 2), (OH - 1) * stride + size, (OW - 1) * stride + size];
  const y = [x[0]!, x[1]!, OH, OW];
  const attrs: Attrs = stride !== size || rng.uniform() < 0.3 ? { size, stride } : { size };
  if (op === "maxpool2d_grad") return { shapes: [x, y], attrs };
  if (op === "maxpool2d_select") return { shapes: [x, [...x]], attrs };
  if (op === "avgpool2d_grad") return { shapes: [y], attrs: { ...attrs, shape: x } };
  return { shapes: [x], attrs };
}

function valuesIn(rng: Rng, n: number, [lo, hi]: readonly [number, number], kinks: readonly number[]): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    do v[i] = lo + (hi - lo) * rng.uniform();
    while (kinks.some((k) => Math.abs(v[i]! - k) < 0.1));
  }
  return v;
}

/** The op applied to inputs x0, x1…; `root` = Σ op(x) ⊙ g, the scalar whose gradient is checked. */
export function buildCase(c: OpCase): { b: Builder; args: Node[]; out: Node; g: Node; root: Node } {
  const b = new Builder();
  const args = c.shapes.map((s, i) => b.input(`x${i}`, s));
  const out = b.op(c.op, args, c.attrs);
  const g = b.input("g", out.shape);
  return { b, args, out, g, root: b.sum(b.mul(out, g)) };
}

/** A random case of `def` whose kink switches (if any) are at least 0.05 from zero. */
export function drawOpCase(def: OpDef, rng: Rng): OpCase {
  for (let attempt = 0; attempt < 200; attempt++) {
    const drawn = candidate(def, rng);
    const shapes = drawn.shapes;
    const attrs = { ...def.domain?.attrs, ...drawn.attrs };
    if (typeof def.shape(shapes, attrs) === "string") continue;
    const values = new Map<string, Float64Array>();
    const rows = def.kind === "scatter" ? attrs.shape?.[0] : shapes[0]?.[0];
    shapes.forEach((s, i) => {
      // index arguments: integer row numbers below the rows of the table
      if (def.domain?.indexArgs?.includes(i)) values.set(`x${i}`, Float64Array.from({ length: count(s) }, () => rng.int(0, (rows ?? 1) - 1)));
      else values.set(`x${i}`, valuesIn(rng, count(s), def.domain?.args?.[i] ?? [-2, 2], kinkPoints(def)));
    });
    const c: OpCase = { op: def.name, shapes, attrs, values };
    const { out } = buildCase(c);
    values.set("g", valuesIn(rng, count(out.shape), [-1, 1], []));
    if (isKink(out)) {
      const all = interpret([out], values);
      if (switches([out], all)[0]!.some((s) => Math.abs(s) < 0.05)) continue;
    }
    return c;
  }
  throw new Error(`could not draw a case for op ${def.name}`);
}

/** The case as text for a failure message: op, attributes, shapes and every value. */
export function describeCase(c: OpCase): string {
  const vals = [...c.values].map(([k, v]) => `  ${k} = [${Array.from(v, (x) => x.toPrecision(6)).join(", ")}]`);
  return [`${c.op}(${c.shapes.map((s, i) => `x${i}: [${s.join(", ")}]`).join(", ")}) attrs ${JSON.stringify(c.attrs)}`, ...vals].join("\n");
}
