// The wasm kernels other than products (./matmul.ts): element-wise maps, reductions, row-wise
// normalizations and losses, each the same loop nest as its JS twin in ../kernels/, written in WAT.
// A kernel writes its node's region of linear memory; a scalar is a one-element region.
import type { Node, Shape } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import { strides } from "../expr.ts";
import { axisVars } from "../kernels/context.ts";
import { broadcastWIndex, WasmExprWriter, scalarWIndex, type WIndex, type WOverride, type WasmKernelContext } from "./expr.ts";
import { callF64 } from "./ops.ts";
import { opAxis } from "../../ops/shared.ts";
import { fconst, lin, linVar, load, store, type Lin, type Num, type WatFunction } from "./wat.ts";

/** Where a kernel writes: the base address of a node's region (its copy for a leaf result). */
export type WTarget = { base: number };

/**
 * A loop over `shape`; `body` returns the statement for one element given a writer (whose
 * temporaries come first) and the element's index. Rank ≥ 2 collapses to one flat loop when
 * every read is at the output's own offset.
 */
export function elementLoop(ctx: WasmKernelContext, shape: Shape, body: (w: WasmExprWriter, idx: WIndex) => string, overrides?: ReadonlyMap<Node, WOverride>): void {
  const { fn } = ctx;
  const w = new WasmExprWriter(ctx, overrides);
  const rank = shape.length;
  if (rank === 0) {
    const stmt = body(w, scalarWIndex);
    fn.lines(w.stmts).line(stmt);
    return;
  }
  if (rank === 1) {
    const stmt = body(w, { axes: ["i"], flat: linVar("i") });
    fn.loop("i", shape[0]!, () => fn.lines(w.stmts).line(stmt));
    return;
  }
  const axes = axisVars(rank);
  const stmt = body(w, { axes, flat: linVar("p") });
  if (!w.usedAxes) {
    fn.loop("p", size(shape), () => fn.lines(w.stmts).line(stmt));
    return;
  }
  fn.local("p", "i32");
  fn.set("p", "(i32.const 0)");
  const nest = (d: number): void => {
    fn.loop(axes[d]!, shape[d]!, () => {
      if (d < rank - 1) return nest(d + 1);
      fn.lines(w.stmts).line(stmt);
      fn.set("p", "(i32.add (local.get $p) (i32.const 1))");
    });
  };
  nest(0);
}

/** A materialized element-wise node (or view, constant, or copied leaf) computed into `target`. */
export function emitMapW(ctx: WasmKernelContext, node: Node, target: WTarget, overrides?: ReadonlyMap<Node, WOverride>): void {
  elementLoop(ctx, node.shape, (w, idx) => store(ctx.num, target.base, node.shape.length === 0 ? lin([]) : (idx.flat ?? lin([])), w.define(node, idx)), overrides);
}

/**
 * Stores `value`, the producer's element at `idx`, into `target` — through the producer's fused
 * element-wise consumer when there is one (then `target` is that consumer's region); a fused
 * optimizer update then runs on the values stored so far (a reduction stores its entries in order).
 */
export function storeW(ctx: WasmKernelContext, target: WTarget, producer: Node, value: string, idx: WIndex, epilogue?: Node): void {
  let v = value;
  if (epilogue) {
    const held = ctx.fn.temp("v", ctx.num.t);
    ctx.fn.set(held, value);
    const w = new WasmExprWriter(ctx, new Map([[producer, () => `(local.get $${held})`]]));
    v = w.define(epilogue, idx);
    ctx.fn.lines(w.stmts);
  }
  ctx.fn.line(store(ctx.num, target.base, idx.flat ?? lin([]), v));
  ctx.update?.upTo(ctx.fn, lin([[idx.flat ?? lin([]), 1], [1, 1]]));
}

/**
 * sum, mean (optionally with an epilogue), amax, amin (a running max or min: a NaN propagates, as
 * Math.max) and logsumexp, over one axis or all of them.
 */
