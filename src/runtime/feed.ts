// Binding data to a model: which array feeds each input and target, and filling the module's
// data tensors batch by batch.
//
// A name whose first dimension is a `dim` (its batch dimension, e.g. `x: [B, 784]`) is fed in rows:
// the data's first dimension counts samples and minibatches are cut along it. Any other name is
// fed whole at every step (its data must have the declared shape), or takes its default when the
// data source lacks it (the simple network of seed 000 trains with no data at all).
// Every check happens here, before training starts, and names the file, entry and element.
import { DataError, UsageError } from "../diagnostics.ts";
import type { DataMeta, Dtype, ModelMeta, Tensor } from "./contract.ts";
import type { DataSource, DataTensor } from "./dataset.ts";
import { allocTensor, formatShape, sizeOf } from "./tensors.ts";

export type Slot =
  /** Fed in rows along the batch dimension: `n` rows of `width` numbers. */
  | { kind: "rows"; meta: DataMeta; data: Float64Array; width: number }
  /** Fed whole at every step. */
  | { kind: "whole"; meta: DataMeta; data: Float64Array };

export interface Feed {
  /** One slot per `meta.data` entry, in that order. */
  slots: Slot[];
  /** The number of samples when some name is fed in rows; null when every step sees the same data. */
  n: number | null;
  batchDim: string | null;
  origin: string;
}

const squeeze = (shape: readonly number[]) => shape.filter((d) => d !== 1);
const sameShape = (a: readonly number[], b: readonly number[]) => {
  const sa = squeeze(a);
  const sb = squeeze(b);
  return sa.length === sb.length && sa.every((d, i) => d === sb[i]);
};

function declared(d: DataMeta): string {
  const dims = d.shape.map((s, i) => (i === 0 && d.batchDim ? d.batchDim : String(s)));
  return `${d.role} ${d.name}: [${dims.join(", ")}]`;
}

/** Which source array feeds each of the model's names. */
function pickTensors(meta: ModelMeta, source: DataSource): (DataTensor | undefined)[] {
  if (!source.positional) return meta.data.map((d) => source.tensors.get(d.name));
  const inputs = meta.data.filter((d) => d.role === "input");
  const targets = meta.data.filter((d) => d.role === "target");
  if (inputs.length !== 1 || targets.length !== 1) {
    throw new UsageError(
      `${source.origin} feeds a model with one input and one target; ${meta.name} has ${inputs.length} input${inputs.length === 1 ? "" : "s"} (${inputs.map((d) => d.name).join(", ") || "none"}) and ${targets.length} target${targets.length === 1 ? "" : "s"} (${targets.map((d) => d.name).join(", ") || "none"})`,
    );
  }
  return meta.data.map((d) => source.tensors.get(d.role === "input" ? "x" : "y"));
}

/** One-hot rows of width k from class indices, checking each label. */
function oneHot(t: DataTensor, rows: number, k: number, origin: string, d: DataMeta): Float64Array {
  const out = new Float64Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const label = t.data[r]!;
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      const where = t.locate ? t.locate(r) : `${t.name}[${r}]`;
      const at = where.startsWith(origin) ? where : `${origin}: ${where}`;
      throw new DataError(`${at}: label ${label} is out of range: ${declared(d)} has ${k} classes, so labels must be integers 0 to ${k - 1}`);
    }
    out[r * k + label] = 1;
  }
  return out;
}

/**
 * Entries of an index input (take's idx) must be row numbers: integers 0 to rows - 1. A DataError
 * names the input and the position of the first bad entry.
 */
export function checkIndexEntries(d: DataMeta, data: ArrayLike<number>, where: (i: number) => string): void {
  const rows = d.indexRows;
  if (rows === undefined) return;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= rows) {
      throw new DataError(`${where(i)}: ${v} is not a row number for take: ${d.role} ${d.name} holds integers 0 to ${rows - 1}`);
    }
  }
}

