// Reading literal values out of expressions: numbers (possibly negated) and bare names, as used
// by input defaults, initializers and the train block.
import type { Expr } from "../parse/ast.ts";
import { sourceText } from "./text.ts";

/** Why a float64 literal such as 1e999 (which reads as Infinity) is refused. */
export const OUT_OF_RANGE = "is out of range (float64 numbers reach about ±1.8e308)";

/**
 * The complaint about `e` where a number literal belongs: `1e999` is out of range, anything else
 * (`x`, `2 * 3`) is not a number. `what` names the place: "the default value of input x".
 */
export function notANumber(what: string, e: Expr, source: string): string {
  const v = numberLiteral(e);
  const text = sourceText(source, e.span);
  return v !== null && !Number.isFinite(v) ? `${what}: ${text} ${OUT_OF_RANGE}` : `${what} must be a number, found ${text}`;
}

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
