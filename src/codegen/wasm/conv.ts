// Convolution kernels in WAT: conv1d/conv2d and their two gradients, the loop nest of
// ../kernels/conv.ts (which describes it) with every size, stride and padding a constant:
//
//   for each image and pair of channels (output oc, input ic), for each kernel row ki:
//     the row's kw taps in locals wk0…, then for each output row oh the kernel row reaches:
//       border columns (the window pokes into the padding): written out with the taps inside x,
//         or a tap loop clipped to x when there are too many
//       interior columns: every tap inside x; with stride 1, four (f32) or two (f64) neighbouring
//         columns at a time in one vector, the taps splat (wv0…), then the columns left over
//
// The forward pass adds wk·x into y, the input gradient scatters wk·dy into dx (or, at stride 1,
// runs as a forward correlation of dy with the flipped kernel), the kernel gradient sums dy·x into
// one accumulator per tap (vectors of partial sums for the interior, added across lanes at the
// end of the kernel row). Row offsets into x are kept non-negative: the padding is subtracted only
// where the column is known to be inside x.
import type { Node } from "../../graph/node.ts";
import { convGeometry, type ConvGeometry } from "../../ops/window.ts";
import { bordersWrittenOut, flippedGeometry, interiorColumns, MAX_TAPS, validTaps } from "../kernels/conv.ts";
import type { WasmKernelContext } from "./expr.ts";
import { emitMapW, fillW, type WTarget } from "./kernels.ts";
import { lin, linI32, load, store, vload, vstore, type Lin, type Num } from "./wat.ts";

/** A loop variable, or a constant when its loop has one iteration. */
type Var = string | number;

/** Where the kernel row of (oc, ic, ki) starts, and which stored tap is tap j of the row. */
interface KernelRows {
  row(g: ConvGeometry, oc: Var, ic: Var, ki: Var): Lin;
  tap(g: ConvGeometry, j: number): number;
}

/** The kernel as stored, [out, in, kh, kw]. */
const STORED: KernelRows = {
  row: (g, oc, ic, ki) => lin([[oc, g.inC * g.kh * g.kw], [ic, g.kh * g.kw], [ki, g.kw]]),
  tap: (_g, j) => j,
};

/**
 * A forward kernel K [O, C, kh, kw] read flipped in both spatial axes with its channel roles
 * swapped (the input gradient as a correlation): row ki of the pair (oc = c, ic = o) is row
 * kh−1−ki of K[o, c], read backwards.
 */
const FLIPPED: KernelRows = {
  row: (g, oc, ic, ki) => lin([[ic, g.outC * g.kh * g.kw], [oc, g.kh * g.kw], [g.kh - 1, g.kw], [ki, -g.kw]]),
  tap: (g, j) => g.kw - 1 - j,
};

/** What the three kernels differ in, given the locals xr (x row), yr (y row) and kr (kernel row). */
interface Body {
  /** Before the columns of one kernel row (after the kernel row is known). */
  rowStart?: () => void;
  /** One border column written out: column `ow` and the taps `js` that land inside x. */
  column: (ow: number, js: readonly number[]) => void;
  /** A border column in a loop (local ow): the taps clipped to x by a tap loop (local kj; x at local xk). */
  border: () => void;
  /** Interior columns [c0, c1): every tap inside x. */
  interior: (c0: number, c1: number) => void;
  /** After the images of a kernel row (channels-first only). */
  rowEnd?: () => void;
}