export function emitReduceW(ctx: WasmKernelContext, node: Node, target: WTarget, epilogue?: Node): void {
  const { fn, num } = ctx;
  const x = node.args[0]!;
  const shape = x.shape;
  const rank = shape.length;
  const axis = opAxis("reduce", node.attrs.axis, rank);
  if (node.op === "logsumexp") return emitLogSumExpW(ctx, node, target, axis);
  const extreme = node.op === "amax" ? "max" : node.op === "amin" ? "min" : null;
  if (node.op !== "sum" && node.op !== "mean" && !extreme) throw new Error(`internal error: no wasm kernel for reduction ${node.op}`);
  const n = axis === null ? size(shape) : shape[axis]!;
  const finish = (v: string): string => (node.op === "mean" ? `(${num.t}.div ${v} ${fconst(num, n)})` : v);
  const start = fconst(num, extreme === "max" ? -Infinity : extreme === "min" ? Infinity : 0);
  const acc = fn.temp("acc", num.t);
  ctx.update?.begin(fn);
  const add = (w: WasmExprWriter, idx: WIndex): string => `(local.set $${acc} (${num.t}.${extreme ?? "add"} (local.get $${acc}) ${w.value(x, idx)}))`;
  if (axis === null) {
    fn.set(acc, start);
    elementLoop(ctx, shape, add);
    storeW(ctx, target, node, finish(`(local.get $${acc})`), { axes: new Array<0>(node.shape.length).fill(0), flat: lin([]) }, epilogue);
    ctx.update?.end(fn, 1);
    return;
  }
  // one output element at a time: loops over the kept axes, then the reduced axis
  const vars = axisVars(rank);
  const kept = vars.map((v, d) => [v, d] as const).filter(([, d]) => d !== axis);
  const keptShape = kept.map(([, d]) => shape[d]!);
  const keptStrides = strides(keptShape);
  const outAt: Lin = lin(kept.map(([v], i) => [keptShape[i] === 1 ? 0 : v, keptStrides[i]!] as const));
  const outAxes: (string | 0)[] = node.attrs.keepdims ? vars.map((v, d) => (d === axis ? 0 : v)) : kept.map(([v]) => v);
  const inner = (): void => {
    fn.set(acc, start);
    const w = new WasmExprWriter(ctx);
    const stmt = add(w, { axes: vars, flat: null });
    fn.loop(vars[axis]!, n, () => fn.lines(w.stmts).line(stmt));
    storeW(ctx, target, node, finish(`(local.get $${acc})`), { axes: outAxes, flat: outAt }, epilogue);
  };
  const nest = (k: number): void => {
    if (k === kept.length) return inner();
    fn.loop(kept[k]![0], keptShape[k]!, () => nest(k + 1));
  };
  nest(0);
  ctx.update?.end(fn, size(node.shape));
}

/** Loops over the rows of `shape` along `axis`: `row(base, inner)` with base the row's first element (a Lin). */
function forEachRow(ctx: WasmKernelContext, shape: Shape, axis: number | null, row: (first: Lin, out: Lin, n: number, inner: number) => void): void {
  const n = axis === null ? size(shape) : shape[axis]!;
  const inner = axis === null ? 1 : size(shape.slice(axis + 1));
  const outer = axis === null ? 1 : size(shape.slice(0, axis));
  const go = (): void => {
    const first = lin([[outer > 1 ? "i" : 0, n * inner], [inner > 1 ? "j" : 0, 1]]);
    const out = lin([[outer > 1 ? "i" : 0, inner], [inner > 1 ? "j" : 0, 1]]);
    row(first, out, n, inner);
  };
  const withJ = (): void => (inner > 1 ? void ctx.fn.loop("j", inner, go) : go());
  if (outer > 1) ctx.fn.loop("i", outer, withJ);
  else withJ();
}

/** m = max of a row; then the row's Σ exp(x - m) into `acc` (each exp also handed to `each`). */
function rowMaxAndSum(ctx: WasmKernelContext, xBase: number, first: Lin, n: number, inner: number, mx: string, acc: string, each?: (r: Lin, e: string) => string): void {
  const { fn, num } = ctx;
  const at = lin([[first, 1], ["r", inner]]);
  fn.set(mx, fconst(num, -Infinity));
  fn.loop("r", n, () => fn.set(mx, `(${num.t}.max (local.get $${mx}) ${load(num, xBase, at)})`));
  fn.set(acc, fconst(num, 0));
  fn.loop("r", n, () => {
    const e = callF64(num, "exp", [`(${num.t}.sub ${load(num, xBase, at)} (local.get $${mx}))`]);
    if (!each) fn.set(acc, `(${num.t}.add (local.get $${acc}) ${e})`);
    else {
      const ev = fn.temp("e", num.t);
      fn.set(ev, e).line(each(at, `(local.get $${ev})`)).set(acc, `(${num.t}.add (local.get $${acc}) (local.get $${ev}))`);
    }
  });
}

/** logsumexp: m + log Σ exp(x - m) with m the maximum (±Infinity and NaN pass through as m). */
function emitLogSumExpW(ctx: WasmKernelContext, node: Node, target: WTarget, axis: number | null): void {
  const { fn, num, layout } = ctx;
  const x = node.args[0]!;
  const xBase = layout.offsetOf(x);
  if (x.shape.length === 0) {
    fn.line(store(num, target.base, lin([]), load(num, xBase, lin([]))));
    return;
  }
  const mx = fn.temp("mx", num.t);
  const acc = fn.temp("acc", num.t);
  forEachRow(ctx, x.shape, axis, (first, out, n, inner) => {
    rowMaxAndSum(ctx, xBase, first, n, inner, mx, acc);
    const m = `(local.get $${mx})`;
    const finite = `(${num.t}.eq (${num.t}.sub ${m} ${m}) ${fconst(num, 0)})`;
    fn.line(store(num, target.base, out, `(select (${num.t}.add ${m} ${callF64(num, "log", [`(local.get $${acc})`])}) ${m} ${finite})`));
  });
}

