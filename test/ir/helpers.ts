// Test helpers: a seeded RNG, random tensors, relative errors, and central differences.
import type { Node, Shape } from "../../src/graph/node.ts";
import { size } from "../../src/graph/node.ts";
import { interpret } from "../../src/ir/interpret.ts";
import { createRng } from "../../src/runtime/rng.ts";

export function rng(seed: number): () => number {
  return createRng(seed).uniform;
}

/** Uniform values in [lo, hi], kept at least `margin` away from each kink. */
export function randomTensor(rand: () => number, shape: Shape, lo = -2, hi = 2, kinks: readonly number[] = [], margin = 0.05): Float64Array {
  const out = new Float64Array(size(shape));
  for (let i = 0; i < out.length; i++) {
    let v: number;
    do v = lo + (hi - lo) * rand();
    while (kinks.some((k) => Math.abs(v - k) < margin));
    out[i] = v;
  }
  return out;
}

/** ‖a − b‖ / max(‖a‖, ‖b‖, tiny): a norm-wise relative error. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(na), Math.sqrt(nb), 1e-30);
}

/** Central differences of a scalar node w.r.t. the leaf named `name`. */
export function numericGrad(f: Node, leaves: Map<string, Float64Array>, name: string, h = 1e-5): Float64Array {
  const x = leaves.get(name)!;
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i]!;
    x[i] = x0 + h;
    const fp = interpret([f], leaves).get(f)![0]!;
    x[i] = x0 - h;
    const fm = interpret([f], leaves).get(f)![0]!;
    x[i] = x0;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

export const value = (n: Node, leaves: Map<string, Float64Array>): Float64Array => interpret([n], leaves).get(n)!;