function emitNest(ctx: WasmKernelContext, g: ConvGeometry, order: "image-first" | "channels-first", planeStart: ((img: Var, oc: Var) => void) | null, body: Body, kernel: KernelRows = STORED): void {
  const { fn } = ctx;
  const { batch, inC, outC, H, W, kh, OH, OW, sh, ph } = g;
  const loop = (v: string, n: number, inner: (v: Var) => void): void => {
    if (n === 1) inner(0);
    else fn.loop(v, n, () => inner(v));
  };
  const kernelRow = (img: Var | null, oc: Var, ic: Var): void =>
    loop("ki", kh, (ki) => {
      fn.set("kr", linI32(kernel.row(g, oc, ic, ki)));
      body.rowStart?.();
      const rows = (im: Var): void => outputRows(im, oc, ic, ki);
      if (img === null) {
        loop("img", batch, rows);
        body.rowEnd?.();
      } else rows(img);
    });
  const outputRows = (img: Var, oc: Var, ic: Var, ki: Var): void => {
    const perRow = (oh: Var): void => {
      // x's row oh·sh + ki − ph (inside x for the rows this kernel row reaches), y's row oh
      const xRow = `(i32.add ${linI32(lin([[img, inC * H * W], [ic, H * W]]))} (i32.mul (i32.add ${linI32(lin([[oh, sh], [ki, 1]]))} (i32.const ${-ph})) (i32.const ${W})))`;
      fn.set("xr", xRow);
      fn.set("yr", linI32(lin([[img, outC * OH * OW], [oc, OH * OW], [oh, OW]])));
      columns();
    };
    const [lo, hi] = rowRange(g, ki);
    if (typeof lo === "number" && typeof hi === "number") {
      if (hi - lo === 1) perRow(lo);
      if (hi - lo > 1) fn.loop("oh", hi, () => perRow("oh"), lo);
      return;
    }
    fn.set("ohLo", typeof lo === "number" ? `(i32.const ${lo})` : lo).set("ohHi", typeof hi === "number" ? `(i32.const ${hi})` : hi);
    fn.range("oh", "(local.get $ohLo)", "(local.get $ohHi)", () => perRow("oh"));
  };
  const columns = (): void => {
    const [c0, c1] = interiorColumns(g);
    border(0, c0);
    if (c1 > c0) body.interior(c0, c1);
    border(Math.max(c0, c1), OW);
  };
  const border = (from: number, to: number): void => {
    if (from >= to) return;
    if (bordersWrittenOut(g)) {
      for (let ow = from; ow < to; ow++) {
        const js = validTaps(g, ow);
        if (js.length > 0) body.column(ow, js);
      }
      return;
    }
    fn.loop("ow", to, () => tapLoop(ctx, g, body.border), from);
  };
  for (const v of ["kr", "xr", "yr", "ohLo", "ohHi"]) fn.local(v, "i32");
  if (order === "image-first") {
    loop("img", batch, (img) =>
      loop("oc", outC, (oc) => {
        planeStart?.(img, oc);
        loop("ic", inC, (ic) => kernelRow(img, oc, ic));
      }),
    );
  } else loop("oc", outC, (oc) => loop("ic", inC, (ic) => kernelRow(null, oc, ic)));
}

/** Output rows [lo, hi) that kernel row `ki` reaches inside x: constants, or i32 expressions of ki. */
function rowRange(g: ConvGeometry, ki: Var): [number | string, number | string] {
  const { H, OH, kh, sh, ph } = g;
  const lo = (i: number): number => Math.max(0, Math.ceil((ph - i) / sh));
  const hi = (i: number): number => Math.min(OH, Math.floor((H - 1 + ph - i) / sh) + 1);
  if (typeof ki === "number") return [lo(ki), hi(ki)];
  const k = `(local.get $${ki})`;
  const atLeast0 = (e: string): string => `(select ${e} (i32.const 0) (i32.gt_s ${e} (i32.const 0)))`;
  const atMostOH = (e: string): string => `(select ${e} (i32.const ${OH}) (i32.lt_s ${e} (i32.const ${OH})))`;
  // ceil((ph − ki) / sh) where ph − ki > 0, else 0
  const loNum = `(i32.sub (i32.const ${ph}) ${k})`;
  const loText = lo(0) === 0 ? 0 : sh === 1 ? atLeast0(loNum) : `(select (i32.div_s (i32.add ${loNum} (i32.const ${sh - 1})) (i32.const ${sh})) (i32.const 0) (i32.gt_s ${loNum} (i32.const 0)))`;
  // floor((H − 1 + ph − ki) / sh) + 1 capped at OH where the numerator is ≥ 0, else 0 (no row)
  const hiNum = `(i32.sub (i32.const ${H - 1 + ph}) ${k})`;
  const hiText =
    hi(kh - 1) === OH
      ? OH
      : sh === 1
        ? atMostOH(`(i32.sub (i32.const ${H + ph}) ${k})`)
        : `(select ${atMostOH(`(i32.add (i32.div_s ${hiNum} (i32.const ${sh})) (i32.const 1))`)} (i32.const 0) (i32.ge_s ${hiNum} (i32.const 0)))`;
  return [loText, hiText];
}

