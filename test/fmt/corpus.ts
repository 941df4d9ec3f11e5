// The models the formatter is tried on: every example, every .net file under test/, every model
// written inline in a test (a template literal without `${…}`, or a double-quoted string with `\n`,
// that parses as a .net file with at least one statement), and every ```net block of docs/.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "../../src/parse/index.ts";
import { examples } from "../support/examples.ts";

export interface Model {
  name: string;
  source: string;
}

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === "golden" ? [] : filesUnder(path, ext);
    return d.name.endsWith(ext) ? [path] : [];
  });
}

function parses(source: string): boolean {
  try {
    return parse(source, "inline.net").statements.length > 0;
  } catch {
    return false;
  }
}

/** String literals of a test file that may be models. */
function literals(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/`([^`\\$]*)`/g)) out.push(m[1]!);
  for (const m of text.matchAll(/"((?:[^"\\\n]|\\.)*\\n(?:[^"\\\n]|\\.)*)"/g)) {
    try {
      out.push(JSON.parse(`"${m[1]}"`) as string);
    } catch {
      // not a JSON-compatible string: skip
    }
  }
  return out.filter((s) => /[=\n]/.test(s) && /\b(input|param|loss|output|grad|model|dim|target|def|train)\b|^\s*\w+\s*=/.test(s));
}

export function exampleModels(): Model[] {
  return examples().map((e) => ({ name: e.file, source: e.source }));
}

export function testModels(): Model[] {
  const files = filesUnder("test", ".net").map((f) => ({ name: f, source: readFileSync(f, "utf8") }));
  const inline = filesUnder("test", ".ts").flatMap((f) =>
    literals(readFileSync(f, "utf8")).map((source, i) => ({ name: `${f} (literal ${i + 1})`, source })),
  );
  const docs = readdirSync("docs")
    .filter((f) => f.endsWith(".md"))
    .flatMap((f) => [...readFileSync(join("docs", f), "utf8").matchAll(/```net\n([\s\S]*?)```/g)].map((m, i) => ({ name: `docs/${f} (block ${i + 1})`, source: m[1]! })));
  const seen = new Set<string>();
  return [...files, ...inline, ...docs].filter((m) => !seen.has(m.source) && (seen.add(m.source), parses(m.source)));
}
