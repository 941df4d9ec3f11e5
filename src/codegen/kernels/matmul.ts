// Matrix products, each in the loop order that walks memory contiguously for its operand layout:
//   X · W   (plain)         i-k-j: a register-carried X[i,k] times a row of W, accumulated into a row
//   dZ · Wᵀ (B transposed)  dot products: row of dZ against row of W
//   Xᵀ · dZ (A transposed)  k-i-j: for each row k of both, accumulate outer-product rows
// A transposed operand is never materialized. An element-wise consumer (bias, activation, an
// activation's derivative) runs as the epilogue: per finished row, per dot product, or after the
// whole product, writing straight into the consumer's buffer. A left operand that is often zero
// (an input, a relu output) is walked through a list of its non-zero entries (./sparse.ts).
import type { Node } from "../../graph/node.ts";
import { linear } from "../expr.ts";
import type { Plan } from "../plan.ts";
import type { KernelContext, Target } from "./context.ts";
import { emitStore } from "./store.ts";
import { emitMap } from "./map.ts";
import { oftenZero, SPARSE_MIN, SPARSE_NAMES } from "./sparse.ts";

interface Operand {
  name: string;
  rank: number;
  trans: boolean;
  /** Stored shape. */
  rows: number;
  cols: number;
}

/** The stored node behind an operand, seeing through an inlined transpose (folded into the trans flag). */
function storedOperand(
  plan: Plan,
  node: Node,
  trans: boolean,
): { node: Node; trans: boolean } {
  if (node.op === "transpose" && plan.storage.get(node)?.kind === "inline")
    return { node: node.args[0]!, trans: !trans };
  return { node, trans };
}

/** An operand as stored. */
function operand(
  ctx: KernelContext,
  node: Node,
  trans: boolean,
): Operand & { node: Node } {
  const { node: n, trans: t } = storedOperand(ctx.plan, node, trans);
  const st = ctx.plan.storage.get(n)?.kind;
  if (st !== "leaf" && st !== "buffer")
    throw new Error(
      `internal error: matmul operand ${n.op} is not in a buffer`,
    );
  const rows = n.shape[0]!;
  const cols = n.shape.length === 2 ? n.shape[1]! : 1;
  return {
    node: n,
    name: ctx.names.nameOf(n),
    rank: n.shape.length,
    trans: n.shape.length === 2 && t,
    rows,
    cols,
  };
}

type Form = "dot" | "ikj" | "kij";

/** The loop order of a product with op(A) [m, K] and op(B) [K, n] (`scalar`: into a number). */
function formOf(
  A: Operand,
  B: Operand,
  n: number,
  K: number,
  scalar: boolean,
): Form {
  return scalar
    ? "dot"
    : A.trans && !B.trans
      ? "kij"
      : n > 1 && (!B.trans || K > UNROLL)
        ? "ikj"
        : "dot";
}

/** [m, K, n] of a product. */
function dimsOf(A: Operand, B: Operand): [number, number, number] {
  const m = A.rank === 1 ? 1 : A.trans ? A.cols : A.rows;
  const K = A.rank === 1 ? A.rows : A.trans ? A.rows : A.cols;
  const n = B.rank === 1 ? 1 : B.trans ? B.rows : B.cols;
  return [m, K, n];
}

/**
 * The length of the list of non-zero multipliers `mm` needs (0 when it runs dense): K for the
 * i-k-j form (row i of A), m for the k-i-j form (row k of the stored, transposed A).
 */
export function sparseListLength(plan: Plan, mm: Node): number {
  const shape = (a: Node, t: boolean): Operand => {
    const s = storedOperand(plan, a, t);
    const n = s.node;
    return {
      name: "",
      rank: n.shape.length,
      trans: n.shape.length === 2 && s.trans,
      rows: n.shape[0] ?? 1,
      cols: n.shape.length === 2 ? n.shape[1]! : 1,
    };
  };
  const A = shape(mm.args[0]!, mm.attrs.transA === true);
  const B = shape(mm.args[1]!, mm.attrs.transB === true);
  const [m, K, n] = dimsOf(A, B);
  const form = formOf(A, B, n, K, mm.shape.length === 0);
  const len = form === "ikj" ? K : form === "kij" && n > 1 ? m : 0;
  if (len < SPARSE_MIN || A.rank === 0) return 0;
  return oftenZero(
    plan,
    storedOperand(plan, mm.args[0]!, mm.attrs.transA === true).node,
  ) === null
    ? 0
    : len;
}

