// Helpers the op files share (not an op): shape text, NumPy broadcasting, axis handling, and
// factories for element-wise ops so each op file states only its math.
import type { Attrs, OpName, Shape } from "../graph/node.ts";
import { size } from "../graph/node.ts";
import type { BuiltinParam, BuiltinSyntax, IntAttr, IntListAttr, Kink, NumberAttr, OpDef, OpDomain, OpKind, VjpContext } from "./types.ts";
import type { Node } from "../graph/node.ts";

export const shapeText = (s: Shape): string => `[${s.join(", ")}]`;

/** Row-major strides of a shape. */
export function strides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** Which dimension, counted from the end, in words: "the last dimension", "dimension 0". */
function dimWords(fromEnd: number, rank: number): string {
  if (fromEnd === 1) return "the last dimension";
  if (fromEnd === 2) return "the second-to-last dimension";
  return `dimension ${rank - fromEnd}`;
}

/** NumPy broadcasting of trailing dimensions; `verb` opens the message ("cannot add $0 and $1"). */
export function broadcastShapes(a: Shape, b: Shape, verb = "cannot broadcast $0 with $1"): Shape | string {
  const rank = Math.max(a.length, b.length);
  const out: number[] = new Array(rank);
  for (let i = 1; i <= rank; i++) {
    const da = a.length - i >= 0 ? a[a.length - i]! : 1;
    const db = b.length - i >= 0 ? b[b.length - i]! : 1;
    if (da !== db && da !== 1 && db !== 1) return `${verb}: sizes ${da} and ${db} differ in ${dimWords(i, rank)}`;
    out[rank - i] = da === 1 ? db : da;
  }
  return out;
}

/** For each flat index of `out`, the flat index of a broadcast operand of shape `arg`. */
export function broadcastIndex(arg: Shape, out: Shape, dims?: readonly number[]): Int32Array {
  const n = size(out);
  const map = new Int32Array(n);
  const r = out.length;
  const axisOf = dims ?? arg.map((_, i) => r - arg.length + i);
  // stride of each output axis in the operand (0 where broadcast or absent)
  const strides = new Array<number>(r).fill(0);
  let s = 1;
  for (let i = arg.length - 1; i >= 0; i--) {
    if (arg[i] !== 1) strides[axisOf[i]!] = s;
    s *= arg[i]!;
  }
  const idx = new Array<number>(r).fill(0);
  let off = 0;
  for (let k = 0; k < n; k++) {
    map[k] = off;
    for (let d = r - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < out[d]!) break;
      off -= strides[d]! * idx[d]!;
      idx[d] = 0;
    }
  }
  return map;
}

/** The axis as a non-negative number, `null` for "all", or an error when out of range. */
export function resolveAxis(axis: number | null | undefined, rank: number): number | null | string {
  if (axis === null || axis === undefined) return null;
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    return rank === 0 ? `axis ${axis} is out of range for $0, a scalar` : `axis ${axis} is out of range for $0 of rank ${rank} (use 0 to ${rank - 1}, or -1 for the last)`;
  }
  return axis < 0 ? axis + rank : axis;
}

/**
 * The axis an op of `kind` works along, made non-negative: the given one, else the default —
 * every axis (null) for a reduction, the last for a row-wise op, the first for concat. The one place axes default: the
 * checker, the builder, the reference evaluation and the kernels all ask here. An out-of-range
 * axis gives null (the shape rule reports it).
 */
export function opAxis(kind: OpKind, axis: number | null | undefined, rank: number): number | null {
  const given = resolveAxis(axis, rank);
  if (typeof given === "string") return null;
  return given ?? (kind === "rowwise" && rank > 0 ? rank - 1 : kind === "concat" ? 0 : null);
}

/** A reduction's axis (null: all), assuming the shape rule accepted it. */
export function axisOf(attrs: Readonly<Attrs>, rank: number): number | null {
  return opAxis("reduce", attrs.axis, rank);
}

/** For a reduction along `axis`: sizes before (outer), along (n) and after (inner) it. */
export function axisSplit(shape: Shape, axis: number): { outer: number; n: number; inner: number } {
  return { outer: size(shape.slice(0, axis)), n: shape[axis]!, inner: size(shape.slice(axis + 1)) };
}

