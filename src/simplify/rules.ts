// The simplifier's rewrite rules: one row per rule, its math beside it. The rewriter
// (./index.ts) applies them as nodes are rebuilt, bottom-up, to a fixed point.
//
// Which identities are allowed, and why (also in docs/simplify.md):
// * Exact under IEEE-754 for every input, NaN and ±Inf included, except possibly for the sign of
//   a zero result: x*1, x/1, x+0, x-0, x^1, x^0 = 1 (pow(NaN, 0) is 1), -(-x), x*(-1) = -x,
//   a + -b = a - b, -(a*b) = (-a)*b, x + x = 2x, f(broadcast x) = broadcast f(x), commuting the
//   arguments of + and *, transpose(transpose x) = x, (AB)ᵀ = BᵀAᵀ, folding transposes into
//   matmul flags, x / 2^k = 2^-k · x, constant folding (it runs the op's own eval).
//   We treat -0 and +0 as equal (x + 0 turns -0 into +0); nothing in netc divides by a result
//   that could be a signed zero produced this way.
// * Exact up to rounding (they reassociate or distribute): c1*(c2*x) = (c1c2)*x,
//   (x + c1) + c2 = x + (c1 + c2), (c*x)*y = c*(x*y), a*b ± a*c = a*(b ± c), sum(c*x) = c*sum(x),
//   sum of n broadcast copies = n*x, matmul(c*A, B) = c*matmul(A, B). These change results by a
//   few ulps, as any compiler that reorders float arithmetic does, and never turn a finite result
//   into NaN or Inf for the constants involved: a folded constant is used only when it is finite
//   and nonzero (no overflow or underflow).
// * Not allowed: x*0 = 0 (false for Inf and NaN) unless x is known finite (a constant or a 0/1
//   mask); x - x = 0 and x/x = 1 (false for Inf, NaN and 0); (x^a)^b = x^(ab) (false for x < 0);
//   exp(log x) = x and log(exp x) = x (domain and overflow); sqrt(x^2) = |x| style rewrites.
import type { Node } from "../graph/node.ts";
import { size } from "../graph/node.ts";
import type { Builder } from "../ir/builder.ts";
import { getOp } from "../ops/registry.ts";
import { broadcastShapes } from "../ops/shared.ts";
import { as, constOf, isConst, knownFinite, safeConst, same } from "./match.ts";

export interface Rule {
  name: string;
  /** The ops the rule applies to; "*" for every op. */
  ops: readonly string[] | "*";
  /**
   * The rule looks inside its operands (their ops and arguments), not only at their constness
   * and shape: it is skipped when an operand is a named adjoint, which stays whole (./index.ts).
   * A rule that looks deeper takes care of `whole` itself (factor out).
   */
  opens?: boolean;
  /** The rewrite, or null; `whole(x)` is true for operands a rule must not open (named adjoints). */
  apply(n: Node, b: Builder, whole: (x: Node) => boolean): Node | null;
}

const ELEMENTWISE = (n: Node) => getOp(n.op).kind === "elementwise";
const scalarConst = (n: Node): number | undefined => (n.op === "const" ? n.attrs.value : undefined);
const isPow2 = (c: number) => c !== 0 && Number.isFinite(c) && Number.isInteger(Math.log2(Math.abs(c))) && Math.abs(Math.log2(Math.abs(c))) < 1000;

/** x ± c seen as (x, ±c); a node without a constant offset is (n, 0). */
function offsetOf(n: Node): [Node, number] {
  const c = n.op === "add" || n.op === "sub" ? scalarConst(n.args[1]!) : undefined;
  if (c === undefined) return [n, 0];
  return [n.args[0]!, n.op === "add" ? c : -c];
}

/** x + c written with a non-negative constant: x + 2, x - 1. */
function withOffset(b: Builder, x: Node, c: number): Node {
  if (c === 0) return x;
  return c < 0 ? b.sub(x, -c) : b.add(x, c);
}