/** Border column ow (a local): kj over the taps inside x, xk the x entry of tap kj. */
function tapLoop(ctx: WasmKernelContext, g: ConvGeometry, each: () => void): void {
  const { fn } = ctx;
  const ow = g.sw === 1 ? "(local.get $ow)" : `(i32.mul (local.get $ow) (i32.const ${g.sw}))`;
  // kj from max(0, pw − ow·sw) to min(kw, W + pw − ow·sw)
  const lo = `(i32.sub (i32.const ${g.pw}) ${ow})`;
  const hi = `(i32.sub (i32.const ${g.W + g.pw}) ${ow})`;
  fn.local("kjEnd", "i32");
  fn.set("kjEnd", `(select ${hi} (i32.const ${g.kw}) (i32.lt_s ${hi} (i32.const ${g.kw})))`);
  fn.range("kj", `(select ${lo} (i32.const 0) (i32.gt_s ${lo} (i32.const 0)))`, "(local.get $kjEnd)", () => {
    fn.local("xk", "i32");
    fn.set("xk", `(i32.add (i32.add (local.get $xr) ${ow}) (i32.sub (local.get $kj) (i32.const ${g.pw})))`);
    each();
  });
}

const taps = (n: number): number[] => Array.from({ length: n }, (_, j) => j);

/** The taps of the kernel row at kr into wk0… (and splat into wv0… for vectors). */
function loadTaps(ctx: WasmKernelContext, g: ConvGeometry, K: number, kernel: KernelRows, vectors: boolean): void {
  const { fn, num } = ctx;
  for (const j of taps(g.kw)) {
    fn.local(`wk${j}`, num.t);
    fn.set(`wk${j}`, load(num, K, lin([["kr", 1], [kernel.tap(g, j), 1]])));
    if (vectors) fn.local(`wv${j}`, "v128");
    if (vectors) fn.set(`wv${j}`, `(${num.v}.splat (local.get $wk${j}))`);
  }
}

/** Interior columns [c0, c1) at stride 1: vectors of lanes columns, then the rest one at a time. */
function interiorColumnsW(ctx: WasmKernelContext, g: ConvGeometry, c0: number, c1: number, vector: (() => void) | null, scalar: () => void): void {
  const { fn, num } = ctx;
  // xo: x's entry under tap 0 of column ow (inside x for interior columns)
  fn.local("xo", "i32");
  const setXo = (): void => void fn.set("xo", `(i32.add (local.get $xr) ${g.sw === 1 ? `(i32.sub (local.get $ow) (i32.const ${g.pw}))` : `(i32.sub (i32.mul (local.get $ow) (i32.const ${g.sw})) (i32.const ${g.pw}))`})`);
  let from = c0;
  if (vector && g.sw === 1 && c1 - c0 >= num.lanes) {
    const full = c0 + Math.floor((c1 - c0) / num.lanes) * num.lanes;
    fn.loop("ow", full, () => (setXo(), vector()), c0, num.lanes);
    from = full;
  }
  if (from < c1)
    fn.loop("ow", c1, () => (setXo(), scalar()), from);
}

/** The element at index `i32` (an expression, ≥ 0) of the region at `base`. */
const loadAt = (num: Num, base: number, i32: string): string => `(${num.t}.load offset=${base} (i32.shl ${i32} (i32.const ${num.shift})))`;

