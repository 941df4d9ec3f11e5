// PARAMS.json: {"params": {name: value}} in the values format (numbers, nested arrays), plus
// metadata and everything a resumed run needs: optimizer state, step counter, seed.
// Numbers are written by JSON.stringify, whose shortest round-trip form reads back as the same
// float64 (and float32) bit for bit. Files are written atomically: a temporary file in the same
// directory, then a rename, so an interrupted write never leaves a broken file behind.
import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { DataError, UsageError } from "../diagnostics.ts";
import type { ModelMeta, Tensor } from "../runtime/contract.ts";
import { parseJsonText } from "../data/json.ts";
import { allocTensor, flattenNested, formatShape, shapeOfNested, sizeOf, toNested } from "../runtime/tensors.ts";

export interface SavedRun {
  params: Tensor[];
  /** Optimizer state, `statePerParam` per param, or null when the file has none that fits. */
  state: Tensor[] | null;
  step: number;
  seed: number | null;
}

export interface SaveInfo {
  meta: ModelMeta;
  params: readonly Tensor[];
  state: readonly Tensor[];
  step: number;
  stepsPerEpoch: number;
  seed: number;
  lr: number;
}

/** The file's text: one line per param and per state tensor, keys in a fixed order. */
export function formatParamsFile(info: SaveInfo): string {
  const { meta, params, state, step, stepsPerEpoch, seed } = info;
  const value = (t: Tensor, shape: number[], name: string): string => {
    for (const v of t) if (!Number.isFinite(v)) throw new DataError(`param ${name} holds ${v}; not saving non-finite parameters`);
    return JSON.stringify(toNested(t, shape));
  };
  const lines: string[] = ["{", '  "params": {'];
  meta.params.forEach((p, i) => {
    lines.push(`    ${JSON.stringify(p.name)}: ${value(params[i]!, p.shape, p.name)}${i < meta.params.length - 1 ? "," : ""}`);
  });
  lines.push("  },");
  const k = meta.statePerParam;
  if (k > 0) {
    lines.push('  "state": {');
    meta.params.forEach((p, i) => {
      const parts = Array.from({ length: k }, (_, j) => value(state[i * k + j]!, p.shape, p.name));
      lines.push(`    ${JSON.stringify(p.name)}: [${parts.join(", ")}]${i < meta.params.length - 1 ? "," : ""}`);
    });
    lines.push("  },");
  }
  const rest: [string, unknown][] = [
    ["model", meta.name],
    ["sourceHash", meta.sourceHash],
    ["netc", meta.netcVersion],
    ["dtype", meta.dtype],
    ["optimizer", { ...meta.train.optimizer, lr: info.lr }],
    ["schedule", meta.train.schedule],
    ["seed", seed],
    ["step", step],
    ["epoch", Math.floor(step / stepsPerEpoch)],
    ["batch", step % stepsPerEpoch],
    ["stepsPerEpoch", stepsPerEpoch],
  ];
  rest.forEach(([key, v], i) => lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(v)}${i < rest.length - 1 ? "," : ""}`));
  lines.push("}");
  return lines.join("\n") + "\n";
}

export function writeFileAtomic(file: string, text: string): void {
  const dir = dirname(file);
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written
    }
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`cannot write ${file}: ${e.code === "EEXIST" || e.code === "ENOTDIR" ? `${dir} is not a directory` : e.message}`);
  }
}

export function saveParams(file: string, info: SaveInfo): void {
  writeFileAtomic(file, formatParamsFile(info));
}

function readTensor(v: unknown, shape: readonly number[], where: string, dtype: ModelMeta["dtype"]): Tensor {
  const s = shapeOfNested(v);
  if ("error" in s) throw new DataError(`${where}: ${s.error}`);
  const squeeze = (a: readonly number[]) => a.filter((d) => d !== 1).join(",");
  if (sizeOf(s.shape) !== sizeOf(shape) || squeeze(s.shape) !== squeeze(shape)) {
    throw new DataError(`${where}: has shape ${formatShape(s.shape)}, but the model declares ${formatShape(shape)}`);
  }
  const flat = flattenNested(v, s.shape);
  if ("error" in flat) throw new DataError(`${where}${flat.error.startsWith("value") ? flat.error.slice(5) : flat.error}`);
  const t = allocTensor(dtype, flat.data.length);
  t.set(flat.data);
  return t;
}

/** Reads a PARAMS.json for this model, checking every name and shape. */
export function loadParams(file: string, meta: ModelMeta): SavedRun {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read params ${file}: ${code === "ENOENT" ? "no such file" : (err as Error).message}`);
  }
  const json = parseJsonText(text, file);
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new DataError(`${file}: expected a JSON object with a "params" key`);
  const obj = json as Record<string, unknown>;
  const ps = obj["params"];
  if (ps === null || typeof ps !== "object" || Array.isArray(ps)) throw new DataError(`${file}: expected "params": an object from param names to values`);
  const pmap = ps as Record<string, unknown>;
  const declared = new Set(meta.params.map((p) => p.name));
  for (const name of Object.keys(pmap)) {
    if (!declared.has(name)) throw new DataError(`${file}: params has ${name}, which ${meta.name} does not declare (its params: ${[...declared].join(", ") || "none"})`);
  }
  const params = meta.params.map((p) => {
    if (!Object.prototype.hasOwnProperty.call(pmap, p.name)) throw new DataError(`${file}: params lacks ${p.name} (param ${p.name}: ${formatShape(p.shape)})`);
    return readTensor(pmap[p.name], p.shape, `${file}: params.${p.name}`, meta.dtype);
  });

  let state: Tensor[] | null = null;
  const k = meta.statePerParam;
  const st = obj["state"];
  if (k > 0 && st !== null && typeof st === "object" && !Array.isArray(st)) {
    const smap = st as Record<string, unknown>;
    const fits = meta.params.every((p) => Array.isArray(smap[p.name]) && (smap[p.name] as unknown[]).length === k);
    if (fits) {
      state = [];
      for (const p of meta.params) {
        const parts = smap[p.name] as unknown[];
        parts.forEach((part, j) => state!.push(readTensor(part, p.shape, `${file}: state.${p.name}[${j}]`, meta.dtype)));
      }
    }
  }
  const step = obj["step"];
  const seed = obj["seed"];
  return {
    params,
    state,
    step: typeof step === "number" && Number.isInteger(step) && step >= 0 ? step : 0,
    seed: typeof seed === "number" && Number.isInteger(seed) ? seed : null,
  };
}
