// Small helpers for the flat row-major tensors that generated modules take: allocation in the
// model's dtype, and conversion to and from the JSON values format (numbers and nested arrays).
import type { Dtype, Tensor } from "./contract.ts";

export function allocTensor(dtype: Dtype, size: number): Tensor {
  return dtype === "f32" ? new Float32Array(size) : new Float64Array(size);
}

export function sizeOf(shape: readonly number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

export function formatShape(shape: readonly number[]): string {
  // a value nested absurdly deep (a hostile file) is not printed in full
  if (shape.length > 8) return `[${shape.slice(0, 3).join(", ")}, … ${shape.length - 4} more …, ${shape[shape.length - 1]}] (rank ${shape.length})`;
  return `[${shape.join(", ")}]`;
}

/** A flat tensor as a JSON value: a number for rank 0, nested arrays otherwise. */
export function toNested(data: ArrayLike<number>, shape: readonly number[]): unknown {
  if (shape.length === 0) return data[0]!;
  const build = (axis: number, offset: number): unknown[] => {
    const n = shape[axis]!;
    const stride = sizeOf(shape.slice(axis + 1));
    const out: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) out[i] = axis === shape.length - 1 ? data[offset + i]! : build(axis + 1, offset + i * stride);
    return out;
  };
  return build(0, 0);
}

/** The shape of a JSON value (number or rectangular nested arrays), or an error message. */
export function shapeOfNested(value: unknown): { shape: number[] } | { error: string } {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  if (!Array.isArray(v) && typeof v !== "number") {
    return { error: `expected a number or an array of numbers, found ${describe(v)}` };
  }
  return { shape };
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 20 ? v.slice(0, 20) + "…" : v)}`;
  return typeof v === "object" ? "an object" : `${typeof v} ${String(v)}`;
}

/**
 * Flattens a JSON value of the given shape; returns an error naming the first bad element by its
 * index path (`[3][1]`) when the value is ragged, not a number, or not finite.
 */
export function flattenNested(value: unknown, shape: readonly number[]): { data: Float64Array } | { error: string } {
  const data = new Float64Array(sizeOf(shape));
  let k = 0;
  const walk = (v: unknown, axis: number, path: string): string | null => {
    if (axis === shape.length) {
      if (typeof v !== "number") return `${path || "value"}: expected a number, found ${describe(v)}`;
      if (!Number.isFinite(v)) return `${path || "value"}: ${v} is not a finite number`;
      data[k++] = v;
      return null;
    }
    if (!Array.isArray(v)) return `${path || "value"}: expected an array of ${shape[axis]}, found ${describe(v)}`;
    if (v.length !== shape[axis]) return `${path || "value"}: expected ${shape[axis]} elements, found ${v.length} (rows must all have the same length)`;
    for (let i = 0; i < v.length; i++) {
      const err = walk(v[i], axis + 1, `${path}[${i}]`);
      if (err) return err;
    }
    return null;
  };
  const err = walk(value, 0, "");
  return err ? { error: err } : { data };
}