/** softmax and log_softmax along an axis, stable for any magnitude (the row maximum is subtracted). */
export function emitRowwiseW(ctx: WasmKernelContext, node: Node, target: WTarget): void {
  const { fn, num, layout } = ctx;
  const x = node.args[0]!;
  const xBase = layout.offsetOf(x);
  const axis = node.attrs.axis ?? x.shape.length - 1;
  const mx = fn.temp("mx", num.t);
  const acc = fn.temp("acc", num.t);
  forEachRow(ctx, x.shape, axis, (first, _out, n, inner) => {
    const at = lin([[first, 1], ["r", inner]]);
    if (node.op === "softmax") {
      rowMaxAndSum(ctx, xBase, first, n, inner, mx, acc, (r, e) => store(num, target.base, r, e));
      fn.loop("r", n, () => fn.line(store(num, target.base, at, `(${num.t}.div ${load(num, target.base, at)} (local.get $${acc}))`)));
    } else if (node.op === "log_softmax") {
      rowMaxAndSum(ctx, xBase, first, n, inner, mx, acc);
      const lse = fn.temp("lse", num.t);
      fn.set(lse, `(${num.t}.add (local.get $${mx}) ${callF64(num, "log", [`(local.get $${acc})`])})`);
      fn.loop("r", n, () => fn.line(store(num, target.base, at, `(${num.t}.sub ${load(num, xBase, at)} (local.get $${lse}))`)));
    } else throw new Error(`internal error: no wasm kernel for row-wise op ${node.op}`);
  });
}

/** mse(pred, y) = Σ (pred - y)² / n; cross_entropy(z, y) = -Σ y ⊙ log_softmax(z) / rows. */
export function emitLossW(ctx: WasmKernelContext, node: Node, target: WTarget): void {
  const { fn, num, layout } = ctx;
  const [p, y] = node.args as [Node, Node];
  const acc = fn.temp("acc", num.t);
  fn.set(acc, fconst(num, 0));
  if (node.op === "mse") {
    const rank = Math.max(p.shape.length, y.shape.length);
    const shape = Array.from({ length: rank }, (_, i) => {
      const a = p.shape[p.shape.length - rank + i] ?? 1;
      const b = y.shape[y.shape.length - rank + i] ?? 1;
      return a === 1 ? b : a;
    });
    const d = fn.temp("d", num.t);
    elementLoop(ctx, shape, (w, idx) => {
      const pv = w.value(p, broadcastWIndex(p.shape, shape, idx));
      const yv = w.value(y, broadcastWIndex(y.shape, shape, idx));
      w.stmts.push(`(local.set $${d} (${num.t}.sub ${pv} ${yv}))`);
      return `(local.set $${acc} (${num.t}.add (local.get $${acc}) (${num.t}.mul (local.get $${d}) (local.get $${d}))))`;
    });
    fn.line(store(num, target.base, lin([]), `(${num.t}.div (local.get $${acc}) ${fconst(num, size(shape))})`));
    return;
  }
  if (node.op === "bce_with_logits") {
    // Σ max(z, 0) - z·y + log1p(e^-|z|) / n: finite for any z
    const z = fn.temp("z", num.t);
    elementLoop(ctx, p.shape, (w, idx) => {
      w.stmts.push(`(local.set $${z} ${w.value(p, idx)})`);
      const zv = `(local.get $${z})`;
      const soft = callF64(num, "log1p", [callF64(num, "exp", [`(${num.t}.neg (${num.t}.abs ${zv}))`])]);
      return `(local.set $${acc} (${num.t}.add (local.get $${acc}) (${num.t}.add (${num.t}.sub (${num.t}.max ${zv} ${fconst(num, 0)}) (${num.t}.mul ${zv} ${w.value(y, idx)})) ${soft})))`;
    });
    fn.line(store(num, target.base, lin([]), `(${num.t}.div (local.get $${acc}) ${fconst(num, size(p.shape))})`));
    return;
  }
  if (node.op !== "cross_entropy") throw new Error(`internal error: no wasm kernel for loss ${node.op}`);
  const n = p.shape[p.shape.length - 1]!;
  const rows = p.shape.length === 2 ? p.shape[0]! : 1;
  const zBase = layout.offsetOf(p);
  const yBase = layout.offsetOf(y);
  const mx = fn.temp("mx", num.t);
  const se = fn.temp("sumExp", num.t);
  const lse = fn.temp("lse", num.t);
  forEachRow(ctx, p.shape, p.shape.length - 1, (first) => {
    rowMaxAndSum(ctx, zBase, first, n, 1, mx, se);
    fn.set(lse, `(${num.t}.add (local.get $${mx}) ${callF64(num, "log", [`(local.get $${se})`])})`);
    const at = lin([[first, 1], ["r", 1]]);
    const yv = load(num, yBase, at);
    // terms with y = 0 are skipped, so a -Infinity log-probability there adds nothing (as in JS)
    fn.loop("r", n, () =>
      fn.when(`(${num.t}.ne ${yv} ${fconst(num, 0)})`, () =>
        fn.set(acc, `(${num.t}.sub (local.get $${acc}) (${num.t}.mul ${yv} (${num.t}.sub ${load(num, zBase, at)} (local.get $${lse}))))`),
      ),
    );
  });
  fn.line(store(num, target.base, lin([]), `(${num.t}.div (local.get $${acc}) ${fconst(num, rows)})`));
}