/** Applies `f` to each run along `axis` (the values at flat indices base + j*inner). */
export function alongAxis(shape: Shape, axis: number | null, f: (base: number, stride: number, n: number, k: number) => void): void {
  if (axis === null) {
    f(0, 1, size(shape), 0);
    return;
  }
  const { outer, n, inner } = axisSplit(shape, axis);
  let k = 0;
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) f(o * n * inner + i, inner, n, k++);
}

export const tensorArg = (name: string) => ({ name, kind: "tensor" as const });
/** Any number of tensor operands, given by position (`concat(a, b, c, axis = 1)`). */
export const tensorsArg = (name: string) => ({ name, kind: "tensors" as const });
export const axisArg = (name = "axis", optional = false) => ({ name, kind: "axis" as const, optional });
export const shapeArg = (name = "shape") => ({ name, kind: "shape" as const });
/** A number-literal parameter; with a default it may be left out. */
export const numberArg = (name: NumberAttr, dflt?: number) =>
  dflt === undefined ? { name, kind: "number" as const } : { name, kind: "number" as const, optional: true, default: dflt };

/** A flag parameter (`keepdims = true`), false unless given. */
export const flagArg = (name: "keepdims") => ({ name, kind: "flag" as const, optional: true, default: false });

/** A number as JavaScript source (attributes are finite: the checker refuses anything else). */
export const jsNumber = (v: number): string => (Object.is(v, -0) ? "-0" : String(v));

/**
 * The arguments after the tensor operands that print a node's attributes as .net writes them: its
 * shape list (`reshape(x, [B, 784])`, `conv2d_input(dy, K, [32, 1, 28, 28])`), its axis, then its
 * number, integer and integer-list attributes by name (`stride = 2`, `before = [0, 1]`) and
 * `keepdims = true`.
 */
export function attrArgs(def: OpDef, attrs: Readonly<Attrs>): string[] {
  const out: string[] = [];
  const params = def.builtin?.params ?? [];
  if (attrs.shape && params.some((p) => p.kind === "shape")) out.push(shapeText(attrs.shape));
  if (attrs.axis !== null && attrs.axis !== undefined) out.push(axisText(def, attrs.axis));
  for (const p of params) {
    if ((p.kind === "number" || p.kind === "int") && attrs[p.name] !== undefined) out.push(`${p.name} = ${jsNumber(attrs[p.name]!)}`);
    if (p.kind === "ints" && attrs[p.name] !== undefined) out.push(`${p.name} = [${attrs[p.name]!.map(jsNumber).join(", ")}]`);
  }
  if (attrs.keepdims) out.push("keepdims = true");
  return out;
}
/** An axis as a printed argument: by name after a variadic op's tensors (`concat(a, b, axis = 1)`), else by position. */
export const axisText = (def: OpDef, axis: number): string => (def.builtin?.params.some((p) => p.kind === "tensors") ? `axis = ${axis}` : String(axis));
/** A list of integers stored as the attribute of its name (`before = [0, 1]`). */
export const intsArg = (name: IntListAttr) => ({ name, kind: "ints" as const });
/** An integer argument stored as the attribute of its name (`stride = 2`). */
export const intArg = (name: IntAttr, optional = false) => ({ name, kind: "int" as const, optional });

interface UnarySpec {
  name: OpName;
  /** Also a built-in function of the language (`exp(x)`); internal ops (`heaviside`) are not. */
  builtin?: boolean;
  /** Parameters after x (`alpha = 0.01`), number literals kept in the node's attributes. */
  params?: readonly BuiltinParam[];
  /** Checks the attributes (`clip`: lo <= hi); a message, or null when they are fine. */
  check?: (attrs: Readonly<Attrs>) => string | null;
  f: (x: number, attrs: Readonly<Attrs>) => number;
  scalar: (x: string, attrs: Readonly<Attrs>) => string;
  vjp: (ctx: VjpContext) => (Node | null)[];
  prelude?: { name: string; code: string };
  kink: Kink;
  mask?: true;
  domain?: OpDomain;
}

