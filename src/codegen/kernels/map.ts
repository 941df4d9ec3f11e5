// Element-wise kernels: one loop over a node's shape that computes its fused expression per
// element. Rank 1 is one loop; higher ranks collapse to one flat loop when every read is at the
// output's own offset, and otherwise nest one loop per axis with a running flat offset `p`.
import type { Node, Shape } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import { ExprWriter, scalarIndex, type Index, type Override } from "../expr.ts";
import { assignScalar, axisVars, type KernelContext, type Target } from "./context.ts";

/**
 * Emits a loop over `shape`; `body` returns the statement for one element given a writer (whose
 * temporaries are emitted first) and the element's index.
 */
export function emitElementLoop(
  ctx: KernelContext,
  shape: Shape,
  body: (w: ExprWriter, idx: Index) => string,
  overrides?: ReadonlyMap<Node, Override>,
): void {
  const { code } = ctx;
  const w = new ExprWriter(ctx.plan, ctx.names, ctx.code.lang, overrides);
  const rank = shape.length;
  if (rank === 0) {
    const stmt = body(w, scalarIndex);
    code.addLines(w.stmts).line(stmt);
    return;
  }
  if (rank === 1) {
    const stmt = body(w, { axes: ["i"], flat: "i" });
    code.loop("i", shape[0]!).addLines(w.stmts).line(stmt).close();
    return;
  }
  const axes = axisVars(rank);
  const stmt = body(w, { axes, flat: "p" });
  if (!w.usedAxes) {
    code.loop("p", size(shape)).addLines(w.stmts).line(stmt).close();
    return;
  }
  axes.forEach((v, d) => {
    code.loop(v, shape[d]!, d === 0 ? "p = 0" : undefined, d === rank - 1 ? "p++" : undefined);
  });
  code.addLines(w.stmts).line(stmt);
  for (let d = 0; d < rank; d++) code.close();
}

/** A materialized element-wise node (or view, constant, or copied leaf) computed into `target`. */
export function emitMap(ctx: KernelContext, node: Node, target: Target, overrides?: ReadonlyMap<Node, Override>): void {
  emitElementLoop(
    ctx,
    node.shape,
    (w, idx) => {
      const v = w.define(node, idx);
      return target.kind === "scalar" ? assignScalar(target, v) : `${target.name}[${idx.flat ?? "p"}] = ${v};`;
    },
    overrides,
  );
}
