// Convolution kernels: conv1d/conv2d and their two gradients, as direct loops (no im2col buffer),
// every size, stride and padding a literal. All three walk the same terms (src/ops/window.ts):
//
//   for each image and pair of channels (output oc, input ic), for each kernel row ki:
//     the kernel row's kw taps are held in registers (wk0…), then for each output row oh the
//     kernel row reaches (the range is clipped once per ki, so no row test in the loops):
//       border columns, whose window pokes into the padding: each written out with the taps that
//         land inside x (a tap loop clipped with Math.max/min when the row is too wide)
//       interior columns: every tap inside x: the kw terms written out, x read contiguously
//
// and differ only in where a term goes: the forward pass adds wk·x into y (one store per row of
// taps), the input gradient scatters wk·dy into dx (a full correlation of dy with the flipped
// kernel), the kernel gradient sums dy·x into one register per tap. Loop order: channels and
// kernel rows outermost, columns innermost (contiguous in x, y and dy); conv1d is the same with
// one row. A WebAssembly emitter can follow the same loop nest: only the loop bounds, the flat
// offsets below and the three inner statements are op-specific.
import type { Node } from "../../graph/node.ts";
import { convGeometry, type ConvGeometry } from "../../ops/window.ts";
import { linear } from "../expr.ts";
import type { Code } from "../code.ts";
import type { KernelContext, Target } from "./context.ts";
import { emitMap } from "./map.ts";

/** Kernel rows up to this many taps are held in registers (wk0…); wider ones run a tap loop. */
export const MAX_TAPS = 16;

/** Identifiers the convolution and pooling kernels use inside their loops (reserved by codegen). */
export const WINDOW_NAMES = [
  "img",
  "oc",
  "ic",
  "ki",
  "kj",
  "oh",
  "ow",
  "kr",
  "xr",
  "yr",
  "xo",
  "dyv",
  "yv",
  "pl",
  "win",
  "best",
  "argAt",
  "cand",
  "share",
  "kjEnd",
  ...Array.from({ length: MAX_TAPS }, (_, j) => [`wk${j}`, `acc${j}`]).flat(),
];

/** `expr + k` with the constant folded in: `xr - 2`, `7`, `xr`. */
function plus(expr: string, k: number): string {
  if (expr === "0") return String(k);
  return k === 0 ? expr : k > 0 ? `${expr} + ${k}` : `${expr} - ${-k}`;
}

/** A loop over [lo, hi) unless it has one known iteration: then the variable is that number. */
function range(code: Code, v: string, lo: string | number, hi: string | number): { v: string; close: () => void } {
  if (typeof lo === "number" && typeof hi === "number" && hi - lo === 1) return { v: String(lo), close: () => undefined };
  code.open(`for (let ${v} = ${lo}; ${v} < ${hi}; ${v}++)`);
  return { v, close: () => code.close() };
}

/** Output rows [lo, hi) that kernel row `ki` reaches inside x (ki a number or a loop variable). */
function rowRange(g: ConvGeometry, ki: string): [string | number, string | number] {
  const { H, OH, kh, sh, ph } = g;
  const lo = (i: number) => Math.max(0, Math.ceil((ph - i) / sh));
  const hi = (i: number) => Math.min(OH, Math.floor((H - 1 + ph - i) / sh) + 1);
  if (/^\d+$/.test(ki)) return [lo(Number(ki)), hi(Number(ki))];
  // constant when every kernel row reaches the same rows (no padding in that direction)
  const loText = lo(0) === 0 ? 0 : sh === 1 ? `Math.max(0, ${ph} - ${ki})` : `Math.max(0, Math.ceil((${ph} - ${ki}) / ${sh}))`;
  const hiText = hi(kh - 1) === OH ? OH : sh === 1 ? `Math.min(${OH}, ${H + ph} - ${ki})` : `Math.min(${OH}, Math.floor((${H - 1 + ph} - ${ki}) / ${sh}) + 1)`;
  return [loText, hiText];
}

/** Columns [c0, c1) whose whole window lies inside x: every tap of a kernel row applies. */
export function interiorColumns(g: ConvGeometry): [number, number] {
  if (g.kw > MAX_TAPS) return [g.OW, g.OW];
  const c0 = Math.min(g.OW, Math.ceil(g.pw / g.sw));
  const c1 = Math.max(c0, Math.min(g.OW, Math.floor((g.W - g.kw + g.pw) / g.sw) + 1));
  return [c0, c1];
}

/** What the three kernels differ in: the statements for one column (x at `xo` + tap). */
interface Body {
  /** Before the column loops of one kernel row (registers). */
  rowStart?: () => void;
  /** Border columns in a loop (rows wider than the registers hold): taps clipped to x by a tap loop. */
  border: (ow: string, xo: string) => void;
  /** One border column written out: column `ow` (a number) and the taps `js` that land inside x. */
  column: (ow: number, js: readonly number[]) => void;
  /** An interior column, taps written out. */
  interior: (ow: string, xo: string) => void;
}

