// `netc grad FILE --at VALUES.json [--params P.json] [--json]`: compiles the model, loads the
// generated module, evaluates its gradient at the given values and prints every value (outputs,
// loss, grad-ed bindings) and every requested derivative: as {"value": {...}, "grad": {...}} with
// --json, otherwise as a readable listing. Params come from the values file or, with --params, from
// a file `netc train` saved. Inputs fed along a batch dimension may hold any number of rows: the
// model is compiled for that many, as `predict` does (unless `--dim` fixes the size).
import { compile, type CompiledModel, type Target } from "../compile.ts";
import type { Dtype, ModelMeta, Tensor } from "../runtime/contract.ts";
import { nullProtoObject, readValuesFile, toNested, valuesToInputs, type ModuleInputs, type NestedValue } from "../data/values.ts";
import { DataError } from "../diagnostics.ts";
import { loadParams } from "./params-file.ts";
import { printWarnings, readModelFile } from "./common.ts";

export interface GradAtOptions {
  at: string;
  /** A params file saved by `netc train` (its "params" replace the values file's). */
  params?: string;
  json?: boolean;
  dtype?: Dtype;
  target?: Target;
  dim?: Record<string, number>;
}

export interface GradAtResult {
  value: Record<string, NestedValue>;
  grad: Record<string, NestedValue>;
}

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** The rows the values give along the model's batch dimension (the first one fed in rows). */
function rowsGiven(values: Record<string, unknown>, meta: ModelMeta, source: string): { dim: string; rows: number; from: string } | null {
  let found: { dim: string; rows: number; from: string } | null = null;
  for (const d of meta.data) {
    const v = values[d.name];
    if (d.batchDim === null || !has(values, d.name) || !Array.isArray(v)) continue; // a wrong shape is valuesToInputs's to report
    if (found === null) found = { dim: d.batchDim, rows: v.length, from: d.name };
    else if (found.dim === d.batchDim && found.rows !== v.length) {
      throw new DataError(`${source}: ${d.name} has ${v.length} rows, but ${found.from} has ${found.rows}; every name fed along ${d.batchDim} needs one row per sample`);
    }
  }
  return found;
}

/** The model compiled for the values' batch size (a `--dim` the rows contradict is an error). */
async function compileForValues(source: string, file: string, values: Record<string, unknown>, opts: { dtype?: Dtype; target?: Target; dim?: Record<string, number>; source: string }): Promise<CompiledModel> {
  // the text is not shown, so prettier is skipped (it is most of the compile time)
  const dims: Record<string, number> = Object.assign(Object.create(null), opts.dim);
  const options = { file, dtype: opts.dtype ?? "f64", target: opts.target ?? "js", format: false } as const;
  const compiled = await compile(source, { ...options, dims });
  printWarnings(compiled.warnings, file, source);
  const batch = rowsGiven(values, compiled.module.meta, opts.source);
  if (batch === null || batch.rows === compiled.module.meta.dims[batch.dim]) return compiled;
  const fixed = opts.dim?.[batch.dim];
  if (fixed !== undefined) {
    throw new DataError(`${opts.source}: ${batch.from} has ${batch.rows} rows along ${batch.dim}, but --dim ${batch.dim}=${fixed} compiles the model for ${fixed}: pass --dim ${batch.dim}=${batch.rows}, or leave it out to take the size from the values`);
  }
  if (batch.rows === 0) throw new DataError(`${opts.source}: ${batch.from} has no rows`);
  dims[batch.dim] = batch.rows;
  return compile(source, { ...options, dims });
}

/** Params and data for the module: params from the values file, or all from `paramsFile`. */
function inputsFor(values: Record<string, unknown>, meta: ModelMeta, source: string, paramsFile: string | undefined): ModuleInputs {
  if (paramsFile === undefined) return valuesToInputs(values, meta, { source });
  const both = meta.params.find((p) => has(values, p.name));
  if (both) throw new DataError(`${both.name} is given by both ${source} and --params ${paramsFile}: give it in one of them`);
  const { data } = valuesToInputs(values, meta, { source, need: { params: false, data: true } });
  return { params: loadParams(paramsFile, meta).params, data };
}

/** Evaluates the compiled gradient of `source` at `values` (a parsed values object). */
export async function gradAt(source: string, file: string, values: Record<string, unknown>, opts: Omit<GradAtOptions, "at" | "json"> & { source?: string } = {}): Promise<GradAtResult> {
  const where = opts.source ?? "values";
  const { module } = await compileForValues(source, file, values, { dtype: opts.dtype, target: opts.target, dim: opts.dim, source: where });
  const { meta } = module;
  const inputs = inputsFor(values, meta, where, opts.params);
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
