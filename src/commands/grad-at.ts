// `netc grad FILE --at VALUES.json [--json]`: compiles the model, loads the generated module,
// evaluates its gradient at the given values and prints every value (outputs, loss, grad-ed
// bindings) and every requested derivative: as {"value": {...}, "grad": {...}} with --json,
// otherwise as a readable listing.
import { compile, type Target } from "../compile.ts";
import type { Dtype, Tensor } from "../runtime/contract.ts";
import { nullProtoObject, readValuesFile, toNested, valuesToInputs, type NestedValue } from "../data/values.ts";
import { printWarnings, readModelFile } from "./common.ts";

export interface GradAtOptions {
  at: string;
  json?: boolean;
  dtype?: Dtype;
  target?: Target;
  dim?: Record<string, number>;
}

export interface GradAtResult {
  value: Record<string, NestedValue>;
  grad: Record<string, NestedValue>;
}

/** Evaluates the compiled gradient of `source` at `values` (a parsed values object). */
export async function gradAt(source: string, file: string, values: Record<string, unknown>, opts: Omit<GradAtOptions, "at" | "json"> & { source?: string } = {}): Promise<GradAtResult> {
  // the text is not shown, so prettier is skipped (it is most of the compile time)
  const compiled = await compile(source, { file, dtype: opts.dtype ?? "f64", target: opts.target ?? "js", format: false, ...(opts.dim ? { dims: opts.dim } : {}) });
  printWarnings(compiled.warnings, file, source);
  const { module } = compiled;
  const { meta } = module;
  const inputs = valuesToInputs(values, meta, { source: opts.source ?? "values" });
  const result = module.gradient(inputs.params, inputs.data);
  const value = nullProtoObject(meta.values.map((v, i) => [v.name, toNested(result.values[i] as number | Tensor, v.shape)] as const));
  const grad = nullProtoObject(meta.grads.map((g, i) => [g.key, toNested(result.grads[i] as number | Tensor, g.shape)] as const));
  return { value, grad };
}

export async function gradAtCommand(file: string, opts: GradAtOptions): Promise<void> {
  const source = readModelFile(file);
  const values = readValuesFile(opts.at);
  const result = await gradAt(source, file, values, { ...opts, source: opts.at });
  if (opts.json) {
    process.stdout.write(JSON.stringify(result) + "\n");
    return;
  }
  const lines: string[] = ["value:"];
  for (const [k, v] of Object.entries(result.value)) lines.push(`  ${k} = ${readable(v)}`);
  lines.push("grad:");
  const gradKeys = Object.keys(result.grad);
  if (gradKeys.length === 0) lines.push("  (no derivatives requested)");
  for (const k of gradKeys) {
    const [of, wrt] = splitKey(k);
    lines.push(`  d${of}/d${wrt} = ${readable(result.grad[k]!)}`);
  }
  process.stdout.write(lines.join("\n") + "\n");
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf("/");
  return [key.slice(0, i), key.slice(i + 1)];
}

/** A number with up to 10 significant digits; nested arrays with rows on their own lines. */
function readable(v: NestedValue, indent = "    "): string {
  if (typeof v === "number") return formatNumber(v);
  if (v.length > 0 && Array.isArray(v[0])) return "[\n" + v.map((row) => indent + readable(row, indent + "  ")).join(",\n") + "\n" + indent.slice(2) + "]";
  return `[${v.map((x) => readable(x)).join(", ")}]`;
}

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  return String(Number(x.toPrecision(10)));
}
