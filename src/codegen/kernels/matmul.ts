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
import { oftenZero, SPARSE_MIN, SPARSE_NAMES, type RowList } from "./sparse.ts";

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
 * The stored left operand of `mm` whose rows are worth listing (./sparse.ts), with its row count
 * and row length, or null when the product runs dense: only the i-k-j form (row i of A) and the
 * k-i-j form (row k of the stored, transposed A) walk rows of A as stored, and rows shorter than
 * SPARSE_MIN are not listed.
 */
export function sparseOperand(
  plan: Plan,
  mm: Node,
): { node: Node; rows: number; len: number } | null {
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
  const [, K, n] = dimsOf(A, B);
  const form = formOf(A, B, n, K, mm.shape.length === 0);
  const rowsOfA =
    (form === "ikj" && !A.trans) || (form === "kij" && n > 1);
  if (!rowsOfA || A.rank === 0) return null;
  const [rows, len] = A.rank === 1 ? [1, A.rows] : [A.rows, A.cols];
  if (len < SPARSE_MIN) return null;
  const node = storedOperand(plan, mm.args[0]!, mm.attrs.transA === true).node;
  return oftenZero(plan, node) === null ? null : { node, rows, len };
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
  /** A's row lists when its non-zero entries may be skipped (./sparse.ts), and the local deciding it per call. */
  list: RowList | null;
  skip: string;
  /** While emitting the listed variant of a loop nest: the row of A whose list rowLoop walks. */
  listedRow: string | null;
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
  const list =
    form !== "dot" && ctx.sparse !== false
      ? (ctx.lists?.byNode.get(A.node) ?? null)
      : null;
  const sparse = list !== null && sparseOperand(ctx.plan, mm) !== null;
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
    list: sparse ? list : null,
    skip: sparse ? ctx.names.local(`${A.name}_skip`) : "",
    listedRow: null,
  };
}

/** With a sparse A, the loop over the listed entries of A's row (`v` = the listed index); else a plain loop. */
function rowLoop(p: Product, v: string, len: number): void {
  const { code } = p.ctx;
  const { count, index } = SPARSE_NAMES;
  if (p.listedRow === null || !p.list) code.loop(v, len);
  else
    code
      .open(`for (let ${index} = 0; ${index} < ${count}; ${index}++)`)
      .line(
        `const ${v} = ${code.at(p.list.nz, linear([[p.listedRow, p.list.len], [index, 1]]))};`,
      );
}

/**
 * With a sparse A: `body` twice, under `if (skip)` over the listed non-zero entries of `row` (a
 * row of A as stored), and otherwise over every entry: the plain dense loop, so dense data pays
 * only the per-call measurement.
 */
function listedOrDense(p: Product, row: string, body: () => void): void {
  if (!p.list) return body();
  const { code } = p.ctx;
  code.open(`if (${p.skip})`);
  code.line(`const ${SPARSE_NAMES.count} = ${code.at(p.list.nnz, row)};`);
  p.listedRow = row;
  body();
  p.listedRow = null;
  code.close();
  code.open("else");
  body();
  code.close();
}

/**
 * With a sparse A, before the product's loops: the first product by A lists the non-zero entries
 * of every row of A, when its first row is at least half zeros (measured per call), branch-free;
 * a later one (the backward pass's Aᵀ · δ) reads those lists. Either then skips zeros only when B
 * holds no Inf or NaN.
 */