const sumOf = (num: Num, terms: readonly string[]): string => terms.reduce((a, b) => `(${num.t}.add ${a} ${b})`);

/**
 * y (+)= x ⋆ kernel: each output plane starts at `start(oc)` (the bias, or zero), then every input
 * channel adds its taps, one kernel row in locals at a time.
 */
function emitCorrelationW(ctx: WasmKernelContext, g: ConvGeometry, T: number, X: number, K: number, start: (oc: Var) => string, kernel: KernelRows): void {
  const { fn, num } = ctx;
  const plane = g.OH * g.OW;
  const regs = g.kw <= MAX_TAPS;
  const yAt = (ow: Lin | string | number): Lin => lin([["yr", 1], [ow, 1]]);
  const term = (j: number, xAt: Lin): string => `(${num.t}.mul (local.get $wk${j}) ${load(num, X, xAt)})`;
  emitNest(ctx, g, "image-first", (img, oc) => {
    fn.local("yp", "i32");
    fn.set("yp", linI32(lin([[img, g.outC * plane], [oc, plane]])));
    planeFill(ctx, T, plane, start(oc));
  }, {
    rowStart: () => (regs ? loadTaps(ctx, g, K, kernel, true) : undefined),
    column: (ow, js) => fn.line(store(num, T, yAt(ow), `(${num.t}.add ${load(num, T, yAt(ow))} ${sumOf(num, js.map((j) => term(j, lin([["xr", 1], [ow * g.sw + j - g.pw, 1]]))))})`)),
    border: () => {
      // tap kj of the row: stored at kr + kj, or (flipped) at kr + kw − 1 − kj
      const tap = kernel === STORED ? load(num, K, lin([["kr", 1], ["kj", 1]])) : loadAt(num, K, `(i32.sub (i32.add (local.get $kr) (i32.const ${g.kw - 1})) (local.get $kj))`);
      fn.line(store(num, T, yAt("ow"), `(${num.t}.add ${load(num, T, yAt("ow"))} (${num.t}.mul ${tap} ${load(num, X, lin([["xk", 1]]))}))`));
    },
    interior: (c0, c1) =>
      interiorColumnsW(
        ctx,
        g,
        c0,
        c1,
        () => {
          const products = taps(g.kw).map((j) => `(${num.v}.mul (local.get $wv${j}) ${vload(num, X, lin([["xo", 1], [j, 1]]))})`);
          fn.line(vstore(num, T, yAt("ow"), `(${num.v}.add ${vload(num, T, yAt("ow"))} ${products.reduce((a, b) => `(${num.v}.add ${a} ${b})`)})`));
        },
        () => fn.line(store(num, T, yAt("ow"), `(${num.t}.add ${load(num, T, yAt("ow"))} ${sumOf(num, taps(g.kw).map((j) => term(j, lin([["xo", 1], [j, 1]]))))})`)),
      ),
  }, kernel);
}

/** The output plane starting at element local yp set to `value`. */
function planeFill(ctx: WasmKernelContext, T: number, plane: number, value: string): void {
  const { fn, num } = ctx;
  const v = fn.local("fill", num.t);
  fn.set(v, value);
  fn.local("q", "i32");
  const vecs = Math.floor(plane / num.lanes);
  const at = (e: Lin): Lin => lin([["yp", 1], [e, 1]]);
  if (vecs > 0) fn.loop("q", vecs * num.lanes, () => fn.line(vstore(num, T, at(lin([["q", 1]])), `(${num.v}.splat (local.get $${v}))`)), 0, num.lanes);
  for (let e = vecs * num.lanes; e < plane; e++) fn.line(store(num, T, at(lin([[e, 1]])), `(local.get $${v})`));
}

