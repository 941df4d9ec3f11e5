// Values files (LANGUAGE.md, "Values on the command line and in files"): a JSON object from names
// to numbers (scalars) or nested arrays (row-major, matching the declared shape). Reading checks
// every value against the model's declarations and turns it into the flat typed arrays a generated
// module takes; writing turns results back into numbers and nested arrays. User names only ever
// key Maps and null-prototype objects, so a name like `__proto__` is just a name.
import { readFileSync } from "node:fs";
import { DataError, UsageError } from "../diagnostics.ts";
import type { DataMeta, Dtype, ModelMeta, Tensor, TensorMeta } from "../runtime/contract.ts";
import { checkIndexEntries } from "../runtime/feed.ts";

export type NestedValue = number | NestedValue[];

const shapeText = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

/** Reads and parses a values file into a null-prototype object; DataError for any problem. */
export function readValuesFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    // a file named on the command line that is not there is bad command-line use (exit 2)
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`cannot read ${path}: no such file`);
    if (code === "EISDIR") throw new UsageError(`cannot read ${path}: it is a directory`);
    throw new DataError(`cannot read ${path}: ${(err as Error).message}`);
  }
  return parseValuesText(text, path);
}

/** Parses values JSON text (`source` names it in messages). */
export function parseValuesText(text: string, source = "values"): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, "")); // a byte-order mark is harmless
  } catch (err) {
    throw new DataError(`${source} is not valid JSON: ${(err as Error).message}`);
  }
  return valuesObject(json, source);
}

/** Checks that `json` is a plain object and copies it into a null-prototype object. */
export function valuesObject(json: unknown, source = "values"): Record<string, unknown> {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new DataError(`${source} must hold a JSON object from names to values, found ${describeJson(json)}`);
  }
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(json)) out[key] = (json as Record<string, unknown>)[key];
  return out;
}

function describeJson(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "number") return `the number ${v}`;
  if (typeof v === "string") return `a string`;
  if (typeof v === "boolean") return `${v}`;
  return `an object`;
}

/**
 * One value checked against a declared shape and flattened row-major. A scalar must be a number;
 * a tensor a nested array with exactly the declared sizes at every level.
 */
export function flattenValue(value: unknown, shape: readonly number[], name: string, dtype: Dtype = "f64", source = "values"): Tensor {
  const total = shape.reduce((a, b) => a * b, 1);
  const out = dtype === "f32" ? new Float32Array(total) : new Float64Array(total);
  const where = `${source}: ${name}`;
  if (shape.length === 0) {
    if (typeof value !== "number") throw new DataError(`${where} should be a number (it is a scalar), found ${describeJson(value)}`);
    if (!Number.isFinite(value)) throw new DataError(`${where} should be a finite number, found ${value} (a number beyond float64's range)`);
    out[0] = value;
    return out;
  }
  let k = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    const expected = shape[depth]!;
    if (!Array.isArray(v)) {
      const at = path === "" ? "" : ` at ${name}${path}`;
      throw new DataError(
        `${where} should be ${depth === 0 ? `a ${shapeText(shape)} array` : `an array of ${expected}`}${at}, found ${describeJson(v)}`,
      );
    }
    if (v.length !== expected) {
      const what = path === "" ? name : `${name}${path}`;
      throw new DataError(`${where} should have shape ${shapeText(shape)}, but ${what} has ${v.length} entries where ${expected} are expected`);
    }
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      if (depth === shape.length - 1) {
        if (typeof e !== "number") throw new DataError(`${where}${path}[${i}] should be a number, found ${describeJson(e)}`);
        if (!Number.isFinite(e)) throw new DataError(`${where}${path}[${i}] should be a finite number, found ${e} (a number beyond float64's range)`);
        out[k++] = e;
      } else walk(e, depth + 1, `${path}[${i}]`);
    }
  };
  walk(value, 0, "");
  return out;
}

export interface ModuleInputs {
  params: Tensor[];
  data: Tensor[];
}

