// Matrix products in 128-bit SIMD, op(A) [m, K] · op(B) [K, n], in one of three loop forms chosen
// by where the operands are contiguous:
//   rows   B's rows are contiguous (X · W, and Xᵀ · δ): for each row i, blocks of up to four vectors
//          of columns stay in registers while k runs; A[i, k] is splat across the lanes.
//   dots   A and op(B) are both contiguous along k (δ · Wᵀ): up to four dot products at a time,
//          each a vector of partial sums, added across lanes at the end.
//   scalar anything else (short or strided): the plain triple loop.
// A left operand that is often mostly zeros (./sparse.ts) adds a listed path beside the rows form,
// taken per call when its rows are listed and B is finite: X · W runs over the listed k of each row
// (one row at a time), Xᵀ · δ runs k-i-j, row k of δ in registers added into the rows of the
// product that row k of X lists. Both add the same terms in the same order as the dense loops.
// The product lands in the target region; an element-wise consumer fused into it (bias, activation,
// an activation's derivative) then runs over the finished product in place. A product that
// finishes a param's gradient in `step` runs the optimizer update (./step.ts FusedUpdate) on its
// rows as they are finished; its listed k-i-j form then runs the last k row by row, so that each
// row is finished in one place.
import type { Node } from "../../graph/node.ts";
import type { Plan } from "../plan.ts";
import type { WasmKernelContext } from "./expr.ts";
import { emitMapW, fillW, type WTarget } from "./kernels.ts";
import { allFiniteW, emitListing, LISTED_MIN_COLUMNS, storedOperand } from "./sparse.ts";
import type { SparseLists } from "./layout.ts";
import { lin, load, store, vload, vstore, type Lin } from "./wat.ts";

interface Operand {
  base: number;
  rank: number;
  trans: boolean;
}

/** Columns per register block: four vectors. */
const VECTORS = 4;
/** Rows of the product computed together, sharing each vector of B (2 × 4 accumulators fit the 16 registers). */
const ROWS = 2;
/** Dot products computed side by side. */
const DOTS = 4;
/** Fewest entries of the product finished between two runs of a fused update in the rows form. */
const FUSED_MIN = 256;