/**
 * The sub-products of a product tree, outermost first: n itself, then (through constant
 * coefficients and negations) the operands of each `mul`, `depth` levels deep. Constants are not
 * candidates.
 */
function subProducts(n: Node, whole: (x: Node) => boolean, depth = 3): Node[] {
  const out: Node[] = [];
  const queue: [Node, number][] = [[n, depth]];
  while (queue.length > 0) {
    const [x, d] = queue.shift()!;
    if (constOf(x) === undefined) out.push(x);
    if (whole(x)) continue;
    if (x.op === "neg") queue.push([x.args[0]!, d]);
    else if (x.op === "mul" && scalarConst(x.args[0]!) !== undefined) queue.push([x.args[1]!, d]);
    else if (x.op === "mul" && d > 0) queue.push([x.args[0]!, d - 1], [x.args[1]!, d - 1]);
  }
  return out;
}

/** n with the factor t taken out (n = t · result), or undefined when t is not a factor of n. */
function without(b: Builder, n: Node, t: Node, whole: (x: Node) => boolean, depth = 3): Node | number | undefined {
  if (n === t) return 1;
  if (depth < 0 || whole(n)) return undefined;
  const times = (x: Node | number, y: Node | number): Node | number =>
    typeof x === "number" && typeof y === "number" ? x * y : x === 1 ? y : y === 1 ? x : b.mul(x, y);
  if (n.op === "neg") {
    const r = without(b, n.args[0]!, t, whole, depth);
    return r === undefined ? undefined : typeof r === "number" ? -r : b.neg(r);
  }
  if (n.op !== "mul") return undefined;
  const [x, y] = n.args as [Node, Node];
  const c = scalarConst(x);
  if (c !== undefined) {
    const r = without(b, y, t, whole, depth);
    return r === undefined ? undefined : times(c, r);
  }
  const rx = without(b, x, t, whole, depth - 1);
  if (rx !== undefined) return times(rx, y);
  const ry = without(b, y, t, whole, depth - 1);
  return ry === undefined ? undefined : times(x, ry);
}

/** c when n is c·t (through coefficients and negations, as `without` sees them), else undefined. */
function multipleOf(n: Node, t: Node, whole: (x: Node) => boolean): number | undefined {
  let c = 1;
  for (let x = n; ; ) {
    if (x === t) return c;
    if (whole(x)) return undefined;
    if (x.op === "neg") c = -c;
    else if (x.op === "mul" && scalarConst(x.args[0]!) !== undefined) c *= scalarConst(x.args[0]!)!;
    else return undefined;
    x = x.args[x.op === "neg" ? 0 : 1]!;
  }
}

/**
 * How many factorings may nest. Taking a factor out builds the sum of the rests, which is factored
 * in turn, and so on: in the derivative of x*x*…*x, c*x^k + x^a*x^b gives up one x per level,
 * min(a, b) levels deep, with new nodes at each — quadratic in the length of the product (a
 * 2,000-factor product took ~30 s). Deeper than this, only c1*t ± c2*t → (c1 ± c2)*t, whose
 * rests fold to a constant, is factored. The seeds and the examples never nest more than twice.
 */
const FACTOR_NESTING = 8;
let factoring = 0;

/**
 * a ± b with the largest factor common to both products taken out: a*b ± a*c → a*(b ± c). The
 * common factor is an existing node, so the structure around it (and its sharing) is kept.
 */
function factorOut(n: Node, b: Builder, whole: (x: Node) => boolean): Node | null {
  const [l, r] = n.args as [Node, Node];
  const inR = new Set(subProducts(r, whole));
  const t = subProducts(l, whole).find((x) => inR.has(x));
  if (!t) return null;
  if (factoring >= FACTOR_NESTING && (multipleOf(l, t, whole) === undefined || multipleOf(r, t, whole) === undefined)) return null;
  factoring++;
  try {
    const restL = without(b, l, t, whole)!;
    const restR = without(b, r, t, whole)!;
    const inner = n.op === "add" ? b.add(restL, restR) : b.sub(restL, restR);
    const out = b.mul(t, inner);
    return same(out.shape, n.shape) ? out : null;
  } finally {
    factoring--;
  }
}

