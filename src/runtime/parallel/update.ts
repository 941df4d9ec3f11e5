// The update of data-parallel training: each thread moves its own part of every param (and its
// optimizer state) with the generated module's `update`, which sums two gradients, w0·g0 + w1·g1, in
// the loop that applies the optimizer's rule: the shards' gradients in shard order (so the same
// number of shards rounds the same way every run). With three or more shards the ones after the
// first are summed first, over this thread's part. The optimizer's rules live only in the generated
// code (src/codegen/optimizer.ts). Thread q's part of a param of n entries is
// [⌊n·q/parts⌋, ⌊n·(q+1)/parts⌋), as `update` has it.
//
// The worker threads run these very functions from their text (worker.ts), so they must stay
// self-contained: no reference to anything outside their parameters.
import type { GeneratedModule, StepHyper, Tensor } from "../contract.ts";

/**
 * Updates part `part` of `parts` of every param from the first `active` shards' gradients:
 * `slots[j][k]` is shard j's gradient of param k, at least this thread's part of it (see
 * `publish`), and `rest` holds arrays shaped like one shard's slots (empty: no gradient), for the
 * sum of shards 1 … active-1 when there are more than two.
 */
export function updatePart(
  module: GeneratedModule,
  params: Tensor[],
  state: Tensor[],
  slots: Tensor[][],
  rest: Tensor[],
  weights: ArrayLike<number>,
  active: number,
  hyper: StepHyper,
  part: number,
  parts: number,
): void {
  const g0 = slots[0]!;
  const w0 = weights[0]!;
  // one shard (the last batch had fewer rows than threads): its gradient, and 0 times itself
  if (active === 1) return module.update(params, state, g0, w0, g0, 0, hyper, part, parts);
  if (active === 2) return module.update(params, state, g0, w0, slots[1]!, weights[1]!, hyper, part, parts);
  for (let k = 0; k < rest.length; k++) {
    const out = rest[k]!;
    const n = out.length;
    const lo = Math.floor((n * part) / parts);
    const hi = Math.floor((n * (part + 1)) / parts);
    const g1 = slots[1]![k]!;
    const w1 = weights[1]!;
    for (let i = lo; i < hi; i++) out[i] = w1 * g1[i]!;
    for (let j = 2; j < active; j++) {
      const gj = slots[j]![k]!;
      const wj = weights[j]!;
      for (let i = lo; i < hi; i++) out[i]! += wj * gj[i]!;
    }
  }
  module.update(params, state, g0, w0, rest, 1, hyper, part, parts);
}

/** Arrays for the sum of the shards after the first, shaped like one shard's slots (empty: no gradient). */
export function restBuffers(like: readonly Tensor[]): Tensor[] {
  return like.map((t) => (t instanceof Float32Array ? new Float32Array(t.length) : new Float64Array(t.length)));
}

/**
 * Shard `self`'s gradients (a module's `gradient(...).grads`), published for the update: copied
 * into its shared slot — only the parts the other threads update, or all of it with `all` — and
 * `own[k]` set to what thread `self` reads for its own part of param k (the module's own array,
 * which no other thread needs to see). Thread q's part of n entries is [⌊n·q/parts⌋, ⌊n·(q+1)/parts⌋),
 * as in reduceAndUpdate.
 */
export function publish(grads: readonly (number | Tensor)[], gradIndex: readonly number[], slot: Tensor[], own: Tensor[], self: number, parts: number, all: boolean): void {
  for (let k = 0; k < gradIndex.length; k++) {
    const at = gradIndex[k]!;
    const out = slot[k]!;
    own[k] = out;
    if (at < 0) continue;
    const g = grads[at]!;
    if (typeof g === "number") {
      out[0] = g;
      continue;
    }
    own[k] = g;
    if (all) {
      out.set(g);
      continue;
    }
    const n = g.length;
    for (let q = 0; q < parts; q++) {
      if (q === self) continue;
      const lo = Math.floor((n * q) / parts);
      const hi = Math.floor((n * (q + 1)) / parts);
      out.set(g.subarray(lo, hi), lo);
    }
  }
}
