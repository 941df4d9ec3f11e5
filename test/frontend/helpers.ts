// Shared helpers of the front-end tests: run parse + check on a source string and collect the
// diagnostics, failing loudly on anything that is not a NetcError.
import { parse } from "../../src/parse/index.ts";
import { check, type CheckOptions } from "../../src/check/index.ts";
import { NetcError, type Diagnostic } from "../../src/diagnostics.ts";
import type { CheckedModel } from "../../src/check/model.ts";

export function checkSource(source: string, options: CheckOptions = {}, file = "test.net"): { model: CheckedModel; warnings: Diagnostic[] } {
  return check(parse(source, file), options);
}

/** The errors the front end reports for `source` (empty when it checks). */
export function errorsOf(source: string, file = "test.net"): Diagnostic[] {
  try {
    checkSource(source, {}, file);
    return [];
  } catch (err) {
    if (err instanceof NetcError) return err.diagnostics;
    throw err;
  }
}

/** `LINE:COL: MESSAGE` of each error, for compact assertions. */
export function errorLines(source: string): string[] {
  return errorsOf(source).map((d) => `${d.span.line}:${d.span.col}: ${d.message}`);
}