/** An element-wise op of one argument. */
export function unaryOp(spec: UnarySpec): OpDef {
  const builtin: BuiltinSyntax | undefined = spec.builtin ? { name: spec.name, params: [tensorArg("x"), ...(spec.params ?? [])] } : undefined;
  return {
    name: spec.name,
    kind: "elementwise",
    arity: 1,
    ...(builtin ? { builtin } : {}),
    shape: ([x], attrs) => spec.check?.(attrs) ?? x!,
    eval: ([x], _shapes, attrs) => x!.map((v) => spec.f(v, attrs)),
    vjp: spec.vjp,
    scalar: ([x], attrs) => spec.scalar(x!, attrs),
    ...(spec.prelude ? { prelude: spec.prelude } : {}),
    kink: spec.kink,
    ...(spec.mask ? { mask: spec.mask } : {}),
    ...(spec.domain ? { domain: spec.domain } : {}),
  };
}

interface BinarySpec {
  name: OpName;
  builtin?: BuiltinSyntax;
  /** Opens the broadcast error message: "cannot add $0 and $1". */
  verb: string;
  f: (a: number, b: number) => number;
  scalar: (a: string, b: string) => string;
  vjp: (ctx: VjpContext) => (Node | null)[];
  prelude?: { name: string; code: string };
  kink: Kink;
  mask?: true;
  domain?: OpDomain;
}

/** An element-wise op of two arguments with NumPy broadcasting. */
export function binaryOp(spec: BinarySpec): OpDef {
  return {
    name: spec.name,
    kind: "elementwise",
    arity: 2,
    ...(spec.builtin ? { builtin: spec.builtin } : {}),
    shape: ([a, b]) => broadcastShapes(a!, b!, spec.verb),
    eval: ([a, b], [sa, sb], _attrs, out) => {
      const n = size(out);
      const r = new Float64Array(n);
      const ia = broadcastIndex(sa!, out);
      const ib = broadcastIndex(sb!, out);
      for (let k = 0; k < n; k++) r[k] = spec.f(a![ia[k]!]!, b![ib[k]!]!);
      return r;
    },
    vjp: spec.vjp,
    scalar: ([a, b]) => spec.scalar(a!, b!),
    ...(spec.prelude ? { prelude: spec.prelude } : {}),
    kink: spec.kink,
    ...(spec.mask ? { mask: spec.mask } : {}),
    ...(spec.domain ? { domain: spec.domain } : {}),
  };
}

/** The points argument 0 has a kink at, as the op declares them (`kink: { at }`); none otherwise. */
export function kinkPoints(def: OpDef): readonly number[] {
  return def.kink !== null && typeof def.kink === "object" ? def.kink.at : [];
}

/** A numerically stable logistic function, shared by sigmoid's scalar code and eval. */
export const stableSigmoid = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

/** The axis of a row-wise op: the given one, or the last when none is given. */
export function rowAxis(attrs: Readonly<Attrs>, rank: number): number {
  return opAxis("rowwise", attrs.axis, rank) ?? rank - 1;
}

/** Shape after reducing `axis` (null: every axis) of `shape`. */
export function reducedShape(shape: Shape, axis: number | null, keepdims = false): Shape {
  if (axis === null) return keepdims ? shape.map(() => 1) : [];
  return keepdims ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);
}

/** The `dims` that expand a reduction's result (axis removed) back over `rank` axes. */
export function keptDims(rank: number, axis: number | null): number[] {
  if (axis === null) return [];
  return Array.from({ length: rank }, (_, i) => i).filter((i) => i !== axis);
}

/** Shape rule shared by reductions: a valid axis, then the reduced shape. */
export function reduceShape(x: Shape, attrs: Readonly<Attrs>): Shape | string {
  const a = resolveAxis(attrs.axis, x.length);
  if (typeof a === "string") return a;
  return reducedShape(x, a, attrs.keepdims === true);
}

/** Shape rule shared by row-wise ops (softmax, log_softmax): rank >= 1 and a valid axis. */
export function rowShape(name: string, x: Shape, attrs: Readonly<Attrs>): Shape | string {
  if (x.length === 0) return `${name} needs a vector or matrix, but $0 is a scalar`;
  const a = resolveAxis(attrs.axis, x.length);
  if (typeof a === "string") return a;
  return x;
}