/** Border columns on each side up to which each column is written out (its valid taps known). */
const MAX_BORDER = 8;

/** Whether every border column is written out (else both sides loop, taps clipped by a tap loop). */
export function bordersWrittenOut(g: ConvGeometry): boolean {
  const [c0, c1] = interiorColumns(g);
  return g.kw <= MAX_TAPS && c0 <= MAX_BORDER && g.OW - Math.max(c0, c1) <= MAX_BORDER;
}

/** The taps of a kernel row that land inside x for output column `ow`. */
export function validTaps(g: ConvGeometry, ow: number): number[] {
  const lo = Math.max(0, g.pw - ow * g.sw);
  const hi = Math.min(g.kw, g.W + g.pw - ow * g.sw);
  return taps(g.kw).filter((j) => j >= lo && j < hi);
}

/**
 * The shared loop nest over images, channels, kernel rows, output rows and columns. "image-first":
 * image, oc, (planeStart), ic, ki, rows; "channels-first" (the kernel gradient, whose sums run over
 * images): oc, ic, ki, image, rows, and `rowEnd` after the images of each kernel row.
 */
function emitNest(
  ctx: KernelContext,
  g: ConvGeometry,
  order: "image-first" | "channels-first",
  planeStart: ((img: string, oc: string) => void) | null,
  body: Body,
  rowEnd?: () => void,
  kernel: KernelRows = STORED,
): void {
  const { code } = ctx;
  const { batch, inC, outC, H, W, kh, kw, OH, OW, sh, sw, ph, pw } = g;
  const loops: { close: () => void }[] = [];
  const open = (v: string, n: number) => {
    const r = range(code, v, 0, n);
    loops.push(r);
    return r.v;
  };
  let img = "0";
  let oc: string;
  let ic: string;
  if (order === "image-first") {
    img = open("img", batch);
    oc = open("oc", outC);
    planeStart?.(img, oc);
    ic = open("ic", inC);
  } else {
    oc = open("oc", outC);
    ic = open("ic", inC);
  }
  const ki = open("ki", kh);
  code.line(`const kr = ${kernel.row(g, oc, ic, ki)};`);
  body.rowStart?.();
  if (order === "channels-first") img = open("img", batch);
  const [lo, hi] = rowRange(g, ki);
  const rows = range(code, "oh", lo, hi);
  const oh = rows.v;
  code.line(`const xr = ${plus(linear([[img, inC * H * W], [ic, H * W], [oh, sh * W], [ki, W]]), -(ph * W + pw))};`);
  code.line(`const yr = ${linear([[img, outC * OH * OW], [oc, OH * OW], [oh, OW]])};`);
  const [c0, c1] = interiorColumns(g);
  const xo = `xr + ${sw === 1 ? "ow" : `ow * ${sw}`}`;
  const columns = (from: number, to: number, emit: (ow: string, xo: string) => void) => {
    if (from >= to) return;
    code.open(`for (let ow = ${from}; ow < ${to}; ow++)`);
    emit("ow", xo);
    code.close();
  };
  /** Border columns: each written out with its own taps when they fit in registers, else a loop. */
  const border = (from: number, to: number) => {
    if (!bordersWrittenOut(g)) return columns(from, to, body.border);
    for (let ow = from; ow < to; ow++) {
      const js = validTaps(g, ow);
      if (js.length > 0) body.column(ow, js);
    }
  };
  border(0, c0);
  if (c1 > c0) {
    code.open(`for (let ow = ${c0}; ow < ${c1}; ow++)`);
    code.line(`const xo = ${xo};`);
    body.interior("ow", "xo");
    code.close();
  }
  border(Math.max(c0, c1), OW);
  rows.close();
  if (order === "channels-first") loops.pop()!.close();
  rowEnd?.();
  while (loops.length > 0) loops.pop()!.close();
}

/** `for (kj = first valid tap; kj < last valid + 1; kj++)` for a border column. */
function tapLoop(g: ConvGeometry, code: Code): void {
  const ow = g.sw === 1 ? "ow" : `ow * ${g.sw}`;
  const lo = g.pw === 0 ? "0" : `Math.max(0, ${g.pw} - ${ow})`;
  code.open(`for (let kj = ${lo}, kjEnd = Math.min(${g.kw}, ${g.W + g.pw} - ${ow}); kj < kjEnd; kj++)`);
}

const taps = (n: number): number[] => Array.from({ length: n }, (_, j) => j);
const tapAt = (base: string, j: number): string => (j === 0 ? base : `${base} + ${j}`);

