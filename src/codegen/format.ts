// Formats generated TypeScript with prettier (the project's one formatter), so emitted modules
// read like hand-written code and diff cleanly.
import { format } from "prettier";

export async function formatTypeScript(text: string): Promise<string> {
  return format(text, { parser: "typescript", printWidth: 110, trailingComma: "all" });
}
