// formatNet(source, file): a .net file in netc's canonical layout (the prettier plugin in
// plugin.ts, run through prettier's standalone core). The result is checked before it is
// returned: it must parse to the same statements and hold the same comments, in the same order,
// as the source, so a formatter bug is reported instead of changing what a model means; and it
// must format to itself (idempotence is checked, not hoped for).
import type { Program } from "../parse/ast.ts";
import { parse } from "../parse/index.ts";
import { scanComments } from "./comments.ts";
import plugin from "./plugin.ts";

/** Formatting passes before giving up on reaching a text that formats to itself. */
const MAX_PASSES = 4;

export interface FormatOptions {
  /** Lines longer than this are broken where the expression allows (default 80). */
  printWidth?: number;
}

/** The AST without source positions, for comparing two parses. */
export function shapeOfProgram(program: Program): string {
  return JSON.stringify(program.statements, (key, value) => (key === "span" || key.endsWith("Span") ? undefined : value));
}

const commentTexts = (source: string) => scanComments(source).map((c) => c.value);

export async function formatNet(source: string, file: string, options: FormatOptions = {}): Promise<string> {
  const { format } = await import("prettier/standalone");
  const before = parse(source, file); // reports syntax errors as FILE:LINE:COL
  const settings = { parser: "netc", plugins: [plugin], printWidth: options.printWidth ?? 80, filepath: file };
  // Comments inside expressions can settle one pass late (a comment printed after a `)` that it
  // sat before, say); formatting is repeated until the text no longer changes.
  let formatted = await format(source, settings);
  for (let pass = 1; ; pass++) {
    const again = await format(formatted, settings);
    if (again === formatted) break;
    if (pass === MAX_PASSES) throw new Error(`formatting ${file} does not settle (a bug in netc fmt; please report it)`);
    formatted = again;
  }
  let after: Program;
  try {
    after = parse(formatted, file);
  } catch {
    throw new Error(`formatting ${file} gave text that does not parse (a bug in netc fmt; please report it)`);
  }
  const same = shapeOfProgram(before) === shapeOfProgram(after) && commentTexts(source).join("\n") === commentTexts(formatted).join("\n");
  if (!same) throw new Error(`formatting ${file} would change its meaning or its comments (a bug in netc fmt; please report it)`);
  return formatted;
}
