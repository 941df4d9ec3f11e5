// Reductions: sum, mean, logsumexp, amax and amin over one axis or all of them (kernels "reduce", "logsumexp"). The operand of sum and mean
// may be a fused expression (the squared error inside a loss is never stored). Loops run in
// memory order: outer axes, then the reduced axis, then inner axes accumulating into the output
// row; reducing the last axis keeps the running sum in a register.
import type { Node } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import { numberLiteral } from "../literals.ts";
import { ExprWriter, linear, strides, type Index } from "../expr.ts";
import { axisVars, type KernelContext, type Target } from "./context.ts";
import { emitElementLoop, emitMap } from "./map.ts";
import { emitStore } from "./store.ts";
import { opAxis } from "../../ops/shared.ts";

/** The reduced axis of a reduction node (null: all); a scalar operand has none. */
const reducedAxis = (node: Node): number | null => opAxis("reduce", node.attrs.axis, node.args[0]!.shape.length);

/** sum and mean into `target`; with `epilogue`, its element-wise consumer is computed too. */
export function emitSumMean(ctx: KernelContext, node: Node, target: Target, epilogue?: Node): void {
  const x = node.args[0]!;
  const shape = x.shape;
  const rank = shape.length;
  const axis = reducedAxis(node);
  const n = axis === null ? size(shape) : shape[axis]!;
  const mean = node.op === "mean";
  const extreme = node.op === "amax" ? "Math.max" : node.op === "amin" ? "Math.min" : null;
  const finish = (v: string): string => (mean ? `${v} / ${numberLiteral(n)}` : v);
  // the accumulator's start and one step: a running sum, or a running max/min (NaN propagates)
  const start = extreme === "Math.max" ? "-Infinity" : extreme === "Math.min" ? "Infinity" : "0";
  const step = (acc: string, v: string): string => (extreme ? `${acc} = ${extreme}(${acc}, ${v});` : `${acc} += ${v};`);
  const { code } = ctx;
  const outRank = node.shape.length;
  if (axis === null) {
    // everything: one accumulator over the whole operand (a flat loop when reads allow)
    const acc = ctx.names.local("acc");
    code.line(`let ${acc} = ${start};`);
    emitElementLoop(ctx, shape, (w, idx) => step(acc, w.value(x, idx)));
    emitStore(ctx, target, node, finish(acc), { axes: new Array<string>(outRank).fill("0"), flat: "0" }, epilogue);
    return;
  }
  const vars = axisVars(rank);
  const w = new ExprWriter(ctx.plan, ctx.names, ctx.code.lang);
  const value = w.value(x, { axes: vars, flat: null });

  // Output offset of the kept axes (the output is row-major over them, with or without keepdims).
  const kept = vars.map((v, d) => [v, d] as const).filter(([, d]) => d !== axis);
  const keptShape = kept.map(([, d]) => shape[d]!);
  const keptStrides = strides(keptShape);
  const outAt = linear(kept.map(([v], i) => [keptShape[i] === 1 ? "0" : v, keptStrides[i]!] as const));
  const outAxes = node.attrs.keepdims ? vars.map((v, d) => (d === axis ? "0" : v)) : kept.map(([v]) => v);

  if (axis === rank - 1) {
    // the last axis: loops over the kept (outer) axes, the running sum in a register
    const acc = ctx.names.local("acc");
    const outer = vars.slice(0, axis);
    outer.forEach((v, d) => code.loop(v, shape[d]!));
    code.line(`let ${acc} = ${start};`);
    code.loop(vars[axis]!, n).addLines(w.stmts).line(step(acc, value)).close();
    emitStore(ctx, target, node, finish(acc), { axes: outAxes, flat: outAt }, epilogue);
    outer.forEach(() => code.close());
    return;
  }
  // Accumulate rows into the output: outer axes, reduced axis, inner axes (contiguous).
  if (target.kind !== "buffer") throw new Error("internal error: row reduction into a scalar");
  const T = target.name;
  code.line(`${T}.fill(${start});`);
  vars.forEach((v, d) => code.loop(v, shape[d]!));
  code.addLines(w.stmts).line(step(code.at(T, outAt), value));
  vars.forEach(() => code.close());
  if (epilogue) emitMap(ctx, epilogue, target, new Map([[node, (idx: Index) => finish(code.at(T, `${idx.flat}`))]]));
  else if (mean) code.loop("p", size(node.shape)).line(`${code.at(T, "p")} /= ${numberLiteral(n)};`).close();
}

/** logsumexp: m + log Σ exp(x - m) with m the maximum (±Infinity and NaN pass through as m). */
export function emitLogSumExp(ctx: KernelContext, node: Node, target: Target): void {
  const { code } = ctx;
  const axis = reducedAxis(node);
  const x = node.args[0]!;
  const shape = x.shape;
  const xs = ctx.names.nameOf(x);
  if (shape.length === 0) {
    // logsumexp of a scalar is the scalar itself (a scalar is a plain number, not an array)
    emitStore(ctx, target, node, xs, { axes: [], flat: "0" });
    return;
  }
  const n = axis === null ? size(shape) : shape[axis]!;
  const inner = axis === null ? 1 : size(shape.slice(axis + 1));
  const outer = axis === null ? 1 : size(shape.slice(0, axis));
  const mx = ctx.names.local("mx");
  const acc = ctx.names.local("acc");
  const base = ctx.names.local("base");
  const at = (r: string): string => code.at(xs, linear([[base, 1], [r, inner]]));
  if (outer > 1) code.loop("i", outer);
  if (inner > 1) code.loop("j", inner);
  code.line(`const ${base} = ${linear([[outer > 1 ? "i" : "0", n * inner], [inner > 1 ? "j" : "0", 1]])};`);
  code.line(`let ${mx} = -Infinity;`);
  code.loop("r", n).line(`${mx} = Math.max(${mx}, ${at("r")});`).close();
  code.line(`let ${acc} = 0;`);
  code.loop("r", n).line(`${acc} += Math.exp(${at("r")} - ${mx});`).close();
  const v = `Number.isFinite(${mx}) ? ${mx} + Math.log(${acc}) : ${mx}`;
  const outAt = linear([[outer > 1 ? "i" : "0", inner], [inner > 1 ? "j" : "0", 1]]);
  emitStore(ctx, target, node, v, { axes: [], flat: outAt });
  if (inner > 1) code.close();
  if (outer > 1) code.close();
}

