// Where an expression is checked (top level, or inside an inlined def body) and how its errors
// are reported: with a note naming the inlined calls, operands quoted in the user's text.
import type { Span } from "../diagnostics.ts";
import type { Expr } from "../parse/ast.ts";
import type { TExpr } from "./model.ts";
import type { CheckContext } from "./env.ts";
import { sourceText } from "./text.ts";

/** Where an expression is checked: top level, or inside an inlined def body. */
export interface Scope {
  /** The def's parameters, bound to the (checked) arguments of the call. */
  locals: ReadonlyMap<string, TExpr> | null;
  /** Top-level entries are visible when their order is below this. */
  cutoff: number;
  /** The chain of calls being inlined, outermost first. */
  calls: readonly { name: string; span: Span }[];
  /** The name being bound by the statement under check, if any. */
  defining?: string;
}

const at = (span: Span) => `${span.line}:${span.col}`;

/** " (in call to dense at 12:5)" for errors inside inlined def bodies. */
function callNote(scope: Scope): string {
  if (scope.calls.length === 0) return "";
  return ` (${[...scope.calls]
    .reverse()
    .map((c) => `in call to ${c.name} at ${at(c.span)}`)
    .join(", ")})`;
}

export function error(ctx: CheckContext, scope: Scope, message: string, span: Span): null {
  ctx.bag.error(message + callNote(scope), span);
  return null;
}

/** How an operand is named in messages: its source text (a name, or the expression as written). */
export function textOf(ctx: CheckContext, e: Expr): string {
  return e.kind === "name" ? e.name : sourceText(ctx.source, e.span);
}

