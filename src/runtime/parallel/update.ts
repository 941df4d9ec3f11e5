// The optimizer update of data-parallel training: every param moved by the gradient summed over the
// shards, Σ_j w_j · g_j in shard order (so the same number of shards rounds the same way every run).
// Each thread updates its own part of every param (`part` of `parts`), so the update is split too.
// The rules and their operation order are those the generated `step` fuses into its last loop
// (src/codegen/optimizer.ts):
//   sgd:       W -= lr · g
//   momentum:  v = μ·v + g;  W -= lr · v
//   adam:      m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;  W -= (lr · (m / c1)) / (√(v / c2) + eps)
// with c1 = 1 - β1^t and c2 = 1 - β2^t.
//
// The worker threads run these very functions from their text (worker.ts), so they must stay
// self-contained: no reference to anything outside their parameters.
import type { OptimizerSpec } from "../../train-spec.ts";
import type { StepHyper, Tensor } from "../contract.ts";

/**
 * Updates part `part` of `parts` of every param (and its `perParam` state tensors) in place.
 * `slots[j][k]` is shard j's gradient of param k (empty: the param does not affect the loss), at
 * least this thread's part of it (see `publish`); the first `active` shards count, with `weights`.
 */
export function reduceAndUpdate(
  opt: OptimizerSpec,
  perParam: number,
  params: Tensor[],
  state: Tensor[],
  slots: Tensor[][],
  weights: ArrayLike<number>,
  active: number,
  hyper: StepHyper,
  part: number,
  parts: number,
): void {
  const lr = hyper.lr;
  const w0 = weights[0]!;
  const w1 = active > 1 ? weights[1]! : 0;
  for (let k = 0; k < params.length; k++) {
    if (slots[0]![k]!.length === 0) continue;
    const W = params[k]!;
    const n = W.length;
    const lo = Math.floor((n * part) / parts);
    const hi = Math.floor((n * (part + 1)) / parts);
    const g0 = slots[0]![k]!;
    const g1 = active > 1 ? slots[1]![k]! : g0;
    const gradAt = (i: number): number => {
      let g = w0 * g0[i]!;
      if (active > 1) g += w1 * g1[i]!;
      for (let j = 2; j < active; j++) g += weights[j]! * slots[j]![k]![i]!;
      return g;
    };
    if (opt.kind === "adam") {
      const beta1 = opt.beta1;
      const beta2 = opt.beta2;
      const eps = opt.eps;
      const c1 = 1 - Math.pow(beta1, hyper.t);
      const c2 = 1 - Math.pow(beta2, hyper.t);
      const m = state[k * perParam]!;
      const v = state[k * perParam + 1]!;
      for (let i = lo; i < hi; i++) {
        const gi = gradAt(i);
        m[i] = beta1 * m[i]! + (1 - beta1) * gi;
        v[i] = beta2 * v[i]! + (1 - beta2) * gi * gi;
        W[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
      }
    } else if (perParam === 1) {
      const mu = opt.momentum;
      const v = state[k]!;
      for (let i = lo; i < hi; i++) {
        v[i] = mu * v[i]! + gradAt(i);
        W[i]! -= lr * v[i]!;
      }
    } else {
      for (let i = lo; i < hi; i++) W[i]! -= lr * gradAt(i);
    }
  }
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