/** What every loop form of one product shares: operands, sizes, element access, the store, the sparse list. */
interface Product {
  ctx: KernelContext;
  mm: Node;
  target: Target;
  epilogue: Node | undefined;
  A: Operand & { node: Node };
  B: Operand & { node: Node };
  /** op(A) is [m, K], op(B) is [K, n]. */
  m: number;
  K: number;
  n: number;
  /** Row and column variables ("0" for a size-1 axis). */
  iv: string;
  jv: string;
  aAt(i: string, k: string): string;
  bAt(k: string, j: string): string;
  outAt(i: string, j: string): string;
  /** The store of element (i, j) of the product, through the epilogue when there is one. */
  finish(i: string, j: string, value: string): void;
  /** Whether A's non-zero entries may be listed (./sparse.ts), and the local deciding it per call. */
  sparse: boolean;
  skip: string;
  /** While emitting the listed variant of a loop nest: rowLoop walks the list. */
  listed: boolean;
}

/**
 * Emits `mm` (a matmul node) into `target`. With `epilogue`, the element-wise node that consumes
 * `mm` is computed in the same kernel and `target` is that node's buffer.
 */
export function emitMatmul(
  ctx: KernelContext,
  mm: Node,
  target: Target,
  epilogue?: Node,
): void {
  const p = product(ctx, mm, target, epilogue);
  // Long dot products (B transposed, K > UNROLL) run UNROLL at a time, sharing each A[i,k]: the
  // blocked i-k-j code reads B along k either way.
  const form = formOf(p.A, p.B, p.n, p.K, target.kind === "scalar");
  if (form === "dot") return emitDots(p);
  if (target.kind !== "buffer")
    throw new Error("internal error: matmul into a scalar");
  if (form === "kij") emitKij(p, target.name);
  else emitIkj(p, target.name);
}

function product(
  ctx: KernelContext,
  mm: Node,
  target: Target,
  epilogue: Node | undefined,
): Product {
  const { code } = ctx;
  const A = operand(ctx, mm.args[0]!, mm.attrs.transA === true);
  const B = operand(ctx, mm.args[1]!, mm.attrs.transB === true);
  const [m, K, n] = dimsOf(A, B);
  const outAt = (i: string, j: string): string =>
    linear([
      [i, n],
      [j, 1],
    ]);
  const form = formOf(A, B, n, K, target.kind === "scalar");
  const sparse =
    form !== "dot" &&
    ctx.sparse !== false &&
    sparseListLength(ctx.plan, mm) > 0;
  return {
    ctx,
    mm,
    target,
    epilogue,
    A,
    B,
    m,
    K,
    n,
    iv: m === 1 ? "0" : "i",
    jv: n === 1 ? "0" : "j",
    aAt: (i, k) =>
      code.at(
        A.name,
        A.rank === 1
          ? k
          : A.trans
            ? linear([
                [k, m],
                [i, 1],
              ])
            : linear([
                [i, K],
                [k, 1],
              ]),
      ),
    bAt: (k, j) =>
      code.at(
        B.name,
        B.rank === 1
          ? k
          : B.trans
            ? linear([
                [j, K],
                [k, 1],
              ])
            : linear([
                [k, n],
                [j, 1],
              ]),
      ),
    outAt,
    finish: (i, j, value) => {
      const axes =
        mm.shape.length === 2
          ? [i, j]
          : mm.shape.length === 1
            ? [m === 1 ? j : i]
            : [];
      emitStore(ctx, target, mm, value, { axes, flat: outAt(i, j) }, epilogue);
    },
    sparse,
    skip: sparse ? ctx.names.local(`${A.name}_skip`) : "",
    listed: false,
  };
}

/** With a sparse A, the loop over the listed entries of A's row (`v` = the listed index); else a plain loop. */
function rowLoop(p: Product, v: string, len: number): void {
  const { code } = p.ctx;
  const { list, count, index } = SPARSE_NAMES;
  if (!p.listed) code.loop(v, len);
  else
    code
      .open(`for (let ${index} = 0; ${index} < ${count}; ${index}++)`)
      .line(`const ${v} = ${code.at(list, index)};`);
}