/**
 * Where a kernel row lives: `row` is the offset `kr` of row `ki` of the kernel pairing output
 * channel `oc` with input channel `ic`, `tap(j)` the offset of tap j from it (a number, or "kj").
 */
interface KernelRows {
  row(g: ConvGeometry, oc: string, ic: string, ki: string): string;
  tap(j: number | "kj"): string;
}

/** The kernel as stored, [out, in, kh, kw]. */
const STORED: KernelRows = {
  row: (g, oc, ic, ki) => linear([[oc, g.inC * g.kh * g.kw], [ic, g.kh * g.kw], [ki, g.kw]]),
  tap: (j) => (j === "kj" ? "kr + kj" : tapAt("kr", j)),
};

/**
 * The kernel K [O, C, kh, kw] of a forward convolution read flipped in both spatial axes with its
 * channel roles swapped: row ki of the pair (oc = c, ic = o) is row kh−1−ki of K[o, c], backwards
 * (`kr` points at its last tap).
 */
const FLIPPED: KernelRows = {
  row: (g, oc, ic, ki) => {
    // the last tap of row kh−1−ki: tap j then reads kw−1−j of it
    const base = plus(linear([[ic, g.outC * g.kh * g.kw], [oc, g.kh * g.kw]]), g.kh * g.kw - 1);
    return /^\d+$/.test(ki) ? plus(base, -Number(ki) * g.kw) : `${base} - ${ki} * ${g.kw}`;
  },
  tap: (j) => (j === "kj" ? "kr - kj" : plus("kr", -j)),
};

/** Loads the kernel row into registers wk0… (when it fits). */
function loadRow(code: Code, g: ConvGeometry, K: string, kernel: KernelRows = STORED): void {
  if (g.kw > MAX_TAPS) return;
  code.line(`const ${taps(g.kw).map((j) => `wk${j} = ${code.at(K, kernel.tap(j))}`).join(", ")};`);
}

/**
 * y (+)= x ⋆ kernel over the geometry `g`: each output plane starts at `start(oc)` (the bias, or
 * zero), then every input channel adds its taps, one kernel row in registers at a time.
 */
function emitCorrelation(ctx: KernelContext, g: ConvGeometry, T: string, X: string, W: string, start: (oc: string) => string, kernel: KernelRows): void {
  const { code } = ctx;
  const plane = g.OH * g.OW;
  emitNest(
    ctx,
    g,
    "image-first",
    (img, oc) => {
      const at = linear([[img, g.outC * plane], [oc, plane]]);
      code.line(`${T}.fill(${start(oc)}, ${at}, ${plus(at, plane)});`);
    },
    {
      rowStart: () => loadRow(code, g, W, kernel),
      border: (ow, xo) => {
        code.line(`let yv = ${code.at(T, `yr + ${ow}`)};`);
        tapLoop(g, code);
        code.line(`yv += ${code.at(W, kernel.tap("kj"))} * ${code.at(X, `${xo} + kj`)};`);
        code.close();
        code.line(`${T}[yr + ${ow}] = yv;`);
      },
      column: (ow, js) => {
        code.line(`${code.at(T, plus("yr", ow))} += ${js.map((j) => `wk${j} * ${code.at(X, plus("xr", ow * g.sw + j))}`).join(" + ")};`);
      },
      interior: (ow, xo) => {
        code.line(`${code.at(T, `yr + ${ow}`)} += ${taps(g.kw).map((j) => `wk${j} * ${code.at(X, tapAt(xo, j))}`).join(" + ")};`);
      },
    },
    undefined,
    kernel,
  );
}

/**
 * The geometry of the input gradient of a stride-1 convolution written as a forward one: dx is the
 * correlation of dy (padded by k−1−p) with the flipped kernel, channels swapped. Null when the
 * padding is k or more (that padding then is not a correlation of dy: the scatter form runs).
 */
export function flippedGeometry(g: ConvGeometry): ConvGeometry | null {
  if (g.sh !== 1 || g.sw !== 1 || g.ph > g.kh - 1 || g.pw > g.kw - 1) return null;
  return { ...g, inC: g.outC, outC: g.inC, H: g.OH, W: g.OW, OH: g.H, OW: g.W, ph: g.kh - 1 - g.ph, pw: g.kw - 1 - g.pw };
}