export function bindData(meta: ModelMeta, source: DataSource | null): Feed {
  const picked = source ? pickTensors(meta, source) : meta.data.map(() => undefined);
  const origin = source?.origin ?? "the model's defaults";
  const slots: Slot[] = [];
  let n: number | null = null;
  let nFrom = "";
  let batchDim: string | null = null;
  meta.data.forEach((d, i) => {
    const t = picked[i];
    if (!t) {
      if (d.default !== null) {
        slots.push({ kind: "whole", meta: d, data: new Float64Array(d.size).fill(d.default) });
        return;
      }
      if (!source) throw new UsageError(`${declared(d)} has no default value`, { kind: "no-data" });
      throw new DataError(`${source.origin}: no data for ${declared(d)}${source.positional ? "" : ` (the file has ${[...source.tensors.keys()].join(", ") || "no names"})`}`);
    }
    if (d.batchDim === null) {
      if (!sameShape(t.shape, d.shape)) {
        // Rows of the right width but another count: the user meant a batch dimension.
        const rowsOnly = d.shape.length >= 1 && t.shape.length === d.shape.length && sameShape(t.shape.slice(1), d.shape.slice(1));
        const hint = rowsOnly
          ? `; it is fed whole, since its first dimension is a number: to feed ${t.shape[0]} samples in minibatches of ${d.shape[0]}, name that dimension with a dim (\`dim B = ${d.shape[0]}\`, \`${d.role} ${d.name}: [${["B", ...d.shape.slice(1)].join(", ")}]\`)`
          : "";
        throw new DataError(`${origin}: ${t.name} has shape ${formatShape(t.shape)}, but ${declared(d)} expects exactly that shape${hint}`);
      }
      slots.push({ kind: "whole", meta: d, data: t.data });
      return;
    }
    if (batchDim !== null && batchDim !== d.batchDim) {
      throw new UsageError(`${meta.name} feeds data along two batch dimensions (${batchDim} and ${d.batchDim}); netc trains along one`);
    }
    batchDim = d.batchDim;
    if (t.shape.length === 0) {
      throw new DataError(`${origin}: ${t.name} is a single number, but ${declared(d)} expects one row per sample along ${d.batchDim}`);
    }
    const rows = t.shape[0]!;
    if (n !== null && rows !== n) throw new DataError(`${origin}: ${t.name} has ${rows} rows, but ${nFrom} has ${n}; every name needs one row per sample`);
    if (n === null) {
      n = rows;
      nFrom = t.name;
    }
    const rowShape = d.shape.slice(1);
    const width = sizeOf(rowShape);
    const given = t.shape.slice(1);
    // a built-in set's rows fit any row shape of the same size: mnist's 784 pixels are a row-major
    // 28×28 image, so `input x: [B, 1, 28, 28]` reads them as one channel
    const reshaped = source?.positional === true && d.role === "input" && sizeOf(given) === width;
    if (sameShape(given, rowShape) || reshaped) {
      slots.push({ kind: "rows", meta: d, data: t.data, width });
    } else if (d.role === "target" && sizeOf(given) === 1 && width >= 2) {
      slots.push({ kind: "rows", meta: d, data: oneHot(t, rows, width, origin, d), width });
    } else {
      throw new DataError(`${origin}: ${t.name} has rows of ${formatShape(given)} (${sizeOf(given)} value${sizeOf(given) === 1 ? "" : "s"}), but ${declared(d)} expects rows of ${formatShape(rowShape)} (${width})`);
    }
  });
  if (n === 0) throw new DataError(`${origin}: no samples (0 rows)`);
  slots.forEach((slot, i) => {
    const t = picked[i];
    const at = (k: number): string => {
      const w = t?.locate ? t.locate(k) : `${slot.meta.name}[${k}]`;
      return w.startsWith(origin) ? w : `${origin}: ${w}`;
    };
    checkIndexEntries(slot.meta, slot.data, at);
  });
  return { slots, n, batchDim, origin };
}

/** Each batch-fed array's float32 copy, made once: a float32 module's batches are then copied, not converted, every step. */
const float32Rows = new WeakMap<Float64Array, Float32Array>();

/** A batch-fed array in the number type of the module it feeds (the same values: rounding to float32 once or at every copy gives the same bits). */
export function rowsIn(dtype: Dtype, data: Float64Array): Tensor {
  if (dtype === "f64") return data;
  let copy = float32Rows.get(data);
  if (!copy) {
    copy = Float32Array.from(data);
    float32Rows.set(data, copy);
  }
  return copy;
}

/** The data tensors of one module, allocated once and refilled for every batch. */
export class BatchBuffers {
  readonly tensors: Tensor[];
  readonly batch: number;
  /** Each batch-fed slot's data in the module's number type (null: fed whole). */
  private readonly sources: (Tensor | null)[];

  /** `into`: arrays to fill instead of new ones (a wasm module's own data, so batches go straight into its memory). */
  constructor(
    readonly feed: Feed,
    meta: ModelMeta,
    into?: readonly Tensor[],
  ) {
    this.batch = feed.batchDim ? meta.dims[feed.batchDim]! : 1;
    this.tensors = feed.slots.map((slot, i) => {
      const t = into?.[i] ?? allocTensor(meta.dtype, meta.data[i]!.size);
      if (slot.kind === "whole") t.set(slot.data);
      else if (t.length !== this.batch * slot.width) {
        throw new Error(`internal: ${slot.meta.name} buffer has ${t.length} elements, expected ${this.batch} × ${slot.width}`);
      }
      return t;
    });
    this.sources = feed.slots.map((slot) => (slot.kind === "rows" ? rowsIn(meta.dtype, slot.data) : null));
  }

  /** Fills rows order[from .. from + batch) (or from .. from + batch without an order). */
  fill(order: Uint32Array | null, from: number): void {
    const b = this.batch;
    this.feed.slots.forEach((slot, i) => {
      const data = this.sources[i];
      if (slot.kind !== "rows" || !data) return;
      const t = this.tensors[i]!;
      const w = slot.width;
      if (order === null) {
        t.set(data.subarray(from * w, (from + b) * w));
        return;
      }
      for (let r = 0; r < b; r++) {
        const src = order[from + r]! * w;
        if (w === 1) t[r] = data[src]!;
        else t.set(data.subarray(src, src + w), r * w);
      }
    });
  }
}