/**
 * With a sparse A: `body` twice, under `if (skip)` over the listed non-zero entries of the current
 * row of A (`at(v)` reads one; the list built branch-free), and otherwise over every entry: the
 * plain dense loop, so dense data pays only the per-call measurement.
 */
function listedOrDense(
  p: Product,
  v: string,
  len: number,
  at: (v: string) => string,
  body: () => void,
): void {
  if (!p.sparse) return body();
  const { code } = p.ctx;
  const { list, count } = SPARSE_NAMES;
  code.open(`if (${p.skip})`);
  code.line(`let ${count} = 0;`);
  // every index is written; the count advances only past non-zero entries
  code
    .loop(v, len)
    .line(`${list}[${count}] = ${v};`)
    .line(`${count} += ${at(v)} !== 0 ? 1 : 0;`)
    .close();
  p.listed = true;
  body();
  p.listed = false;
  code.close();
  code.open("else");
  body();
  code.close();
}

/**
 * With a sparse A: what the list does and why it is exact, and the decision, made per call, to
 * skip zeros only when B holds no Inf or NaN and the first row of A (`firstRow(v)` reads one of
 * its `len` entries) is at least half zeros.
 */
function sparsePreamble(
  p: Product,
  len: number,
  firstRow: (v: string) => string,
): void {
  if (!p.sparse) return;
  const { code, names } = p.ctx;
  const { list } = SPARSE_NAMES;
  const [A, B] = [p.A.name, p.B.name];
  code.comment(
    `${A} is ${oftenZero(p.ctx.plan, p.A.node)}, often mostly zeros: each row of it lists its non-zero entries in`,
  );
  code.comment(
    `${list} once, and every block multiplies only those. Exact: a skipped term 0 · ${B}[…] is ±0 and`,
  );
  code.comment(
    `changes no sum started at +0, as long as ${B} holds no Inf or NaN (0 · Inf is NaN). Zeros are`,
  );
  code.comment(
    `skipped only when ${B} is finite and the first row of ${A} is at least half zeros (measured per call):`,
  );
  code.comment(`otherwise every row takes the plain dense loop.`);
  const zeros = names.local(`${A}_zeros`);
  code.line(`let ${zeros} = 0;`);
  code
    .loop("p", len)
    .line(`${zeros} += ${firstRow("p")} === 0 ? 1 : 0;`)
    .close();
  code.line(
    `const ${p.skip} = ${zeros} * 2 >= ${len} && ${SPARSE_NAMES.helper}(${B});`,
  );
}

/** dot products: C[i,j] = Σ_k op(A)[i,k] · op(B)[k,j], both read along k. */
function emitDots(p: Product): void {
  const { code } = p.ctx;
  const { m, K, n, iv, jv, aAt, bAt } = p;
  code.comment(
    `dot products: each element sums ${K} products, ${p.A.name} and ${p.B.name} read along k`,
  );
  if (m > 1) code.loop("i", m);
  if (n > 1) code.loop("j", n);
  if (K <= UNROLL) {
    // a short dot product, written out (summed left to right, as the loop would)
    p.finish(
      iv,
      jv,
      Array.from(
        { length: K },
        (_, k) => `${aAt(iv, String(k))} * ${bAt(String(k), jv)}`,
      ).join(" + "),
    );
  } else {
    const acc = p.ctx.names.local("acc");
    code.line(`let ${acc} = 0;`);
    code
      .loop("k", K)
      .line(`${acc} += ${aAt(iv, "k")} * ${bAt("k", jv)};`)
      .close();
    p.finish(iv, jv, acc);
  }
  if (n > 1) code.close();
  if (m > 1) code.close();
}

/** `off + j` as an index expression (folded when `off` is a literal). */
const plus = (off: string, j: number): string =>
  /^\d+$/.test(off) ? String(Number(off) + j) : j === 0 ? off : `${off} + ${j}`;

/**
 * Columns in blocks of UNROLL held in registers: `emit(offset, width)` per block; a loop over `jb`
 * covers the full blocks, a literal offset the remainder (in a block of its own scope).
 */
function columnBlocks(
  p: Product,
  emit: (off: string, width: number) => void,
): void {
  const { code } = p.ctx;
  const full = Math.floor(p.n / UNROLL);
  const rem = p.n % UNROLL;
  const scoped = (off: string, width: number): void => {
    if (off !== "0" && off !== "jb") code.open("");
    emit(off, width);
    if (off !== "0" && off !== "jb") code.close();
  };
  if (full === 1) scoped("0", UNROLL);
  else if (full > 1) {
    code.open(`for (let jb = 0; jb < ${full * UNROLL}; jb += ${UNROLL})`);
    scoped("jb", UNROLL);
    code.close();
  }
  if (rem > 0) scoped(String(full * UNROLL), rem);
}

