// Compile-time integers inside expressions: reshape's shape list (`[B, 784]`, `-1`) and slice
// bounds (`x[:, 0:F]`). An integer literal, a `dim` name, or a sum, difference or product of
// those (`F - 1`, `2 * H`); the result remembers the dim name when it is exactly one.
import type { Expr } from "../parse/ast.ts";
import { error, textOf, type Scope } from "./scope.ts";
import type { CheckContext } from "./env.ts";

export interface ConstInt {
  value: number;
  /** The dim name when the expression is exactly a `dim` name (`B`), else null. */
  dim: string | null;
}

/** The integer `e` stands for, or null after reporting why it is not one (`what` opens the message). */
export function constInt(ctx: CheckContext, scope: Scope, e: Expr, what: string): ConstInt | null {
  const fail = (): null =>
    error(ctx, scope, `${what} must be an integer or a dim name (such as 784, B or F - 1), found ${textOf(ctx, e)}`, e.span);
  const walk = (x: Expr): number | null => {
    switch (x.kind) {
      case "num":
        return Number.isSafeInteger(x.value) ? x.value : null;
      case "name": {
        if (scope.locals?.has(x.name)) return null;
        const entry = ctx.env.get(x.name);
        return entry?.kind === "dim" && entry.order < scope.cutoff && !Number.isNaN(entry.value) ? entry.value : null;
      }
      case "unary": {
        const v = walk(x.arg);
        return v === null ? null : -v;
      }
      case "binary": {
        if (x.op !== "+" && x.op !== "-" && x.op !== "*") return null;
        const l = walk(x.left);
        const r = walk(x.right);
        if (l === null || r === null) return null;
        const v = x.op === "+" ? l + r : x.op === "-" ? l - r : l * r;
        return Number.isSafeInteger(v) ? v : null;
      }
      default:
        return null;
    }
  };
  const value = walk(e);
  if (value === null) return fail();
  return { value, dim: e.kind === "name" ? e.name : null };
}