export function emitConv(ctx: KernelContext, node: Node, target: Target, epilogue?: Node): void {
  if (target.kind !== "buffer") throw new Error(`internal error: ${node.op} into a scalar`);
  const T = target.name;
  const name = (n: Node) => ctx.names.nameOf(n);
  const { code } = ctx;
  if (node.op === "conv1d" || node.op === "conv2d") {
    const [x, K, bias] = node.args as [Node, Node, Node | undefined];
    const g = convGeometry(x.shape, K.shape, node.attrs);
    const [X, W] = [name(x), name(K)];
    code.comment(`each output plane starts at ${bias ? `the bias ${name(bias)}[oc]` : "zero"}; every input channel then adds its ${g.kh}×${g.kw} taps,`);
    code.comment(`one kernel row at a time (in registers), ${X} read along its rows; border columns clip the taps`);
    emitCorrelation(ctx, g, T, X, W, (oc) => (bias ? code.at(name(bias), oc) : "0"), STORED);
    if (epilogue) emitMap(ctx, epilogue, target, new Map([[node, (idx) => code.at(T, idx.flat ?? "p")]]));
    return;
  }
  if (node.op === "conv_input_grad") {
    const [dy, K] = node.args as [Node, Node];
    const g = convGeometry(node.shape, K.shape, node.attrs);
    const [D, W] = [name(dy), name(K)];
    const flipped = flippedGeometry(g);
    if (flipped) {
      code.comment(`the full correlation of ${D} with the flipped kernel ${W} (padding ${flipped.kh - 1 - g.ph}): each ${T} entry sums`);
      code.comment(`${D} times ${W}[o, c, kh−1−i, kw−1−j] over the output channels o and taps (i, j) that read it`);
      emitCorrelation(ctx, flipped, T, D, W, () => "0", FLIPPED);
      return;
    }
    code.comment(`the full correlation of ${D} with the flipped kernel ${W}: each term x·K of the forward sum sends`);
    code.comment(`${D}·K back to the x entry it read (scattered, one kernel row in registers)`);
    code.line(`${T}.fill(0);`);
    emitNest(ctx, g, "image-first", null, {
      rowStart: () => loadRow(code, g, W),
      border: (ow, xo) => {
        code.line(`const dyv = ${code.at(D, `yr + ${ow}`)};`);
        tapLoop(g, code);
        code.line(`${code.at(T, `${xo} + kj`)} += ${code.at(W, "kr + kj")} * dyv;`);
        code.close();
      },
      column: (ow, js) => {
        code.open("").line(`const dyv = ${code.at(D, plus("yr", ow))};`);
        for (const j of js) code.line(`${code.at(T, plus("xr", ow * g.sw + j))} += wk${j} * dyv;`);
        code.close();
      },
      interior: (ow, xo) => {
        code.line(`const dyv = ${code.at(D, `yr + ${ow}`)};`);
        for (const j of taps(g.kw)) code.line(`${code.at(T, tapAt(xo, j))} += wk${j} * dyv;`);
      },
    });
    return;
  }
  if (node.op === "conv_kernel_grad") {
    const [x, dy] = node.args as [Node, Node];
    const g = convGeometry(x.shape, node.shape, node.attrs);
    const [X, D] = [name(x), name(dy)];
    const unrolled = g.kw <= MAX_TAPS;
    // with every column in registers a kernel row is stored once; border loops add into it instead
    const inRegisters = bordersWrittenOut(g);
    code.comment(`each tap of the kernel sums ${X} times ${D} over every image and output position it touched:`);
    code.comment(inRegisters ? `one kernel row's sums in registers` : `interior columns in registers, border columns (a tap loop) added in ${T}`);
    emitNest(ctx, g, "channels-first", null, {
      rowStart: () => {
        if (!inRegisters) code.line(`${T}.fill(0, kr, kr + ${g.kw});`);
        if (unrolled) code.line(`let ${taps(g.kw).map((j) => `acc${j} = 0`).join(", ")};`);
      },
      column: (ow, js) => {
        code.open("").line(`const dyv = ${code.at(D, plus("yr", ow))};`);
        for (const j of js) code.line(`acc${j} += dyv * ${code.at(X, plus("xr", ow * g.sw + j))};`);
        code.close();
      },
      border: (ow, xo) => {
        code.line(`const dyv = ${code.at(D, `yr + ${ow}`)};`);
        tapLoop(g, code);
        code.line(`${code.at(T, "kr + kj")} += dyv * ${code.at(X, `${xo} + kj`)};`);
        code.close();
      },
      interior: (ow, xo) => {
        code.line(`const dyv = ${code.at(D, `yr + ${ow}`)};`);
        for (const j of taps(g.kw)) code.line(`acc${j} += dyv * ${code.at(X, tapAt(xo, j))};`);
      },
    }, () => {
      if (unrolled) for (const j of taps(g.kw)) code.line(`${inRegisters ? `${T}[${tapAt("kr", j)}] =` : `${code.at(T, tapAt("kr", j))} +=`} acc${j};`);
    });
    return;
  }
  throw new Error(`internal error: no kernel for ${node.op}`);
}
