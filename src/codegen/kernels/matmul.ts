// Matrix products, each in the loop order that walks memory contiguously for its operand layout:
//   X · W   (plain)         i-k-j: a register-carried X[i,k] times a row of W, accumulated into a row
//   dZ · Wᵀ (B transposed)  dot products: row of dZ against row of W
//   Xᵀ · dZ (A transposed)  k-i-j: for each row k of both, accumulate outer-product rows
// A transposed operand is never materialized. An element-wise consumer (bias, activation, an
// activation's derivative) runs as the epilogue: per finished row, per dot product, or after the
// whole product, writing straight into the consumer's buffer.
import type { Node } from "../../ir/node.ts";
import { linear } from "../expr.ts";
import type { KernelContext, Target } from "./context.ts";
import { emitStore } from "./store.ts";
import { emitMap } from "./map.ts";

interface Operand {
  name: string;
  rank: number;
  trans: boolean;
  /** Stored shape. */
  rows: number;
  cols: number;
}

/** An operand as stored, seeing through an inlined transpose (folded into the trans flag). */
function operand(ctx: KernelContext, node: Node, trans: boolean): Operand {
  let n = node;
  let t = trans;
  if (n.op === "transpose" && ctx.plan.storage.get(n)?.kind === "inline") {
    n = n.args[0]!;
    t = !t;
  }
  const st = ctx.plan.storage.get(n)?.kind;
  if (st !== "leaf" && st !== "buffer") throw new Error(`internal error: matmul operand ${n.op} is not in a buffer`);
  const rows = n.shape[0]!;
  const cols = n.shape.length === 2 ? n.shape[1]! : 1;
  return { name: ctx.names.nameOf(n), rank: n.shape.length, trans: n.shape.length === 2 && t, rows, cols };
}

/**
 * Emits `mm` (a matmul node) into `target`. With `epilogue`, the element-wise node that consumes
 * `mm` is computed in the same kernel and `target` is that node's buffer.
 */
