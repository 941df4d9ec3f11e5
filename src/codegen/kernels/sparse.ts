// Sparse multipliers in matrix products. A model input (MNIST pixels are ~80% zero) or a relu
// output is often mostly zeros, and in the i-k-j and k-i-j loops each of its entries multiplies a
// whole block of the other operand. Such a left operand has its non-zero entries listed row by row
// (of the tensor as stored) once per call, by the first product that multiplies by it, into
// module-level arrays (a RowList); every later product by it — the backward pass's Xᵀ · δ reads
// the forward pass's list of x — and every column block loops over those lists only.
//
// Exact, not approximate: a skipped entry contributes terms 0 · b, which are ±0 when b is finite,
// and adding ±0 changes no sum that starts at +0 (s + ±0 = s for every s but -0, and a sum that
// starts at +0 is never -0: x + y is -0 only when both are). The terms kept are added in the same
// order as the dense loop. When the other operand holds an Inf or a NaN, 0 · b is NaN and must not
// be skipped: one pass over that operand per call (allFinite) decides, and without it the list
// holds every index, which is the dense loop.
import type { Node } from "../../graph/node.ts";
import type { Plan } from "../plan.ts";

/** Rows shorter than this are not listed: too few products to be worth a second loop. */
export const SPARSE_MIN = 16;

/** Identifiers of the sparse loops (reserved: the flags and the helper are module-level). */
export const SPARSE_NAMES = { flags: "listed", count: "nnz", index: "nz", helper: "allFinite" } as const;

/**
 * The non-zero entries of a stored operand's rows, listed once per call: row r's column indices at
 * nz[r · len …], nnz[r] of them. `listed[slot]` says whether this call listed them (it does only
 * when the operand's first row is at least half zeros).
 */
export interface RowList {
  slot: number;
  nz: string;
  nnz: string;
  rows: number;
  len: number;
}

/** A module's row lists, and (while its kernels are emitted, in run order) which are built already. */
export interface SparseLists {
  byNode: ReadonlyMap<Node, RowList>;
  built: Set<Node>;
}

/** The module-level arrays of the row lists. */
export function listBuffers(lists: SparseLists, names: (n: Node) => string): string[] {
  const out: string[] = [];
  for (const [node, l] of lists.byNode) {
    const a = names(node);
    // 16-bit indices while a row is short enough: half the cache of 32-bit ones (w1 ~5% faster)
    const type = l.len <= 65536 ? "Uint16Array" : "Int32Array";
    out.push(`const ${l.nz} = new ${type}(${l.rows * l.len}); // the non-zero entries of each row of ${a}, listed once per call`);
    out.push(`const ${l.nnz} = new Int32Array(${l.rows}); // how many entries of each row of ${a} are listed`);
  }
  if (lists.byNode.size > 0) {
    const all = [...lists.byNode.keys()].map(names).join(", ");
    out.push(`const ${SPARSE_NAMES.flags} = new Uint8Array(${lists.byNode.size}); // 1 where this call listed the rows of [${all}]`);
  }
  return out;
}

/**
 * The helper deciding the sparse path, emitted once per module that has a sparse product. 0 · v is
 * ±0 for a finite v and NaN for ±Inf and NaN, so sums of 0 · a[p] stay zero exactly when every
 * entry is finite. Four independent sums: 41 µs for w3's W1 (100,352 entries) against 112 µs with
 * a Number.isFinite test per entry; the six checks of a w3 training step (~121,000 entries, ~50 µs)
 * cost 0.5–5% of the 3.2 ms step (within timing noise).
 */
export const ALL_FINITE = `/** Whether every entry of \`a\` is finite: then a product 0 · a[p] is ±0 and adds nothing to a sum. */
function ${SPARSE_NAMES.helper}(a: Tensor): boolean {
  // 0 · v is ±0 for a finite v and NaN for Inf or NaN; four sums so the additions do not wait on each other
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const n = a.length - (a.length % 4);
  for (let p = 0; p < n; p += 4) {
    s0 += a[p]! * 0;
    s1 += a[p + 1]! * 0;
    s2 += a[p + 2]! * 0;
    s3 += a[p + 3]! * 0;
  }
  for (let p = n; p < a.length; p++) s0 += a[p]! * 0;
  return s0 + s1 + s2 + s3 === 0;
}`;

/** Why `node`, a stored left operand of a product, is often zero, or null when it is not. */
export function oftenZero(plan: Plan, node: Node): string | null {
  if (node.op === "relu") return "a relu output";
  if (node.op !== "input") return null;
  const decl = plan.ir.checked.data.find((d) => d.name === node.attrs.name);
  return decl?.role === "input" ? "a model input" : null;
}