/**
 * argmax_mask / argmin_mask: 1 at the first extreme of each run along the axis (every element when
 * the axis is null), 0 elsewhere. The first extreme wins a tie; a NaN, once found, stays.
 */
export function emitExtremeMaskW(ctx: WasmKernelContext, node: Node, target: WTarget): void {
  const { fn, num, layout } = ctx;
  const x = node.args[0]!;
  const xBase = layout.offsetOf(x);
  const axis = opAxis("reduce", node.attrs.axis, x.shape.length);
  const best = fn.temp("best", num.t);
  const v = fn.temp("v", num.t);
  const at = fn.temp("at", "i32");
  const cmp = node.op === "argmax_mask" ? "gt" : "lt";
  fillW(fn, num, target.base, size(node.shape), fconst(num, 0));
  if (x.shape.length === 0) {
    fn.line(store(num, target.base, lin([]), fconst(num, 1)));
    return;
  }
  forEachRow(ctx, x.shape, axis, (first, _out, n, inner) => {
    fn.set(best, load(num, xBase, first));
    fn.set(at, "(i32.const 0)");
    if (n > 1) {
      fn.loop("r", n, () => {
        fn.set(v, load(num, xBase, lin([[first, 1], ["r", inner]])));
        const isNaN = (e: string): string => `(${num.t}.ne ${e} ${e})`;
        const better = `(i32.and (i32.eqz ${isNaN(`(local.get $${best})`)}) (i32.or ${isNaN(`(local.get $${v})`)} (${num.t}.${cmp} (local.get $${v}) (local.get $${best}))))`;
        fn.when(better, () => fn.set(best, `(local.get $${v})`).set(at, "(local.get $r)"));
      }, 1);
    }
    fn.line(store(num, target.base, lin([[first, 1], [at, inner]]), fconst(num, 1)));
  });
}

/** `count` elements from byte `base` set to `value` (a constant): vectors of lanes, then the rest. */
export function fillW(fn: WatFunction, num: Num, base: number, count: number, value: string): void {
  const vecs = Math.floor(count / num.lanes);
  if (vecs > 0) fn.loop("q", vecs * 16, () => fn.line(`(v128.store offset=${base} (local.get $q) (${num.v}.splat ${value}))`), 0, 16);
  for (let e = vecs * num.lanes; e < count; e++) fn.line(store(num, base + e * num.bytes, lin([]), value));
}

/** One loop over `x` writing each entry into `target` (of shape `out`) at its index shifted by `shift`. */
function emitPlacedW(ctx: WasmKernelContext, target: WTarget, out: Shape, x: Node, shift: readonly number[]): void {
  elementLoop(ctx, x.shape, (w, idx) => {
    const at = w.flatOf({ axes: idx.axes.map((a, d) => lin([[a, 1], [shift[d]!, 1]])), flat: null }, out);
    return store(ctx.num, target.base, at, w.value(x, idx));
  });
}

/** pad(x, before, after), the derivative of a slice: zeros (the rest had no effect on the slice), then x placed at `before`. */
export function emitPadW(ctx: WasmKernelContext, node: Node, target: WTarget): void {
  fillW(ctx.fn, ctx.num, target.base, size(node.shape), fconst(ctx.num, 0));
  emitPlacedW(ctx, target, node.shape, node.args[0]!, node.attrs.before!);
}

/** concat(a, b, …, axis = k): one loop per operand, shifted along the axis by the sizes of the operands before it. */
export function emitConcatW(ctx: WasmKernelContext, node: Node, target: WTarget): void {
  const axis = opAxis("concat", node.attrs.axis, node.shape.length)!;
  let at = 0;
  for (const x of node.args) {
    emitPlacedW(ctx, target, node.shape, x, node.shape.map((_, d) => (d === axis ? at : 0)));
    at += x.shape[axis]!;
  }
}
