// formatNet(source, file): a .net file in netc's canonical layout (the prettier plugin in
// plugin.ts, run through prettier's standalone core). The result is checked before it is
// returned: it must parse to the same statements (the plugin's parse records each AST without
// positions) and hold the same comments in the same order as the source, so a formatter bug is
// reported instead of changing what a model means; and it must format to itself (idempotence is
// checked, not hoped for).
import { scanComments } from "./comments.ts";
import plugin, { lastParse } from "./plugin.ts";

/** Formatting passes before giving up on reaching a text that formats to itself. */
const MAX_PASSES = 4;

export interface FormatOptions {
  /** Lines longer than this are broken where the expression allows (default 80). */
  printWidth?: number;
}

const commentTexts = (source: string) => scanComments(source).map((c) => c.value);

/** One format at a time: the plugin reports what it parsed through `lastParse`. */
let queue: Promise<unknown> = Promise.resolve();

export function formatNet(source: string, file: string, options: FormatOptions = {}): Promise<string> {
  const run = queue.then(() => formatChecked(source, file, options));
  queue = run.catch(() => undefined);
  return run;
}

async function formatChecked(source: string, file: string, options: FormatOptions): Promise<string> {
  const { format } = await import("prettier/standalone");
  const settings = { parser: "netc", plugins: [plugin], printWidth: options.printWidth ?? 80, filepath: file };
  // A syntax error surfaces here, from the plugin's parse, as FILE:LINE:COL.
  let formatted = await format(source, settings);
  const before = lastParse.shape;
  // Comments inside expressions can settle one pass late (a comment printed after a `)` that it
  // sat before, say); formatting is repeated until the text no longer changes.
  for (let pass = 1; ; pass++) {
    let again: string;
    try {
      again = await format(formatted, settings);
    } catch {
      throw new Error(`formatting ${file} gave text that does not parse (a bug in netc fmt; please report it)`);
    }
    if (again === formatted) break;
    if (pass === MAX_PASSES) throw new Error(`formatting ${file} does not settle (a bug in netc fmt; please report it)`);
    formatted = again;
  }
  // The last pass parsed `formatted` itself.
  const same = before === lastParse.shape && commentTexts(source).join("\n") === commentTexts(formatted).join("\n");
  if (!same) throw new Error(`formatting ${file} would change its meaning or its comments (a bug in netc fmt; please report it)`);
  return formatted;
}
