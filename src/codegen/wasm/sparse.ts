// The zero-skip of the wasm target's products, the twin of ../kernels/sparse.ts: a left operand
// that is often mostly zeros (a model input, a relu output) has the non-zero entries of each of
// its rows listed once per call, by the first product that reads it (forward pass), and every
// product by it (the backward pass's Xᵀ·δ too) multiplies only those. Exact: a skipped term 0 · b
// is ±0 and changes no sum started at +0 while b is finite, so each product first checks its other
// operand for Inf and NaN (0 · Inf is NaN). Decided at run time: the rows are listed only when the
// operand's first row is at least half zeros; otherwise, and when the other operand is not finite,
// the product runs its dense loops.
import type { Node } from "../../graph/node.ts";
import type { Plan } from "../plan.ts";
import { oftenZero, SPARSE_MIN } from "../kernels/sparse.ts";
import type { WasmKernelContext } from "./expr.ts";
import type { SparseLists } from "./layout.ts";
import { fconst, type Num, type WatFunction } from "./wat.ts";

/** The stored node behind a product's operand, seeing through an inlined transpose. */
export function storedOperand(plan: Plan, node: Node, trans: boolean): { node: Node; trans: boolean } {
  if (node.op === "transpose" && plan.storage.get(node)?.kind === "inline") return { node: node.args[0]!, trans: !trans };
  return { node, trans };
}

/**
 * The narrowest product (columns of B) whose listed path pays for the listing. Measured (CPU time,
 * alternating builds in one run): at 15 columns (w1's x·W1, xᵀ·δ1) the dense vector loops are
 * faster, the listed path ran at 0.81×; at 128 (w3) it ran 1.86×. Below this width the product
 * keeps its dense loops, so the zero-skip never slows a narrow layer.
 */
export const LISTED_MIN_COLUMNS = 16;

/**
 * The left operand of `mm` whose zeros the product may skip, or null: a stored matrix that is
 * often zero (../kernels/sparse.ts), rows of at least SPARSE_MIN entries, times a matrix B read by
 * rows (not transposed) at least LISTED_MIN_COLUMNS wide.
 */
export function sparseOperand(plan: Plan, mm: Node, num: Num): Node | null {
  if (mm.op !== "matmul") return null;
  const a = storedOperand(plan, mm.args[0]!, mm.attrs.transA === true);
  const b = storedOperand(plan, mm.args[1]!, mm.attrs.transB === true);
  if (a.node.shape.length !== 2 || b.node.shape.length !== 2 || b.trans) return null;
  if (b.node.shape[1]! < Math.max(num.lanes, LISTED_MIN_COLUMNS) || a.node.shape[1]! < SPARSE_MIN) return null;
  return oftenZero(plan, a.node) === null ? null : a.node;
}

/**
 * Lists the non-zero entries of every row of `a` (stored [rows, cols]) when its first row is at
 * least half zeros; the decision is stored at `lists.flag`. Every column index is written, the
 * count advances only past non-zero entries (no branch per entry).
 */
export function emitListing(ctx: WasmKernelContext, a: Node, lists: SparseLists): void {
  const { fn, num, layout } = ctx;
  const [rows, cols] = a.shape as [number, number];
  const A = layout.offsetOf(a);
  const t = num.t;
  fn.comment(`${oftenZero(ctx.plan, a)}, often mostly zeros: each row's non-zero entries are listed once per call, and`);
  fn.comment("every product by it multiplies only those, when its first row is at least half zeros");
  const zc = fn.local("zeros", "i32");
  fn.set(zc, "(i32.const 0)");
  fn.loop("c", cols, () => fn.set(zc, `(i32.add (local.get $${zc}) (${t}.eq (${t}.load offset=${A} (i32.shl (local.get $c) (i32.const ${num.shift}))) ${fconst(num, 0)}))`));
  fn.line(`(i32.store offset=${lists.flag} (i32.const 0) (i32.ge_s (i32.shl (local.get $${zc}) (i32.const 1)) (i32.const ${cols})))`);
  fn.when(`(i32.load offset=${lists.flag} (i32.const 0))`, () => {
    const nn = fn.local("nn", "i32");
    const at = fn.local("at", "i32");
    fn.loop("r", rows, () => {
      fn.set(nn, "(i32.const 0)");
      fn.set(at, `(i32.mul (local.get $r) (i32.const ${cols}))`);
      fn.loop("c", cols, () => {
        fn.line(`(i32.store offset=${lists.nz} (i32.shl (i32.add (local.get $${at}) (local.get $${nn})) (i32.const 2)) (local.get $c))`);
        fn.set(nn, `(i32.add (local.get $${nn}) (${t}.ne (${t}.load offset=${A} (i32.shl (i32.add (local.get $${at}) (local.get $c)) (i32.const ${num.shift}))) ${fconst(num, 0)}))`);
      });
      fn.line(`(i32.store offset=${lists.nnz} (i32.shl (local.get $r) (i32.const 2)) (local.get $${nn}))`);
    });
  });
}

/**
 * Emits the check that the `count` entries at byte `base` are all finite (Σ v · 0 is 0 exactly
 * then, NaN otherwise) and returns it as an i32 expression.
 */
export function allFiniteW(fn: WatFunction, num: Num, base: number, count: number): string {
  const acc = fn.local("finite", "v128");
  const s = fn.local("finiteSum", num.t);
  const vecs = Math.floor(count / num.lanes);
  const zero = `(${num.v}.splat ${fconst(num, 0)})`;
  fn.set(acc, "(v128.const i64x2 0 0)");
  if (vecs > 0) fn.loop("q", vecs * 16, () => fn.set(acc, `(${num.v}.add (local.get $${acc}) (${num.v}.mul (v128.load offset=${base} (local.get $q)) ${zero}))`), 0, 16);
  let sum = Array.from({ length: num.lanes }, (_, l) => `(${num.v}.extract_lane ${l} (local.get $${acc}))`).reduce((x, y) => `(${num.t}.add ${x} ${y})`);
  for (let e = vecs * num.lanes; e < count; e++) sum = `(${num.t}.add ${sum} (${num.t}.mul (${num.t}.load offset=${base + e * num.bytes} (i32.const 0)) ${fconst(num, 0)}))`;
  fn.set(s, sum);
  return `(${num.t}.eq (local.get $${s}) ${fconst(num, 0)})`;
}
