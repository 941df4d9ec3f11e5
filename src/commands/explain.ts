// `netc explain FILE [--format md|html|json|dot] [--at VALUES.json] [--params P.json] [-o OUT]`:
// the derivation of every gradient, step by step (src/explain), written to stdout or to OUT.
import { writeFileSync } from "node:fs";
import { explainSource, type Explanation } from "../explain/index.ts";
import { toMarkdown } from "../explain/markdown.ts";
import { toJson } from "../explain/json.ts";
import { printWarnings, readModelFile } from "./common.ts";
import { UsageError } from "../diagnostics.ts";
import { frontEnd } from "../compile.ts";

export interface ExplainCommandOptions {
  format?: "md" | "json";
  at?: string;
  params?: string;
  out?: string;
  dim?: Record<string, number>;
}

async function render(e: Explanation, format: NonNullable<ExplainCommandOptions["format"]>): Promise<string> {
  if (format === "json") return toJson(e);
  return toMarkdown(e);
}

export async function explainCommand(file: string, opts: ExplainCommandOptions): Promise<void> {
  const source = readModelFile(file);
  printWarnings(frontEnd(source, { file, ...(opts.dim ? { dims: opts.dim } : {}) }).warnings, file, source);
  const e = await explainSource(source, { file, ...(opts.dim ? { dims: opts.dim } : {}), ...(opts.at ? { at: opts.at } : {}), ...(opts.params ? { params: opts.params } : {}) });
  const text = await render(e, opts.format ?? "md");
  if (opts.out === undefined) {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(opts.out, text);
  } catch (err) {
    throw new UsageError(`cannot write ${opts.out}: ${(err as Error).message}`);
  }
}