export function emitConvW(ctx: WasmKernelContext, node: Node, target: WTarget, epilogue?: Node): void {
  const { fn, num, layout } = ctx;
  const T = target.base;
  const at = (n: Node): number => layout.offsetOf(n);
  if (node.op === "conv1d" || node.op === "conv2d") {
    const [x, K, bias] = node.args as [Node, Node, Node | undefined];
    const g = convGeometry(x.shape, K.shape, node.attrs);
    fn.comment(`each output plane starts at ${bias ? "the bias" : "zero"}; every input channel then adds its ${g.kh}×${g.kw} taps, one kernel row`);
    fn.comment(`at a time (in locals), x read along its rows${g.sw === 1 ? `, ${num.lanes} columns per vector` : ""}; border columns clip the taps`);
    emitCorrelationW(ctx, g, T, at(x), at(K), (oc) => (bias ? load(num, at(bias), lin([[oc, 1]])) : `(${num.t}.const 0)`), STORED);
    if (epilogue) emitMapW(ctx, epilogue, target, new Map([[node, (idx) => load(num, T, idx.flat ?? lin([]))]]));
    return;
  }
  if (node.op === "conv_input_grad") {
    const [dy, K] = node.args as [Node, Node];
    const g = convGeometry(node.shape, K.shape, node.attrs);
    const flipped = flippedGeometry(g);
    if (flipped) {
      fn.comment(`the full correlation of dy with the flipped kernel (padding ${flipped.kh - 1 - g.ph}): each entry sums dy times`);
      fn.comment(`K[o, c, kh−1−i, kw−1−j] over the output channels o and taps (i, j) that read it`);
      emitCorrelationW(ctx, flipped, T, at(dy), at(K), () => `(${num.t}.const 0)`, FLIPPED);
      return;
    }
    emitScatterW(ctx, g, T, at(dy), at(K));
    return;
  }
  if (node.op === "conv_kernel_grad") {
    const [x, dy] = node.args as [Node, Node];
    emitKernelGradW(ctx, convGeometry(x.shape, node.shape, node.attrs), T, at(x), at(dy));
    return;
  }
  throw new Error(`internal error: no wasm kernel for ${node.op}`);
}

/** The input gradient, each term x·K of the forward sum sending dy·K back to the x entry it read. */
function emitScatterW(ctx: WasmKernelContext, g: ConvGeometry, T: number, D: number, K: number): void {
  const { fn, num } = ctx;
  const regs = g.kw <= MAX_TAPS;
  const dyv = fn.local("dyv", num.t);
  const add = (at: Lin, w: string): string => store(num, T, at, `(${num.t}.add ${load(num, T, at)} (${num.t}.mul ${w} (local.get $${dyv})))`);
  fn.comment("the full correlation of dy with the flipped kernel: each term x·K of the forward sum sends dy·K back to the");
  fn.comment("x entry it read (scattered, one kernel row in locals)");
  fillW(fn, num, T, g.batch * g.inC * g.H * g.W, `(${num.t}.const 0)`);
  emitNest(ctx, g, "image-first", null, {
    rowStart: () => (regs ? loadTaps(ctx, g, K, STORED, false) : undefined),
    column: (ow, js) => {
      fn.set(dyv, load(num, D, lin([["yr", 1], [ow, 1]])));
      for (const j of js) fn.line(add(lin([["xr", 1], [ow * g.sw + j - g.pw, 1]]), `(local.get $wk${j})`));
    },
    border: () => {
      fn.set(dyv, load(num, D, lin([["yr", 1], ["ow", 1]])));
      fn.line(add(lin([["xk", 1]]), load(num, K, lin([["kr", 1], ["kj", 1]]))));
    },
    interior: (c0, c1) =>
      interiorColumnsW(ctx, g, c0, c1, null, () => {
        fn.set(dyv, load(num, D, lin([["yr", 1], ["ow", 1]])));
        for (const j of taps(g.kw)) fn.line(add(lin([["xo", 1], [j, 1]]), `(local.get $wk${j})`));
      }),
  });
}

/**
 * The kernel gradient: each tap sums x times dy over every image and output position it touched,
 * a kernel row's sums in locals acc0… (interior columns: vectors vacc0…, added across lanes at the
 * end); border columns in a tap loop add straight into the (zeroed) kernel row.
 */