function sparsePreamble(p: Product): void {
  const l = p.list;
  if (!l) return;
  const { code, names } = p.ctx;
  const lists = p.ctx.lists!;
  const [A, B] = [p.A.name, p.B.name];
  const flag = `${SPARSE_NAMES.flags}[${l.slot}]`;
  const skipIf = (listed: string): void =>
    void code.line(
      `const ${p.skip} = ${listed} && ${SPARSE_NAMES.helper}(${B});`,
    );
  if (lists.built.has(p.A.node)) {
    code.comment(
      `${A} is ${oftenZero(p.ctx.plan, p.A.node)}: an earlier product by ${A} in this call listed the non-zero entries of`,
    );
    code.comment(
      `its rows (${l.nz}, ${l.nnz}) if it is mostly zeros; every block then multiplies only those, as long as`,
    );
    code.comment(`${B} holds no Inf or NaN.`);
    skipIf(`${code.at(SPARSE_NAMES.flags, l.slot)} === 1`);
    return;
  }
  lists.built.add(p.A.node);
  code.comment(
    `${A} is ${oftenZero(p.ctx.plan, p.A.node)}, often mostly zeros: the non-zero entries of each of its rows are listed`,
  );
  code.comment(
    `once per call (${l.nz}, ${l.nnz}), for this product and every later one by ${A}, and every block multiplies`,
  );
  code.comment(
    `only those. Exact: a skipped term 0 · ${B}[…] is ±0 and changes no sum started at +0, as long as ${B}`,
  );
  code.comment(
    `holds no Inf or NaN (0 · Inf is NaN). Rows are listed only when the first row of ${A} is at least`,
  );
  code.comment(
    `half zeros (measured per call), and zeros skipped only when ${B} is finite: otherwise the dense loop.`,
  );
  const at = (r: string, c: string): string =>
    code.at(A, linear([[r, l.len], [c, 1]]));
  const zeros = names.local(`${A}_zeros`);
  const listed = names.local(`${A}_listed`);
  code.line(`let ${zeros} = 0;`);
  code.loop("p", l.len).line(`${zeros} += ${at("0", "p")} === 0 ? 1 : 0;`).close();
  code.line(`const ${listed} = ${zeros} * 2 >= ${l.len};`);
  code.line(`${flag} = ${listed} ? 1 : 0;`);
  code.open(`if (${listed})`);
  emitListRows(p.ctx, l, at);
  code.close();
  skipIf(listed);
}

/** Entries a row list looks at together: a run of this many zeros is skipped with one test. */
const LIST_STEP = 4;

/**
 * Lists the non-zero entries of every row of A (`at(r, p)` reads one) into `l`. LIST_STEP entries
 * at a time: when all are zero (most of an MNIST row) one test skips them; otherwise each index is
 * written and the count advances past non-zero entries only, without a branch per entry.
 */
function emitListRows(
  ctx: KernelContext,
  l: RowList,
  at: (r: string, p: string) => string,
): void {
  const { code } = ctx;
  const { count } = SPARSE_NAMES;
  if (l.rows > 1) code.loop("r", l.rows);
  const r = l.rows > 1 ? "r" : "0";
  const write = (p: string, e: string): void =>
    void code
      .line(`${l.nz}[${linear([[r, l.len], [count, 1]])}] = ${p};`)
      .line(`${count} += ${e} !== 0 ? 1 : 0;`);
  code.line(`let ${count} = 0;`);
  const full = l.len - (l.len % LIST_STEP);
  const es = LIST_ENTRIES;
  code.comment(
    `${LIST_STEP} entries at a time: ${LIST_STEP} zeros are passed over with one test; otherwise each index is written and`,
  );
  code.comment("the count advances past the non-zero entries only");
  code.open(`for (let p = 0; p < ${full}; p += ${LIST_STEP})`);
  code.line(
    `const ${es.map((e, q) => `${e} = ${at(r, plus("p", q))}`).join(", ")};`,
  );
  code.line(`if (${es.map((e) => `${e} === 0`).join(" && ")}) continue;`);
  es.forEach((e, q) => write(plus("p", q), e));
  code.close();
  if (full < l.len) {
    code.open(`for (let p = ${full}; p < ${l.len}; p++)`);
    write("p", at(r, "p"));
    code.close();
  }
  code.line(`${l.nnz}[${r}] = ${count};`);
  if (l.rows > 1) code.close();
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
  sparsePreamble(p);
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
      "k",
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
  sparsePreamble(p);
  if (m > 1) code.loop("i", m);
  else code.open("");
  listedOrDense(
    p,
    iv,
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

const LIST_ENTRIES = Array.from({ length: LIST_STEP }, (_, q) => `e${q}`);

/** Register names of the unrolled kernels (reserved: they live in loop bodies and blocks). */
export const MATMUL_NAMES = [
  ...LIST_ENTRIES,
  "aik",
  "aki",
  "jb",
  ...Object.values(SPARSE_NAMES),
  ...Array.from({ length: UNROLL }, (_, j) => [`acc${j}`, `bk${j}`]).flat(),
];