/** k-i-j: C = Σ_k (row k of A)ᵀ ⊗ (row k of op(B)), rows of A and B read in order. */
function emitKij(p: Product, C: string): void {
  const { code } = p.ctx;
  const { m, K, n, aAt, bAt, outAt } = p;
  code.comment(
    `k-i-j: ${C} accumulates ${p.A.name}[k, i] times row k of ${p.B.name}, for each k`,
  );
  sparsePreamble(p, m, (v) => aAt(v, "0"));
  code.line(`${C}.fill(0);`);
  code.loop("k", K);
  if (n === 1)
    code
      .loop("i", m)
      .line(`const aki = ${aAt("i", "k")};`)
      .line(`${code.at(C, "i")} += aki * ${bAt("k", "0")};`)
      .close();
  else
    listedOrDense(
      p,
      "i",
      m,
      (v) => aAt(v, "k"),
      () =>
        columnBlocks(p, (off, width) => {
          // a block of row k of B in registers
          const cols = Array.from({ length: width }, (_, j) => j);
          code.line(
            `const ${cols.map((j) => `bk${j} = ${bAt("k", plus(off, j))}`).join(", ")};`,
          );
          rowLoop(p, "i", m);
          code.line(`const aki = ${aAt("i", "k")};`);
          for (const j of cols)
            code.line(
              `${code.at(C, outAt("i", plus(off, j)))} += aki * bk${j};`,
            );
          code.close();
        }),
    );
  code.close();
  if (p.epilogue)
    emitMap(
      p.ctx,
      p.epilogue,
      p.target,
      new Map([[p.mm, (idx) => code.at(C, `${idx.flat}`)]]),
    );
}

/** i-k-j: for each row i, C[i,:] = Σ_k A[i,k] · B[k,:] with A[i,k] in a register. */
function emitIkj(p: Product, C: string): void {
  const { code, names } = p.ctx;
  const { m, K, n, iv, aAt, bAt, outAt, epilogue } = p;
  code.comment(
    p.B.trans
      ? `dot products, up to ${UNROLL} at a time in registers: row i of ${p.A.name} against rows of ${p.B.name}, along k`
      : `i-k-j: row i of the product in registers, ${p.A.name}[i, k] times row k of ${p.B.name}`,
  );
  sparsePreamble(p, K, (v) => aAt("0", v));
  if (m > 1) code.loop("i", m);
  else code.open("");
  listedOrDense(
    p,
    "k",
    K,
    (v) => aAt(iv, v),
    () =>
      columnBlocks(p, (off, width) => {
        const cols = Array.from({ length: width }, (_, j) => j);
        code.line(`let ${cols.map((j) => `acc${j} = 0`).join(", ")};`);
        rowLoop(p, "k", K);
        code.line(`const aik = ${aAt(iv, "k")};`);
        for (const j of cols)
          code.line(`acc${j} += aik * ${bAt("k", plus(off, j))};`);
        code.close();
        // without an epilogue the sums are final; with one, the epilogue runs once over the row below
        // (one call site for helpers such as sigmoid, so they stay inlined)
        for (const j of cols) {
          if (epilogue)
            code.line(`${C}[${outAt(iv, plus(off, j))}] = acc${j};`);
          else p.finish(iv, plus(off, j), `acc${j}`);
        }
      }),
  );
  if (epilogue) {
    if (names.hasName(p.mm))
      code.comment(
        `row i of ${names.nameOf(p.mm)} is now in ${C}: finish ${C} in place`,
      );
    code.loop("j", n);
    p.finish(iv, "j", code.at(C, outAt(iv, "j")));
    code.close();
  }
  code.close();
}

/** Up to this many columns (or terms of a dot product) are written out, held in registers. */
export const UNROLL = 16;

/** Register names of the unrolled kernels (reserved: they live in loop bodies and blocks). */
export const MATMUL_NAMES = [
  "aik",
  "aki",
  "jb",
  ...Object.values(SPARSE_NAMES),
  ...Array.from({ length: UNROLL }, (_, j) => [`acc${j}`, `bk${j}`]).flat(),
];