export function emitMatmul(ctx: KernelContext, mm: Node, target: Target, epilogue?: Node): void {
  const { code } = ctx;
  const A = operand(ctx, mm.args[0]!, mm.attrs.transA === true);
  const B = operand(ctx, mm.args[1]!, mm.attrs.transB === true);
  // op(A) is [m, K], op(B) is [K, n]
  const m = A.rank === 1 ? 1 : A.trans ? A.cols : A.rows;
  const K = A.rank === 1 ? A.rows : A.trans ? A.rows : A.cols;
  const n = B.rank === 1 ? 1 : B.trans ? B.rows : B.cols;
  const iv = m === 1 ? "0" : "i";
  const jv = n === 1 ? "0" : "j";
  const aAt = (i: string, k: string): string =>
    `${A.name}[${A.rank === 1 ? k : A.trans ? linear([[k, m], [i, 1]]) : linear([[i, K], [k, 1]])}]`;
  const bAt = (k: string, j: string): string =>
    `${B.name}[${B.rank === 1 ? k : B.trans ? linear([[j, K], [k, 1]]) : linear([[k, n], [j, 1]])}]`;
  const outAt = (i: string, j: string): string => linear([[i, n], [j, 1]]);

  // The store of element (i, j) of the product, through the epilogue when there is one.
  const finish = (i: string, j: string, value: string): void => {
    const axes = mm.shape.length === 2 ? [i, j] : mm.shape.length === 1 ? [m === 1 ? j : i] : [];
    emitStore(ctx, target, mm, value, { axes, flat: outAt(i, j) }, epilogue);
  };

  // Long dot products (B transposed, K > UNROLL) run UNROLL at a time, sharing each A[i,k]: the
  // blocked i-k-j code below reads B along k either way.
  const form =
    target.kind === "scalar" ? "dot" : A.trans && !B.trans ? "kij" : n > 1 && (!B.trans || K > UNROLL) ? "ikj" : "dot";

  if (form === "dot") {
    // dot products: C[i,j] = Σ_k op(A)[i,k] · op(B)[k,j], both read along k
    code.comment(`dot products: each element sums ${K} products, ${A.name} and ${B.name} read along k`);
    if (m > 1) code.loop("i", m);
    if (n > 1) code.loop("j", n);
    if (K <= UNROLL) {
      // a short dot product, written out (summed left to right, as the loop would)
      finish(iv, jv, Array.from({ length: K }, (_, k) => `${aAt(iv, String(k))} * ${bAt(String(k), jv)}`).join(" + "));
    } else {
      const acc = ctx.names.local("acc");
      code.line(`let ${acc} = 0;`);
      code.loop("k", K).line(`${acc} += ${aAt(iv, "k")} * ${bAt("k", jv)};`).close();
      finish(iv, jv, acc);
    }
    if (n > 1) code.close();
    if (m > 1) code.close();
    return;
  }
  if (target.kind !== "buffer") throw new Error("internal error: matmul into a scalar");
  const C = target.name;
  // Columns in blocks of UNROLL held in registers: [offset expression, width] per block; a loop
  // over `jb` covers the full blocks, a literal offset the remainder.
  const full = Math.floor(n / UNROLL);
  const rem = n % UNROLL;
  const plus = (off: string, j: number): string => (/^\d+$/.test(off) ? String(Number(off) + j) : j === 0 ? off : `${off} + ${j}`);
  const blocks = (emit: (off: string, width: number) => void): void => {
    if (full === 1) emit("0", UNROLL);
    else if (full > 1) {
      code.open(`for (let jb = 0; jb < ${full * UNROLL}; jb += ${UNROLL})`);
      emit("jb", UNROLL);
      code.close();
    }
    if (rem > 0) emit(String(full * UNROLL), rem);
  };

  if (form === "kij") {
    // k-i-j: C = Σ_k (row k of A)ᵀ ⊗ (row k of op(B)), rows of A and B read in order
    code.comment(`k-i-j: ${C} accumulates ${A.name}[k, i] times row k of ${B.name}, for each k`);
    code.line(`${C}.fill(0);`);
    code.loop("k", K);
    if (n === 1) code.loop("i", m).line(`const aki = ${aAt("i", "k")};`).line(`${C}[i] += aki * ${bAt("k", "0")};`).close();
    else
      blocks((off, width) => {
        // a block of row k of B in registers
        const cols = Array.from({ length: width }, (_, j) => j);
        if (off !== "0" && off !== "jb") code.open("");
        code.line(`const ${cols.map((j) => `bk${j} = ${bAt("k", offset(off, j))}`).join(", ")};`);
        code.loop("i", m).line(`const aki = ${aAt("i", "k")};`);
        for (const j of cols) code.line(`${C}[${outAt("i", offset(off, j))}] += aki * bk${j};`);
        code.close();
        if (off !== "0" && off !== "jb") code.close();
      });
    code.close();
    if (epilogue) emitMap(ctx, epilogue, target, new Map([[mm, (idx) => `${C}[${idx.flat}]`]]));
    return;
  }
  // i-k-j: for each row i, C[i,:] = Σ_k A[i,k] · B[k,:] with A[i,k] in a register
  code.comment(
    B.trans
      ? `dot products, up to ${UNROLL} at a time in registers: row i of ${A.name} against rows of ${B.name}, along k`
      : `i-k-j: row i of the product in registers, ${A.name}[i, k] times row k of ${B.name}`,
  );
  if (m > 1) code.loop("i", m);
  else code.open("");
  blocks((off, width) => {
    const cols = Array.from({ length: width }, (_, j) => j);
    if (off !== "0" && off !== "jb") code.open("");
    code.line(`let ${cols.map((j) => `acc${j} = 0`).join(", ")};`);
    code.loop("k", K).line(`const aik = ${aAt(iv, "k")};`);
    for (const j of cols) code.line(`acc${j} += aik * ${bAt("k", offset(off, j))};`);
    code.close();
    // without an epilogue the sums are final; with one, the epilogue runs once over the row below
    // (one call site for helpers such as sigmoid, so they stay inlined)
    for (const j of cols) {
      if (epilogue) code.line(`${C}[${outAt(iv, offset(off, j))}] = acc${j};`);
      else finish(iv, offset(off, j), `acc${j}`);
    }
    if (off !== "0" && off !== "jb") code.close();
  });
  if (epilogue) {
    if (ctx.names.hasName(mm)) code.comment(`row i of ${ctx.names.nameOf(mm)} is now in ${C}: finish ${C} in place`);
    code.loop("j", n);
    finish(iv, "j", `${C}[${outAt(iv, "j")}]`);
    code.close();
  }
  code.close();

  function offset(off: string, j: number): string {
    return plus(off, j);
  }
}

/** Up to this many columns (or terms of a dot product) are written out, held in registers. */
export const UNROLL = 16;

/** Register names of the unrolled kernels (reserved: they live in loop bodies and blocks). */
export const MATMUL_NAMES = ["aik", "aki", "jb", ...Array.from({ length: UNROLL }, (_, j) => [`acc${j}`, `bk${j}`]).flat()];
