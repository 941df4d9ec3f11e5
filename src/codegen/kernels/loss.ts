// Loss kernels: a scalar from predictions and targets in one pass.
//   mse(pred, y)            = Σ (pred - y)² / n        (operands may be fused expressions)
//   cross_entropy(logits, y) = Σ_rows -Σ y ⊙ log_softmax(logits) / rows, stable via the row max
//   bce_with_logits(z, y)   = Σ max(z, 0) - z·y + log1p(e^-|z|) / n   (finite for any z)
import type { Node } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import { numberLiteral } from "../literals.ts";
import { broadcastIndex } from "../expr.ts";
import { assignScalar, type KernelContext, type Target } from "./context.ts";
import { emitElementLoop } from "./map.ts";

/** The statement that stores the loss `v` into its target (a scalar, or a buffer of one). */
const storeLoss = (target: Target, v: string): string => (target.kind === "scalar" ? assignScalar(target, v) : `${target.name}[0] = ${v};`);

export function emitMse(ctx: KernelContext, node: Node, target: Target): void {
  const store = (v: string): string => storeLoss(target, v);
  const [p, y] = node.args as [Node, Node];
  const rank = Math.max(p.shape.length, y.shape.length);
  const shape = Array.from({ length: rank }, (_, i) => {
    const a = p.shape[p.shape.length - rank + i] ?? 1;
    const b = y.shape[y.shape.length - rank + i] ?? 1;
    return a === 1 ? b : a;
  });
  const acc = ctx.names.local("acc");
  const d = ctx.names.local("d");
  ctx.code.line(`let ${acc} = 0;`);
  emitElementLoop(ctx, shape, (w, idx) => {
    const pv = w.value(p, broadcastIndex(p.shape, shape, idx));
    const yv = w.value(y, broadcastIndex(y.shape, shape, idx));
    w.stmts.push(`const ${d} = ${pv} - ${yv};`);
    return `${acc} += ${d} * ${d};`;
  });
  ctx.code.line(store(`${acc} / ${numberLiteral(size(shape))}`));
}

export function emitCrossEntropy(ctx: KernelContext, node: Node, target: Target): void {
  const store = (v: string): string => storeLoss(target, v);
  const { code } = ctx;
  const [z, y] = node.args as [Node, Node];
  const n = z.shape[z.shape.length - 1]!;
  const rows = z.shape.length === 2 ? z.shape[0]! : 1;
  const zs = ctx.names.nameOf(z);
  const ys = ctx.names.nameOf(y);
  const acc = ctx.names.local("acc");
  const mx = ctx.names.local("mx");
  const se = ctx.names.local("sumExp");
  const lse = ctx.names.local("lse");
  const at = rows > 1 ? (j: string) => `i * ${n} + ${j}` : (j: string) => j;
  code.line(`let ${acc} = 0;`);
  if (rows > 1) code.loop("i", rows);
  code.line(`let ${mx} = -Infinity;`);
  code.loop("j", n).line(`${mx} = Math.max(${mx}, ${code.at(zs, at("j"))});`).close();
  code.line(`let ${se} = 0;`);
  code.loop("j", n).line(`${se} += Math.exp(${code.at(zs, at("j"))} - ${mx});`).close();
  code.line(`const ${lse} = ${mx} + Math.log(${se});`);
  const [yj, zj] = [code.at(ys, at("j")), code.at(zs, at("j"))];
  code.loop("j", n).line(`if (${yj} !== 0) ${acc} -= ${yj} * (${zj} - ${lse});`).close();
  if (rows > 1) code.close();
  code.line(store(`${acc} / ${numberLiteral(rows)}`));
}

export function emitBce(ctx: KernelContext, node: Node, target: Target): void {
  const store = (v: string): string => storeLoss(target, v);
  const [z, y] = node.args as [Node, Node];
  const acc = ctx.names.local("acc");
  const zv = ctx.names.local("z");
  ctx.code.line(`let ${acc} = 0;`);
  emitElementLoop(ctx, z.shape, (w, idx) => {
    w.stmts.push(`const ${zv} = ${w.value(z, idx)};`);
    return `${acc} += Math.max(${zv}, 0) - ${zv} * ${w.value(y, idx)} + Math.log1p(Math.exp(-Math.abs(${zv})));`;
  });
  ctx.code.line(store(`${acc} / ${numberLiteral(size(z.shape))}`));
}
