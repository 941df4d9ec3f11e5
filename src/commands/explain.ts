// `netc explain FILE [--format md|html|json|dot] [--at VALUES.json] [--params P.json] [-o OUT]`:
// the derivation of every gradient, step by step (src/explain), written to stdout or to OUT.
import { readFileSync, writeFileSync } from "node:fs";
import type { CheckedModel } from "../check/model.ts";
import { flattenValue, readValuesFile } from "../data/values.ts";
import { parseJsonText } from "../data/json.ts";
import { explainSource, type Explanation } from "../explain/index.ts";
import { toMarkdown } from "../explain/markdown.ts";
import { toJson } from "../explain/json.ts";
import { printWarnings, readModelFile } from "./common.ts";
import { DataError, UsageError } from "../diagnostics.ts";
import { frontEnd } from "../compile.ts";

export interface ExplainCommandOptions {
  format?: "md" | "html" | "json" | "dot";
  at?: string;
  params?: string;
  out?: string;
  dim?: Record<string, number>;
}

async function render(e: Explanation, format: NonNullable<ExplainCommandOptions["format"]>): Promise<string> {
  if (format === "json") return toJson(e);
  if (format === "html") return (await import("../explain/html.ts")).toHtml(e);
  if (format === "dot") return (await import("../explain/dot.ts")).toDot(e);
  return toMarkdown(e);
}

/** The leaves' values from --at (inputs, targets, params) and --params (saved params, which win). */
function leafValues(model: CheckedModel, opts: ExplainCommandOptions): Map<string, Float64Array> {
  const at = opts.at !== undefined ? readValuesFile(opts.at) : {};
  let saved: Record<string, unknown> = {};
  if (opts.params !== undefined) {
    const json = parseJsonText(readText(opts.params), opts.params) as { params?: unknown } | null;
    if (json === null || typeof json !== "object" || typeof json.params !== "object" || json.params === null) throw new DataError(`${opts.params}: expected a JSON object with a "params" key`);
    saved = json.params as Record<string, unknown>;
  }
  const has = (o: Record<string, unknown>, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  const out = new Map<string, Float64Array>();
  const leaves = [...model.data.map((d) => ({ name: d.name, shape: d.shape, default: d.default, what: d.role })), ...model.params.map((p) => ({ name: p.name, shape: p.shape, default: null, what: "param" }))];
  for (const l of leaves) {
    const [value, source] = has(saved, l.name) ? [saved[l.name], opts.params!] : has(at, l.name) ? [at[l.name], opts.at!] : [l.default ?? undefined, "default"];
    if (value === undefined) throw new DataError(`no value for ${l.what} ${l.name}: give it in --at VALUES.json${l.what === "param" ? " or --params PARAMS.json" : ""}`);
    out.set(l.name, Float64Array.from(flattenValue(value, l.shape, l.name, "f64", source)));
  }
  return out;
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
}

export async function explainCommand(file: string, opts: ExplainCommandOptions): Promise<void> {
  const source = readModelFile(file);
  const dims = opts.dim ? { dims: opts.dim } : {};
  const { model, warnings } = frontEnd(source, { file, ...dims });
  printWarnings(warnings, file, source);
  const plugged = opts.at !== undefined || opts.params !== undefined;
  const values = plugged ? { values: leafValues(model, opts), valuesFrom: [opts.at, opts.params].filter((x) => x !== undefined).join(" and ") } : {};
  const e = await explainSource(source, { file, ...dims, ...values });
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
