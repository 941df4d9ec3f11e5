// Formats generated TypeScript with prettier (the project's one formatter), so emitted modules
// read like hand-written code and diff cleanly. Prettier is slow on very large inputs (minutes for
// a few megabytes), so past FORMAT_LIMIT characters the emitter's own indentation is kept: the
// text is already laid out line by line, just not wrapped.
import { format } from "prettier";

export const FORMAT_LIMIT = 400_000;

export async function formatTypeScript(text: string): Promise<string> {
  if (text.length > FORMAT_LIMIT) return text;
  return format(text, { parser: "typescript", printWidth: 110, trailingComma: "all" });
}