function emitKernelGradW(ctx: WasmKernelContext, g: ConvGeometry, T: number, X: number, D: number): void {
  const { fn, num } = ctx;
  const regs = g.kw <= MAX_TAPS;
  const vectors = regs && g.sw === 1;
  const dyv = fn.local("dyv", num.t);
  fn.comment("each tap of the kernel sums x times dy over every image and output position it touched: one kernel row's");
  fn.comment(`sums in locals${vectors ? `, ${num.lanes} columns per vector in the interior` : ""}`);
  const acc = (j: number): string => fn.local(`tacc${j}`, num.t);
  const vacc = (j: number): string => fn.local(`tvacc${j}`, "v128");
  const kAt = (j: number | string): Lin => lin([["kr", 1], [j, 1]]);
  ctx.update?.begin(fn);
  emitNest(ctx, g, "channels-first", null, {
    rowStart: () => {
      for (let j = 0; j < g.kw; j++) fn.line(store(num, T, kAt(j), `(${num.t}.const 0)`));
      if (!regs) return;
      for (const j of taps(g.kw)) fn.set(acc(j), `(${num.t}.const 0)`);
      if (vectors) for (const j of taps(g.kw)) fn.set(vacc(j), "(v128.const i64x2 0 0)");
    },
    column: (ow, js) => {
      fn.set(dyv, load(num, D, lin([["yr", 1], [ow, 1]])));
      for (const j of js) fn.set(acc(j), `(${num.t}.add (local.get $${acc(j)}) (${num.t}.mul (local.get $${dyv}) ${load(num, X, lin([["xr", 1], [ow * g.sw + j - g.pw, 1]]))}))`);
    },
    border: () => {
      fn.set(dyv, load(num, D, lin([["yr", 1], ["ow", 1]])));
      fn.line(store(num, T, kAt("kj"), `(${num.t}.add ${load(num, T, kAt("kj"))} (${num.t}.mul (local.get $${dyv}) ${load(num, X, lin([["xk", 1]]))}))`));
    },
    interior: (c0, c1) =>
      interiorColumnsW(
        ctx,
        g,
        c0,
        c1,
        vectors
          ? () => {
              const dv = fn.local("dv", "v128");
              fn.set(dv, vload(num, D, lin([["yr", 1], ["ow", 1]])));
              for (const j of taps(g.kw)) fn.set(vacc(j), `(${num.v}.add (local.get $${vacc(j)}) (${num.v}.mul (local.get $${dv}) ${vload(num, X, lin([["xo", 1], [j, 1]]))}))`);
            }
          : null,
        () => {
          fn.set(dyv, load(num, D, lin([["yr", 1], ["ow", 1]])));
          if (regs) for (const j of taps(g.kw)) fn.set(acc(j), `(${num.t}.add (local.get $${acc(j)}) (${num.t}.mul (local.get $${dyv}) ${load(num, X, lin([["xo", 1], [j, 1]]))}))`);
          else
            fn.loop("kj", g.kw, () =>
              fn.line(store(num, T, kAt("kj"), `(${num.t}.add ${load(num, T, kAt("kj"))} (${num.t}.mul (local.get $${dyv}) ${load(num, X, lin([["xo", 1], ["kj", 1]]))}))`)),
            );
        },
      ),
    rowEnd: () => {
      if (regs)
        for (const j of taps(g.kw)) {
          let v = `(local.get $${acc(j)})`;
          if (vectors) {
            const lanes = Array.from({ length: num.lanes }, (_, l) => `(${num.v}.extract_lane ${l} (local.get $${vacc(j)}))`);
            v = `(${num.t}.add ${v} ${sumOf(num, lanes)})`;
          }
          fn.line(store(num, T, kAt(j), `(${num.t}.add ${load(num, T, kAt(j))} ${v})`));
        }
      // the kernel row is finished (every image and output row it reaches is summed), and so are the rows before it
      ctx.update?.upTo(fn, kAt(g.kw));
    },
  });
  ctx.update?.end(fn, g.outC * g.inC * g.kh * g.kw);
}
