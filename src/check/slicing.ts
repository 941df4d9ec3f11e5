// Constant slicing, `x[:, 0:2]`, `x[1]`, `x[:, -1]`, `x[a:b, :]`, Python-style: negative numbers
// count from the end, a missing bound is the start or the end of the axis, an integer index drops
// its axis and axes after the last item are kept whole; no steps. Unlike Python, a bound outside
// the axis or an empty range is an error rather than silently clipped. The result is a `slice` node.
import type { Expr } from "../parse/ast.ts";
import type { Attrs } from "../graph/node.ts";
import { getOp } from "../ops/registry.ts";
import type { TExpr } from "./model.ts";
import type { CheckContext } from "./env.ts";
import { error, textOf, type Scope } from "./scope.ts";
import { constInt } from "./constants.ts";
import { dimsOf } from "./dims.ts";
import { fillOperands, shapeText, sourceText } from "./text.ts";

type IndexExpr = Extract<Expr, { kind: "index" }>;

/** `e` applied to its already checked target `x`, or null after reporting why it does not fit. */
export function checkSlice(ctx: CheckContext, scope: Scope, e: IndexExpr, x: TExpr): TExpr | null {
  const text = textOf(ctx, e.target);
  const shape = x.shape;
  const whole = `${text}: ${shapeText(shape)}`;
  if (e.items.length > shape.length) {
    const has = shape.length === 0 ? "is a scalar" : `has ${shape.length} ${shape.length === 1 ? "axis" : "axes"}`;
    return error(ctx, scope, `cannot index ${whole} with ${e.items.length} ${e.items.length === 1 ? "index" : "indices"}: it ${has}`, e.span);
  }
  const begin = shape.map(() => 0);
  const end = [...shape];
  const drop: number[] = [];
  for (let d = 0; d < e.items.length; d++) {
    const item = e.items[d]!;
    const n = shape[d]!;
    const outside = (b: Expr) => error(ctx, scope, `index ${textOf(ctx, b)} is out of range for axis ${d} of ${whole} (size ${n})`, b.span);
    // a bound: -n..n, negative ones counted from the end
    const bound = (b: Expr | null, dflt: number): number | null => {
      if (!b) return dflt;
      const c = constInt(ctx, scope, b, `an index of ${text}`);
      if (c === null) return null;
      if (c.value < -n || c.value > n) return outside(b);
      return c.value < 0 ? c.value + n : c.value;
    };
    if (item.kind === "at") {
      const v = bound(item.index, 0);
      if (v === null) return null;
      if (v === n) return outside(item.index);
      [begin[d], end[d]] = [v, v + 1];
      drop.push(d);
    } else {
      const b = bound(item.start, 0);
      const t = bound(item.end, n);
      if (b === null || t === null) return null;
      if (b >= t) return error(ctx, scope, `the slice ${sourceText(ctx.source, item.span)} of axis ${d} of ${whole} is empty (${b} to ${t})`, item.span);
      [begin[d], end[d]] = [b, t];
    }
  }
  if (drop.length === 0 && begin.every((b, d) => b === 0 && end[d] === shape[d])) return x; // x[:, :]
  const attrs: Attrs = drop.length > 0 ? { begin, end, drop } : { begin, end };
  const out = getOp("slice").shape([shape], attrs);
  if (typeof out === "string") return error(ctx, scope, fillOperands(out, [{ text, shape }]), e.span);
  const xd = dimsOf(x);
  // an axis kept whole keeps its name; a part of it is anonymous
  const dims = shape.flatMap((n, d) => (drop.includes(d) ? [] : [begin[d] === 0 && end[d] === n ? (xd[d] ?? null) : null]));
  return { kind: "op", op: "slice", args: [x], attrs, shape: out, dims, span: e.span };
}