export function emitMatmulW(ctx: WasmKernelContext, mm: Node, target: WTarget, epilogue?: Node): void {
  const { plan, layout, num, fn } = ctx;
  const a = storedOperand(plan, mm.args[0]!, mm.attrs.transA === true);
  const b = storedOperand(plan, mm.args[1]!, mm.attrs.transB === true);
  const A: Operand = { base: layout.offsetOf(a.node), rank: a.node.shape.length, trans: a.node.shape.length === 2 && a.trans };
  const B: Operand = { base: layout.offsetOf(b.node), rank: b.node.shape.length, trans: b.node.shape.length === 2 && b.trans };
  const aRows = a.node.shape[0]!;
  const aCols = a.node.shape[1] ?? 1;
  const bRows = b.node.shape[0]!;
  const bCols = b.node.shape[1] ?? 1;
  const m = A.rank === 1 ? 1 : A.trans ? aCols : aRows;
  const K = A.rank === 1 ? aRows : A.trans ? aRows : aCols;
  const n = B.rank === 1 ? 1 : B.trans ? bRows : bCols;
  // element offsets of op(A)[i, k] and op(B)[k, j]
  const aAt = (i: Lin | string | number, k: string | number): Lin => (A.rank === 1 ? lin([[k, 1]]) : A.trans ? lin([[k, m], [i, 1]]) : lin([[i, K], [k, 1]]));
  const bAt = (k: string | number, j: string | number): Lin => (B.rank === 1 ? lin([[k, 1]]) : B.trans ? lin([[j, K], [k, 1]]) : lin([[k, n], [j, 1]]));
  const cAt = (i: Lin | string | number, j: Lin | string | number): Lin => lin([[i, n], [j, 1]]);
  const C = target.base;
  const iv = m === 1 ? 0 : "i";
  const update = ctx.update;
  // a fused update (./fuse.ts) follows the rows as they are finished
  const rowDone = (i: string | number, rows = 0): void => update?.upTo(fn, lin([[i, n], [rows * n, 1]]));
  const perRow = (body: () => void): void => (m > 1 ? void fn.loop("i", m, () => (body(), rowDone("i", 1))) : (body(), rowDone(0, 1)));
  update?.begin(fn);

  const rowsContiguous = B.rank === 2 && !B.trans && n >= num.lanes;
  const kContiguous = (A.rank === 1 || !A.trans) && (B.rank === 1 || B.trans) && K >= num.lanes;
  // a narrow product keeps its dense loops even by a listed operand (LISTED_MIN_COLUMNS)
  const lists = rowsContiguous && A.rank === 2 && n >= LISTED_MIN_COLUMNS ? layout.lists(a.node) : undefined;
  if (lists) {
    if (!ctx.listed.has(a.node)) {
      emitListing(ctx, a.node, lists);
      ctx.listed.add(a.node);
    }
    const skip = fn.local("skip", "i32");
    fn.comment(`zeros of ${A.trans ? "Aᵀ" : "A"} skipped when its rows are listed and B holds no Inf or NaN (0 · Inf is NaN), else the dense loops`);
    const finite = allFiniteW(fn, num, B.base, K * n);
    fn.set(skip, `(i32.and (i32.load offset=${lists.flag} (i32.const 0)) ${finite})`);
    fn.when(`(local.get $${skip})`, () => {
      if (A.trans) {
        fn.comment(`k-i-j: row k of B in vector registers, added into row i of the product for each i that row k of A lists`);
        kijListed(lists);
      } else {
        fn.comment(`rows, listed: row i of the product in vector registers, A[i, k] splat times row k of B for the listed k`);
        perRow(() => rowsListed(lists));
      }
    });
    fn.when(`(i32.eqz (local.get $${skip}))`, () => {
      fn.comment(`rows: row i of the product in vector registers, ${m > 1 ? "op(A)[i, k]" : "A[k]"} splat times row k of B`);
      rowsForm();
    });
  } else if (rowsContiguous) {
    fn.comment(`rows: row i of the product in vector registers, ${m > 1 ? "op(A)[i, k]" : "A[k]"} splat times row k of B`);
    rowsForm();
  } else if (kContiguous) {
    fn.comment(`dots: up to ${DOTS} dot products of length ${K} at a time, ${num.lanes} products per instruction`);
    perRow(() => dotsForm());
  } else {
    fn.comment(`the plain triple loop: ${m} × ${n} sums of ${K} products`);
    perRow(() => scalarForm());
  }
  update?.end(fn, m * n);
  if (epilogue) emitMapW(ctx, epilogue, target, new Map([[mm, (idx) => load(num, C, idx.flat ?? lin([]))]]));

  /** Rows ROWS at a time (sharing each vector of B), then the rows left over one at a time. */
  function rowsForm(): void {
    const R = Math.min(ROWS, m);
    const full = Math.floor(m / R) * R;
    const rows = (i0: string | number, count: number): void => (rowsOf(i0, count), rowDone(i0, count));
    if (full === R) rows(0, R);
    else if (!update || R * n >= FUSED_MIN) fn.loop("i", full, () => rows("i", R), 0, R);
    else {
      // narrow rows: the fused update runs once per `every` blocks of rows (a short update loop per block cost more than the separate pass)
      const every = 2 ** Math.ceil(Math.log2(FUSED_MIN / (R * n)));
      fn.loop("i", full, () => {
        rowsOf("i", R);
        fn.when(`(i32.eq (i32.and (local.get $i) (i32.const ${every * R - 1})) (i32.const ${(every - 1) * R}))`, () => rowDone("i", R));
      }, 0, R);
      rowDone(full);
    }
    for (let r = full; r < m; r++) rows(r, 1);
  }

  /** Rows i0 … i0 + R - 1 of the product, in column blocks of up to VECTORS vectors. */
  function rowsOf(i0: string | number, R: number): void {
    const width = VECTORS * num.lanes;
    const full = Math.floor(n / width);
    const rem = n % width;
    if (full === 1) rowBlock(i0, R, 0, width);
    else if (full > 1) fn.loop("jb", full * width, () => rowBlock(i0, R, "jb", width), 0, width);
    if (rem > 0) rowBlock(i0, R, full * width, rem);
  }

  /** Columns [j0, j0 + width) of rows i0 … i0 + R - 1: R × vectors accumulators in registers while k runs. */
  function rowBlock(i0: string | number, R: number, j0: string | number, width: number): void {
    const vectors = Math.ceil(width / num.lanes);
    const accs = Array.from({ length: R }, (_, r) => Array.from({ length: vectors }, (_, v) => fn.local(`acc${r * VECTORS + v}`, "v128")));
    const pa = fn.local("pa", "i32");
    const pb = fn.local("pb", "i32");
    const avs = Array.from({ length: R }, (_, r) => fn.local(`a${r}`, "v128"));
    const bv = fn.local("b", "v128");
    // op(A)[i0 + r, k] is a fixed number of bytes past op(A)[i0, k]
    const rowBytes = (A.rank === 2 && A.trans ? 1 : K) * num.bytes;
    for (const acc of accs.flat()) fn.set(acc, "(v128.const i64x2 0 0)");
    fn.set(pa, byteAddress(A.base, aAt(i0, 0)));
    fn.set(pb, byteAddress(B.base, bAt(0, j0)));
    const aStep = (A.rank === 2 && A.trans ? m : 1) * num.bytes;
    fn.loop("k", K, () => {
      avs.forEach((av, r) => fn.set(av, `(${num.v}.splat (${num.t}.load offset=${r * rowBytes} (local.get $${pa})))`));
      for (let v = 0; v < vectors; v++) {
        fn.set(bv, `(v128.load offset=${16 * v} (local.get $${pb}))`);
        accs.forEach((row, r) => fn.set(row[v]!, `(${num.v}.add (local.get $${row[v]}) (${num.v}.mul (local.get $${avs[r]}) (local.get $${bv})))`));
      }
      fn.set(pa, `(i32.add (local.get $${pa}) (i32.const ${aStep}))`);
      fn.set(pb, `(i32.add (local.get $${pb}) (i32.const ${n * num.bytes}))`);
    });
    accs.forEach((row, r) => storeAccs(row, cAt(lin([[i0, 1], [r, 1]]), j0), width));
  }

  /** Stores a row's accumulators (columns at, at + 1, …, `width` of them): whole vectors, then single lanes. */
  function storeAccs(accs: readonly string[], at: Lin, width: number): void {
    accs.forEach((acc, v) => {
      const lanes = Math.min(num.lanes, width - v * num.lanes);
      const where = lin([[at, 1], [v * num.lanes, 1]]);
      if (lanes === num.lanes) fn.line(vectorStore(C, where, `(local.get $${acc})`));
      else for (let l = 0; l < lanes; l++) fn.line(store(num, C, lin([[where, 1], [l, 1]]), `(${num.v}.extract_lane ${l} (local.get $${acc}))`));
    });
  }

  /** Row i of the product over the k that row i of A lists: column blocks of up to VECTORS vectors. */
  function rowsListed(lists: SparseLists): void {
    const cnt = fn.local("cnt", "i32");
    fn.set(cnt, `(i32.load offset=${lists.nnz} ${iv === 0 ? "(i32.const 0)" : "(i32.shl (local.get $i) (i32.const 2))"})`);
    const width = VECTORS * num.lanes;
    const full = Math.floor(n / width);
    const rem = n % width;
    if (full === 1) listedBlock(lists, 0, width);
    else if (full > 1) fn.loop("jb", full * width, () => listedBlock(lists, "jb", width), 0, width);
    if (rem > 0) listedBlock(lists, full * width, rem);
  }

  /** Columns [j0, j0 + width) of row i: the accumulators in registers while t runs over the listed k. */
  function listedBlock(lists: SparseLists, j0: string | number, width: number): void {
    const vectors = Math.ceil(width / num.lanes);
    const accs = Array.from({ length: vectors }, (_, v) => fn.local(`acc${v}`, "v128"));
    const pa = fn.local("pa", "i32");
    const pb = fn.local("pb", "i32");
    const av = fn.local("a0", "v128");
    const k = fn.local("lk", "i32");
    const pbk = fn.local("pbk", "i32");
    for (const acc of accs) fn.set(acc, "(v128.const i64x2 0 0)");
    fn.set(pa, byteAddress(A.base, aAt(iv, 0)));
    fn.set(pb, byteAddress(B.base, bAt(0, j0)));
    const rowStart = iv === 0 ? "(i32.const 0)" : `(i32.mul (local.get $i) (i32.const ${K}))`;
    fn.range("t", "(i32.const 0)", "(local.get $cnt)", () => {
      fn.set(k, `(i32.load offset=${lists.nz} (i32.shl (i32.add ${rowStart} (local.get $t)) (i32.const 2)))`);
      fn.set(av, `(${num.v}.splat (${num.t}.load (i32.add (local.get $${pa}) (i32.shl (local.get $${k}) (i32.const ${num.shift})))))`);
      fn.set(pbk, `(i32.add (local.get $${pb}) (i32.mul (local.get $${k}) (i32.const ${n * num.bytes})))`);
      accs.forEach((acc, v) => fn.set(acc, `(${num.v}.add (local.get $${acc}) (${num.v}.mul (local.get $${av}) (v128.load offset=${16 * v} (local.get $${pbk}))))`));
    });
    storeAccs(accs, cAt(iv, j0), width);
  }

  /**
   * Aᵀ · B with A [K, m] stored: the product starts at zero, then for each k, blocks of row k of B
   * in registers are added, times A[k, i], into row i for each i that row k of A lists (the
   * columns past the last full vector one at a time). Each sum adds its terms in k order, as the
   * dense form does.
   */
  function kijListed(lists: SparseLists): void {
    fillW(fn, num, C, m * n, `(${num.t}.const 0)`);
    const cnt = fn.local("cnt", "i32");
    const li = fn.local("li", "i32");
    const av = fn.local("a0", "v128");
    const as = fn.local("as", num.t);
    const vecCols = Math.floor(n / num.lanes) * num.lanes;
    const width = VECTORS * num.lanes;
    const listed = (body: () => void): void =>
      void fn.range("t", "(i32.const 0)", "(local.get $cnt)", () => {
        fn.set(li, `(i32.load offset=${lists.nz} (i32.shl (i32.add (i32.mul (local.get $k) (i32.const ${m})) (local.get $t)) (i32.const 2)))`);
        body();
      });
    const block = (j0: string | number, vectors: number): void => {
      const bs = Array.from({ length: vectors }, (_, v) => fn.local(`bk${v}`, "v128"));
      bs.forEach((b, v) => fn.set(b, vload(num, B.base, lin([["k", n], [j0, 1], [v * num.lanes, 1]]))));
      listed(() => {
        fn.set(av, `(${num.v}.splat ${load(num, A.base, lin([["k", m], [li, 1]]))})`);
        bs.forEach((b, v) => {
          const at = lin([[li, n], [j0, 1], [v * num.lanes, 1]]);
          fn.line(vstore(num, C, at, `(${num.v}.add ${vload(num, C, at)} (${num.v}.mul (local.get $${av}) (local.get $${b})))`));
        });
      });
    };
    // with a fused update the last k runs over every row (./fuse.ts): then each row is finished in one place
    const listedK = update ? K - 1 : K;
    if (listedK > 0) fn.loop("k", listedK, () => {
      fn.set(cnt, `(i32.load offset=${lists.nnz} (i32.shl (local.get $k) (i32.const 2)))`);
      const full = Math.floor(vecCols / width);
      const rest = (vecCols % width) / num.lanes;
      if (full === 1) block(0, VECTORS);
      else if (full > 1) fn.loop("jb", full * width, () => block("jb", VECTORS), 0, width);
      if (rest > 0) block(full * width, rest);
      if (vecCols < n)
        listed(() => {
          fn.set(as, load(num, A.base, lin([["k", m], [li, 1]])));
          for (let j = vecCols; j < n; j++) {
            const at = lin([[li, n], [j, 1]]);
            fn.line(store(num, C, at, `(${num.t}.add ${load(num, C, at)} (${num.t}.mul (local.get $${as}) ${load(num, B.base, lin([["k", n], [j, 1]]))}))`));
          }
        });
    });
    if (!update) return;
    const last = K - 1;
    fn.comment(`the last k (${last}) row by row: a row that row ${last} of A lists gets its last term (rows listed in`);
    fn.comment("order: t walks the list), and then every row is finished, and the fused update runs on it");
    fn.set(cnt, `(i32.load offset=${lists.nnz} (i32.const ${4 * last}))`);
    fn.set(fn.local("t", "i32"), "(i32.const 0)");
    const restCols = Array.from({ length: n - vecCols }, (_, r) => lin([["i", n], [vecCols + r, 1]]));
    fn.loop("i", m, () => {
      const listedHere = `(i32.eq (i32.load offset=${lists.nz} (i32.shl (i32.add (i32.const ${last * m}) (local.get $t)) (i32.const 2))) (local.get $i))`;
      fn.when(`(i32.and (i32.lt_s (local.get $t) (local.get $cnt)) ${listedHere})`, () => {
        fn.set(as, load(num, A.base, lin([[last, m], ["i", 1]])));
        fn.set(av, `(${num.v}.splat (local.get $${as}))`);
        const bAt = (at: Lin): Lin => lin([[at, 1], ["i", -n], [last * n, 1]]);
        const vat = lin([["i", n], ["jv", 1]]);
        const addVector = `(${num.v}.add ${vload(num, C, vat)} (${num.v}.mul (local.get $${av}) ${vload(num, B.base, bAt(vat))}))`;
        if (vecCols > 0) fn.loop("jv", vecCols, () => fn.line(vstore(num, C, vat, addVector)), 0, num.lanes);
        for (const at of restCols) fn.line(store(num, C, at, `(${num.t}.add ${load(num, C, at)} (${num.t}.mul (local.get $${as}) ${load(num, B.base, bAt(at))}))`));
        fn.set("t", "(i32.add (local.get $t) (i32.const 1))");
      });
      rowDone("i", 1);
    });
  }

  function dotsForm(): void {
    const full = Math.floor(n / DOTS);
    const rem = n % DOTS;
    if (full === 1) dotBlock(0, DOTS);
    else if (full > 1) fn.loop("j", full * DOTS, () => dotBlock("j", DOTS), 0, DOTS);
    if (rem > 0) dotBlock(full * DOTS, rem);
  }

  /** Dot products of row i of A with columns j0 … j0 + count - 1 of op(B). */
  function dotBlock(j0: string | number, count: number): void {
    const accs = Array.from({ length: count }, (_, d) => fn.local(`acc${d}`, "v128"));
    const pa = fn.local("pa", "i32");
    const pb = fn.local("pb", "i32");
    const av = fn.local("a", "v128");
    const bStride = B.rank === 1 ? 0 : K * num.bytes; // bytes from column j to column j + 1 of op(B)
    const vecs = Math.floor(K / num.lanes);
    for (const acc of accs) fn.set(acc, "(v128.const i64x2 0 0)");
    fn.set(pa, byteAddress(A.base, aAt(iv, 0)));
    fn.set(pb, byteAddress(B.base, bAt(0, j0)));
    fn.loop("k", vecs, () => {
      fn.set(av, `(v128.load (local.get $${pa}))`);
      accs.forEach((acc, d) => fn.set(acc, `(${num.v}.add (local.get $${acc}) (${num.v}.mul (local.get $${av}) (v128.load offset=${d * bStride} (local.get $${pb}))))`));
      fn.set(pa, `(i32.add (local.get $${pa}) (i32.const 16))`);
      fn.set(pb, `(i32.add (local.get $${pb}) (i32.const 16))`);
    });
    accs.forEach((acc, d) => {
      const lanes = Array.from({ length: num.lanes }, (_, l) => `(${num.v}.extract_lane ${l} (local.get $${acc}))`);
      let sum = num.lanes === 4 ? `(f32.add (f32.add ${lanes[0]} ${lanes[1]}) (f32.add ${lanes[2]} ${lanes[3]}))` : `(f64.add ${lanes[0]} ${lanes[1]})`;
      // the K mod lanes products left over, read at fixed offsets past the pointers
      for (let r = 0; r < K % num.lanes; r++) {
        sum = `(${num.t}.add ${sum} (${num.t}.mul (${num.t}.load offset=${r * num.bytes} (local.get $${pa})) (${num.t}.load offset=${d * bStride + r * num.bytes} (local.get $${pb}))))`;
      }
      fn.line(store(num, C, cAt(iv, lin([[j0, 1], [d, 1]])), sum));
    });
  }

  function scalarForm(): void {
    const acc = fn.local("s", num.t);
    const perColumn = (body: () => void): void => (n > 1 ? void fn.loop("j", n, body) : body());
    const jv = n === 1 ? 0 : "j";
    perColumn(() => {
      fn.set(acc, `(${num.t}.const 0)`);
      fn.loop("k", K, () => fn.set(acc, `(${num.t}.add (local.get $${acc}) (${num.t}.mul ${load(num, A.base, aAt(iv, "k"))} ${load(num, B.base, bAt("k", jv))}))`));
      fn.line(store(num, C, cAt(iv, jv), `(local.get $${acc})`));
    });
  }

  function byteAddress(base: number, at: Lin): string {
    const dyn = at.terms.map(([v, s]) => (s === 1 ? `(local.get $${v})` : `(i32.mul (local.get $${v}) (i32.const ${s}))`));
    const c = `(i32.const ${base + at.c * num.bytes})`;
    if (dyn.length === 0) return c;
    return `(i32.add (i32.shl ${dyn.reduce((x, y) => `(i32.add ${x} ${y})`)} (i32.const ${num.shift})) ${c})`;
  }

  function vectorStore(base: number, at: Lin, value: string): string {
    const dyn = at.terms.map(([v, s]) => (s === 1 ? `(local.get $${v})` : `(i32.mul (local.get $${v}) (i32.const ${s}))`));
    const addr = dyn.length === 0 ? "(i32.const 0)" : `(i32.shl ${dyn.reduce((x, y) => `(i32.add ${x} ${y})`)} (i32.const ${num.shift}))`;
    return `(v128.store offset=${base + at.c * num.bytes} ${addr} ${value})`;
  }
}