export interface ToInputsOptions {
  dtype?: Dtype;
  /** Names the values file in messages. */
  source?: string;
  /** Names the model does not declare: an error (default) or ignored. */
  unknown?: "error" | "ignore";
  /** Which declarations must be given (default both); the others are filled from `fill`. */
  need?: { params: boolean; data: boolean };
  /** A value for a declaration the file omits (after defaults); undefined means it is missing. */
  fill?: (decl: TensorMeta, role: "param" | "input" | "target") => Tensor | undefined;
}

/** A scalar's default: an input's or target's `= NUMBER`, or a param's constant initializer. */
export function scalarDefault(meta: ModelMeta, name: string): number | null {
  const d = meta.data.find((x) => x.name === name);
  if (d) return d.shape.length === 0 ? d.default : null;
  const p = meta.params.find((x) => x.name === name);
  if (!p || p.shape.length !== 0) return null;
  const init = p.init;
  if (init.kind === "fill") return init.value;
  if (init.kind === "zeros") return 0;
  if (init.kind === "ones") return 1;
  return null;
}

/**
 * The module's arguments from a values object: every param and data leaf in `meta` order. Omitted
 * scalars take their default; anything else omitted is an error naming all that is missing.
 */
export function valuesToInputs(values: Record<string, unknown>, meta: ModelMeta, options: ToInputsOptions = {}): ModuleInputs {
  const dtype = options.dtype ?? meta.dtype;
  const source = options.source ?? "values";
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(values, k);
  const declared = new Set<string>([...meta.params.map((p) => p.name), ...meta.data.map((d) => d.name)]);
  if ((options.unknown ?? "error") === "error") {
    const extra = Object.keys(values).filter((k) => !declared.has(k));
    if (extra.length > 0) {
      const list = extra.map((k) => JSON.stringify(k)).join(", ");
      throw new DataError(`${source}: ${list} ${extra.length === 1 ? "is" : "are"} not declared by model ${meta.name} (it declares ${[...declared].join(", ") || "nothing"})`);
    }
  }
  const missing: string[] = [];
  const one = (decl: TensorMeta, role: "param" | "input" | "target", required: boolean): Tensor => {
    if (has(decl.name)) {
      const t = flattenValue(values[decl.name], decl.shape, decl.name, dtype, source);
      if (role !== "param") checkIndexEntries(decl as DataMeta, t, (k) => `${source}: ${decl.name}${nestedPosition(decl.shape, k)}`);
      return t;
    }
    const def = scalarDefault(meta, decl.name);
    const zeros = dtype === "f32" ? new Float32Array(decl.size) : new Float64Array(decl.size);
    if (def !== null) {
      zeros[0] = def;
      return zeros;
    }
    const filled = options.fill?.(decl, role);
    if (filled) return filled;
    if (required) missing.push(`${role} ${decl.name}: ${shapeText(decl.shape)}`);
    return zeros;
  };
  const need = options.need ?? { params: true, data: true };
  const params = meta.params.map((p) => one(p, "param", need.params));
  const data = meta.data.map((d) => one(d, d.role, need.data));
  if (missing.length > 0) {
    throw new DataError(`${source}: no value for ${missing.join(", ")}${missing.length > 1 ? " (all required)" : ""}`);
  }
  return { params, data };
}

/** A result as a values-file value: a number for a scalar, nested arrays otherwise. */
export function toNested(value: number | Tensor, shape: readonly number[]): NestedValue {
  if (typeof value === "number") return value;
  if (shape.length === 0) return value[0]!;
  let k = 0;
  const build = (depth: number): NestedValue[] => {
    const n = shape[depth]!;
    const out: NestedValue[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = depth === shape.length - 1 ? value[k++]! : build(depth + 1);
    return out;
  };
  return build(0);
}

/** Builds a null-prototype object from entries (names from a model are keys, never prototypes). */
export function nullProtoObject<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** `[1][2]`: the nested-array position of flat index k in a row-major tensor of `shape`. */
function nestedPosition(shape: readonly number[], k: number): string {
  let out = "";
  let rest = k;
  for (let d = shape.length - 1; d >= 0; d--) {
    out = `[${rest % shape[d]!}]` + out;
    rest = Math.floor(rest / shape[d]!);
  }
  return out;
}
