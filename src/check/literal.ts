// Reading literal values out of expressions: numbers (possibly negated) and bare names, as used
// by input defaults, initializers and the train block.
import type { Expr } from "../parse/ast.ts";

/** The value of `2`, `-1.5`, `1e-3`; null for anything else. */
export function numberLiteral(e: Expr): number | null {
  if (e.kind === "num") return e.value;
  if (e.kind === "unary" && e.arg.kind === "num") return -e.arg.value;
  return null;
}

/** The name of a bare name, or of a call with no arguments (`xavier`, `xavier()`); else null. */
export function bareName(e: Expr): string | null {
  if (e.kind === "name") return e.name;
  if (e.kind === "call" && e.args.length === 0 && e.kwargs.length === 0) return e.callee;
  return null;
}
