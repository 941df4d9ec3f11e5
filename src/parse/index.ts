// parse(source, file): the AST of a .net file, or a NetcError with every syntax error found.
// The source is cut into statement chunks (segment.ts); each chunk is matched against the grammar
// on its own, so one bad statement is reported and the next ones are still read.
import { NetcError, type Diagnostic } from "../diagnostics.ts";
import type { Program, Stmt } from "./ast.ts";
import { netGrammar } from "./grammar.ts";
import { LineIndex } from "./lines.ts";
import { segment } from "./segment.ts";
import { toAst } from "./semantics.ts";
import { syntaxError } from "./syntax-error.ts";

/** At most this many syntax errors are reported; the rest are likely consequences. */
const MAX_ERRORS = 20;
export const TOO_DEEP = "statement nested too deeply to compile (simplify the expression)";

export function parse(source: string, file: string): Program {
  const lines = new LineIndex(source);
  const grammar = netGrammar();
  const statements: Stmt[] = [];
  const errors: Diagnostic[] = [];
  for (const chunk of segment(source)) {
    if (errors.length >= MAX_ERRORS) break;
    if (chunk.lexError) {
      errors.push({ severity: "error", message: chunk.lexError.message, span: lines.span(chunk.lexError.start, chunk.lexError.end) });
      continue;
    }
    const text = source.slice(chunk.start, chunk.end);
    try {
      const match = grammar.match(text, "Program");
      if (match.failed()) errors.push(syntaxError(match, chunk, source, lines));
      else if (errors.length === 0) statements.push(...toAst(match, chunk.start, lines));
    } catch (err) {
      // A stack overflow on absurd nesting (`- - - … x`, `x^x^…`) becomes an ordinary error.
      if (!(err instanceof RangeError)) throw err;
      errors.push({ severity: "error", message: TOO_DEEP, span: lines.span(chunk.start) });
    }
  }
  if (errors.length > 0) throw new NetcError(errors, file, source);
  return { file, source, statements };
}