/** Elements summed into each output element of a reduction of `x` to `n`. */
const reduced = (n: Node) => size(n.args[0]!.shape) / size(n.shape);

export const rules: Rule[] = [
  // ── folding ─────────────────────────────────────────────────────────────────
  {
    // op(c1, c2, …) → c  (evaluated by the op's own reference eval; tensors only when uniform)
    name: "fold constants",
    ops: "*",
    apply: (n, b) => {
      if (n.args.length === 0 || n.op === "expand" || !n.args.every((a) => constOf(a) !== undefined)) return null;
      const def = getOp(n.op);
      // a dropout of a constant is still random while training: its eval is the identity only outside it
      if (def.kind === "dropout") return null;
      if (def.kind === "elementwise") {
        const v = def.eval(
          n.args.map((a) => Float64Array.of(constOf(a)!)),
          n.args.map(() => []),
          n.attrs,
          [],
        )[0]!;
        return as(b, b.const(v), n.shape);
      }
      if (size(n.shape) > 4096 || n.args.some((a) => size(a.shape) > 4096)) return null;
      const vals = def.eval(
        n.args.map((a) => new Float64Array(size(a.shape)).fill(constOf(a)!)),
        n.args.map((a) => a.shape),
        n.attrs,
        n.shape,
      );
      const v = vals[0]!;
      if (!vals.every((x) => Object.is(x, v))) return null;
      return as(b, b.const(v), n.shape);
    },
  },
  {
    // f(expand x) → expand f(x)   (one f per element of x instead of per element of the result)
    name: "unary through broadcast",
    opens: true,
    ops: "*",
    apply: (n, b) => {
      if (n.args.length !== 1 || !ELEMENTWISE(n) || n.args[0]!.op !== "expand") return null;
      const e = n.args[0]!;
      return b.op("expand", [b.op(n.op, [e.args[0]!], n.attrs)], e.attrs);
    },
  },
  {
    // a ⊙ expand(x) → a ⊙ x   when NumPy broadcasting gives the same shape (no materialized copy)
    name: "implicit broadcast",
    opens: true,
    ops: "*",
    apply: (n, b) => {
      if (n.args.length !== 2 || !ELEMENTWISE(n)) return null;
      const [x, y] = n.args as [Node, Node];
      const inner = (a: Node) => (a.op === "expand" && a.attrs.dims === undefined ? a.args[0]! : a);
      const x2 = inner(x);
      const y2 = inner(y);
      if (x2 === x && y2 === y) return null;
      for (const [p, q] of [
        [x2, y2],
        [x2, y],
        [x, y2],
      ] as const) {
        const s = broadcastShapes(p.shape, q.shape);
        if (typeof s !== "string" && same(s, n.shape) && (p !== x || q !== y)) return b.op(n.op, [p, q], n.attrs);
      }
      return null;
    },
  },

  // ── add ─────────────────────────────────────────────────────────────────────
  // x + 0 → x,  0 + x → x
  { name: "add zero", ops: ["add"], apply: (n, b) => (isConst(n.args[1]!, 0) ? as(b, n.args[0]!, n.shape) : isConst(n.args[0]!, 0) ? as(b, n.args[1]!, n.shape) : null) },
  // c + x → x + c
  { name: "constant last in +", ops: ["add"], apply: (n, b) => (scalarConst(n.args[0]!) !== undefined && scalarConst(n.args[1]!) === undefined ? b.add(n.args[1]!, n.args[0]!) : null) },
  // x + (-y) → x - y,  (-x) + y → y - x
  {
    name: "add negation",
    opens: true,
    ops: ["add"],
    apply: (n, b) => (n.args[1]!.op === "neg" ? b.sub(n.args[0]!, n.args[1]!.args[0]!) : n.args[0]!.op === "neg" ? b.sub(n.args[1]!, n.args[0]!.args[0]!) : null),
  },
  // x + x → 2*x
  { name: "add self", ops: ["add"], apply: (n, b) => (n.args[0] === n.args[1] ? b.mul(2, n.args[0]!) : null) },
  // x + (x + y) → 2*x + y,  (x + y) + x → 2*x + y   (and with y first)
  {
    name: "collect a repeated term",
    opens: true,
    ops: ["add"],
    apply: (n, b) => {
      const [p, q] = n.args as [Node, Node];
      for (const [t, s] of [
        [p, q],
        [q, p],
      ] as const) {
        if (s.op !== "add") continue;
        if (s.args[0] === t) return b.add(b.mul(2, t), s.args[1]!);
        if (s.args[1] === t) return b.add(b.mul(2, t), s.args[0]!);
      }
      return null;
    },
  },
  // (x ± c1) ± c2 → x + (±c1 ± c2);  x + (-c) → x - c and x - (-c) → x + c (constants shown positive)
  {
    name: "combine offsets",
    opens: true,
    ops: ["add", "sub"],
    apply: (n, b) => {
      const c2 = scalarConst(n.args[1]!);
      if (c2 === undefined) return null;
      const [x, c1] = offsetOf(n.args[0]!);
      if (c1 === 0) return c2 < 0 ? (n.op === "add" ? b.sub(x, -c2) : b.add(x, -c2)) : null;
      const total = c1 + (n.op === "add" ? c2 : -c2);
      if (!Number.isFinite(total)) return null;
      return total === 0 ? as(b, x, n.shape) : withOffset(b, x, total);
    },
  },
  // x + (-c)*y → x - c*y,  (-c)*y + x → x - c*y,  x - (-c)*y → x + c*y
  {
    name: "negative multiple",
    opens: true,
    ops: ["add", "sub"],
    apply: (n, b) => {
      const negCoef = (m: Node) => (m.op === "mul" ? scalarConst(m.args[0]!) : undefined);
      const [x, y] = n.args as [Node, Node];
      const cy = negCoef(y);
      if (cy !== undefined && cy < 0) {
        const flipped = b.mul(-cy, y.args[1]!);
        return n.op === "add" ? b.sub(x, flipped) : b.add(x, flipped);
      }
      const cx = negCoef(x);
      if (n.op === "add" && cx !== undefined && cx < 0 && scalarConst(y) === undefined) return b.sub(y, b.mul(-cx, x.args[1]!));
      return null;
    },
  },
  // a*b + a*c → a*(b + c),  a*b - a*c → a*(b - c)
  { name: "factor out", ops: ["add", "sub"], apply: (n, b, whole) => factorOut(n, b, whole) },
  // b + a → a + b   (a canonical order, so equal sums are one node)
  { name: "order +", ops: ["add"], apply: (n, b) => (n.args[0]!.id > n.args[1]!.id && scalarConst(n.args[1]!) === undefined ? b.add(n.args[1]!, n.args[0]!) : null) },

  // ── sub ─────────────────────────────────────────────────────────────────────
  // x - 0 → x,  0 - x → -x
  { name: "sub zero", ops: ["sub"], apply: (n, b) => (isConst(n.args[1]!, 0) ? as(b, n.args[0]!, n.shape) : isConst(n.args[0]!, 0) ? as(b, b.neg(n.args[1]!), n.shape) : null) },
  // x - (-y) → x + y
  { name: "sub negation", opens: true, ops: ["sub"], apply: (n, b) => (n.args[1]!.op === "neg" ? b.add(n.args[0]!, n.args[1]!.args[0]!) : null) },
  // (-x) - y → -(x + y)
  { name: "negation minus", opens: true, ops: ["sub"], apply: (n, b) => (n.args[0]!.op === "neg" ? b.neg(b.add(n.args[0]!.args[0]!, n.args[1]!)) : null) },

  // ── neg ─────────────────────────────────────────────────────────────────────
  // -(-x) → x
  { name: "double negation", opens: true, ops: ["neg"], apply: (n) => (n.args[0]!.op === "neg" ? n.args[0]!.args[0]! : null) },
  // -(c*x) → (-c)*x
  {
    name: "negate coefficient",
    opens: true,
    ops: ["neg"],
    apply: (n, b) => {
      const a = n.args[0]!;
      const c = a.op === "mul" ? scalarConst(a.args[0]!) : undefined;
      return c === undefined ? null : b.mul(-c, a.args[1]!);
    },
  },
  // -(x - y) → y - x
  { name: "negate difference", opens: true, ops: ["neg"], apply: (n, b) => (n.args[0]!.op === "sub" ? b.sub(n.args[0]!.args[1]!, n.args[0]!.args[0]!) : null) },

  // ── mul ─────────────────────────────────────────────────────────────────────
  // x*1 → x,  1*x → x
  { name: "mul one", ops: ["mul"], apply: (n, b) => (isConst(n.args[1]!, 1) ? as(b, n.args[0]!, n.shape) : isConst(n.args[0]!, 1) ? as(b, n.args[1]!, n.shape) : null) },
  // x*(-1) → -x,  (-1)*x → -x
  { name: "mul minus one", ops: ["mul"], apply: (n, b) => (isConst(n.args[1]!, -1) ? as(b, b.neg(n.args[0]!), n.shape) : isConst(n.args[0]!, -1) ? as(b, b.neg(n.args[1]!), n.shape) : null) },
  // 0*x → 0 and x*0 → 0, only when x is known finite (a constant or a 0/1 mask)
  {
    name: "mul zero (finite)",
    ops: ["mul"],
    apply: (n, b) => {
      const [x, y] = n.args as [Node, Node];
      if ((isConst(x, 0) && knownFinite(y)) || (isConst(y, 0) && knownFinite(x))) return b.zeros(n.shape);
      return null;
    },
  },
  // x*c → c*x
  { name: "constant first in *", ops: ["mul"], apply: (n, b) => (scalarConst(n.args[1]!) !== undefined && scalarConst(n.args[0]!) === undefined ? b.mul(n.args[1]!, n.args[0]!) : null) },
  // c1*(c2*x) → (c1c2)*x
  {
    name: "combine coefficients",
    opens: true,
    ops: ["mul"],
    apply: (n, b) => {
      const c1 = scalarConst(n.args[0]!);
      const inner = n.args[1]!;
      const c2 = inner.op === "mul" ? scalarConst(inner.args[0]!) : undefined;
      if (c1 === undefined || c2 === undefined || !safeConst(c1 * c2, c1, c2)) return null;
      return b.mul(c1 * c2, inner.args[1]!);
    },
  },
  // (c*x)*y → c*(x*y),  x*(c*y) → c*(x*y)   (coefficients move outwards, where they combine)
  {
    name: "coefficient outwards",
    opens: true,
    ops: ["mul"],
    apply: (n, b) => {
      const [x, y] = n.args as [Node, Node];
      if (scalarConst(x) !== undefined || scalarConst(y) !== undefined) return null;
      const cx = x.op === "mul" ? scalarConst(x.args[0]!) : undefined;
      if (cx !== undefined) return b.mul(cx, b.mul(x.args[1]!, y));
      const cy = y.op === "mul" ? scalarConst(y.args[0]!) : undefined;
      if (cy !== undefined) return b.mul(cy, b.mul(x, y.args[1]!));
      return null;
    },
  },
  // (-x)*y → -(x*y),  x*(-y) → -(x*y)
  {
    name: "negation outwards in *",
    opens: true,
    ops: ["mul"],
    apply: (n, b) => (n.args[0]!.op === "neg" ? b.neg(b.mul(n.args[0]!.args[0]!, n.args[1]!)) : n.args[1]!.op === "neg" ? b.neg(b.mul(n.args[0]!, n.args[1]!.args[0]!)) : null),
  },
  // y*x → x*y   (a canonical order, so equal products are one node)
  { name: "order *", ops: ["mul"], apply: (n, b) => (n.args[0]!.id > n.args[1]!.id && scalarConst(n.args[0]!) === undefined ? b.mul(n.args[1]!, n.args[0]!) : null) },

  // ── div ─────────────────────────────────────────────────────────────────────
  // x/1 → x
  { name: "div one", ops: ["div"], apply: (n, b) => (isConst(n.args[1]!, 1) ? as(b, n.args[0]!, n.shape) : null) },
  // x/2^k → 2^-k * x   (exact: the reciprocal of a power of two is exact)
  {
    name: "div by power of two",
    ops: ["div"],
    apply: (n, b) => {
      const c = scalarConst(n.args[1]!);
      return c !== undefined && isPow2(c) ? b.mul(1 / c, n.args[0]!) : null;
    },
  },
  // (c1*x)/c2 → (c1/c2)*x
  {
    name: "coefficient over constant",
    opens: true,
    ops: ["div"],
    apply: (n, b) => {
      const c2 = scalarConst(n.args[1]!);
      const a = n.args[0]!;
      const c1 = a.op === "mul" ? scalarConst(a.args[0]!) : undefined;
      if (c1 === undefined || c2 === undefined || !safeConst(c1 / c2, c1)) return null;
      return b.mul(c1 / c2, a.args[1]!);
    },
  },
  // (-x)/y → -(x/y),  x/(-y) → -(x/y)
  {
    name: "negation outwards in /",
    opens: true,
    ops: ["div"],
    apply: (n, b) => (n.args[0]!.op === "neg" ? b.neg(b.div(n.args[0]!.args[0]!, n.args[1]!)) : n.args[1]!.op === "neg" ? b.neg(b.div(n.args[0]!, n.args[1]!.args[0]!)) : null),
  },

  // ── pow ─────────────────────────────────────────────────────────────────────
  // x^1 → x
  { name: "pow one", ops: ["pow"], apply: (n, b) => (isConst(n.args[1]!, 1) ? as(b, n.args[0]!, n.shape) : null) },
  // x^0 → 1   (pow(x, 0) is 1 for every x, NaN included)
  { name: "pow zero", ops: ["pow"], apply: (n, b) => (isConst(n.args[1]!, 0) ? as(b, 1, n.shape) : null) },

  // ── transpose and matmul ────────────────────────────────────────────────────
  // transpose(transpose(x)) → x
  { name: "double transpose", opens: true, ops: ["transpose"], apply: (n) => (n.args[0]!.op === "transpose" ? n.args[0]!.args[0]! : null) },
  // transpose(op(A) @ op(B)) → op(B)ᵀ @ op(A)ᵀ
  {
    name: "transpose of product",
    opens: true,
    ops: ["transpose"],
    apply: (n, b) => {
      const m = n.args[0]!;
      if (m.op !== "matmul" || m.args[0]!.shape.length !== 2 || m.args[1]!.shape.length !== 2) return null;
      return b.matmul(m.args[1]!, m.args[0]!, !m.attrs.transB, !m.attrs.transA);
    },
  },
  // transpose(A) @ B → matmul(A, B, transA),  A @ transpose(B) → matmul(A, B, transB)
  {
    name: "fold transpose into matmul",
    ops: ["matmul"],
    apply: (n, b, whole) => {
      // (a named operand is kept, but a transpose beside it still becomes a flag)
      const [x, y] = n.args as [Node, Node];
      if (x.op === "transpose" && !whole(x)) return b.matmul(x.args[0]!, y, !n.attrs.transA, n.attrs.transB === true);
      if (y.op === "transpose" && !whole(y)) return b.matmul(x, y.args[0]!, n.attrs.transA === true, !n.attrs.transB);
      return null;
    },
  },
  // (-A) @ B → -(A @ B),  (c*A) @ B → c*(A @ B), and the same on the right — when the product
  // is no larger than the scaled operand (scaling the smaller tensor is the cheaper place)
  {
    name: "scalars out of matmul",
    opens: true,
    ops: ["matmul"],
    apply: (n, b) => {
      const [x, y] = n.args as [Node, Node];
      const mm = (p: Node, q: Node) => b.matmul(p, q, n.attrs.transA === true, n.attrs.transB === true);
      const cheaper = (operand: Node) => size(n.shape) <= size(operand.shape);
      if (x.op === "neg" && cheaper(x)) return b.neg(mm(x.args[0]!, y));
      if (y.op === "neg" && cheaper(y)) return b.neg(mm(x, y.args[0]!));
      const cx = x.op === "mul" ? scalarConst(x.args[0]!) : undefined;
      if (cx !== undefined && cheaper(x)) return b.mul(cx, mm(x.args[1]!, y));
      const cy = y.op === "mul" ? scalarConst(y.args[0]!) : undefined;
      if (cy !== undefined && cheaper(y)) return b.mul(cy, mm(x, y.args[1]!));
      return null;
    },
  },

  // ── expand and reductions ───────────────────────────────────────────────────
  // expand(x) to x's own shape → x
  {
    name: "trivial expand",
    ops: ["expand"],
    apply: (n) => {
      const x = n.args[0]!;
      const dims = n.attrs.dims;
      const identity = !dims || dims.every((d, i) => d === i + n.shape.length - x.shape.length);
      return identity && same(x.shape, n.shape) ? x : null;
    },
  },
  // expand(expand(x)) → expand(x)   (the axis maps compose)
  {
    name: "expand of expand",
    opens: true,
    ops: ["expand"],
    apply: (n, b) => {
      const e = n.args[0]!;
      if (e.op !== "expand") return null;
      const x = e.args[0]!;
      const inner = e.attrs.dims ?? x.shape.map((_, i) => e.shape.length - x.shape.length + i);
      const outer = n.attrs.dims ?? e.shape.map((_, i) => n.shape.length - e.shape.length + i);
      const dims = inner.map((d) => outer[d]!);
      const trailing = dims.every((d, i) => d === n.shape.length - x.shape.length + i);
      return b.expand(x, n.shape, trailing ? undefined : dims);
    },
  },
  // sum/mean over single elements → x
  { name: "reduce nothing", ops: ["sum", "mean"], apply: (n) => (same(n.shape, n.args[0]!.shape) ? n.args[0]! : null) },
  // sum(-x) → -sum(x)
  { name: "sum of negation", opens: true, ops: ["sum"], apply: (n, b) => (n.args[0]!.op === "neg" ? b.neg(b.op("sum", [n.args[0]!.args[0]!], n.attrs)) : null) },
  // sum(c*x) → c*sum(x)
  {
    name: "coefficient out of sum",
    opens: true,
    ops: ["sum"],
    apply: (n, b) => {
      const a = n.args[0]!;
      const c = a.op === "mul" ? scalarConst(a.args[0]!) : undefined;
      return c === undefined ? null : b.mul(c, b.op("sum", [a.args[1]!], n.attrs));
    },
  },
  // sum(expand(x)) over every axis of a broadcast scalar → n*x;  mean of it → x
  {
    name: "reduce a broadcast scalar",
    opens: true,
    ops: ["sum", "mean"],
    apply: (n, b) => {
      const e = n.args[0]!;
      if (e.op !== "expand" || e.args[0]!.shape.length !== 0) return null;
      const x = e.args[0]!;
      return as(b, n.op === "mean" ? x : b.mul(reduced(n), x), n.shape);
    },
  },
];

/** Rules by op, in table order ("*" rules first). */
export function rulesFor(op: string): Rule[] {
  let list = byOp.get(op);
  if (!list) {
    list = rules.filter((r) => r.ops === "*" || r.ops.includes(op));
    byOp.set(op, list);
  }
  return list;
}
const byOp = new Map<string, Rule[]>();
