// How a batch is cut into shards, and how the shards' gradients add up to the batch's.
//
// Shard j of a batch of b rows is a run of consecutive rows; the first b mod n shards get one row
// more, and a batch of fewer rows than shards has one-row shards only. Each shard runs the model
// compiled for its own row count, so a loss that is a mean over the batch comes back as the mean
// over the shard: the batch's gradient is then Σ (b_j / b) · g_j. A loss that is a sum over the
// batch adds up with weight 1. Which of the two a model's loss is (or neither: a term coupling the
// rows, like a batch statistic) is measured, not assumed — see `matches`.
import type { Dtype } from "../contract.ts";

export interface Shards {
  /** Rows in each shard (all at least 1). */
  sizes: number[];
  /** The first row of each shard. */
  starts: number[];
}

export function cutBatch(batch: number, shards: number): Shards {
  const n = Math.min(batch, shards);
  const base = Math.floor(batch / n);
  const extra = batch % n;
  const sizes = Array.from({ length: n }, (_, j) => base + (j < extra ? 1 : 0));
  const starts = sizes.map((_, j) => sizes.slice(0, j).reduce((a, b) => a + b, 0));
  return { sizes, starts };
}

export type Weighting = "mean" | "sum";

export function shardWeights(weighting: Weighting, shards: Shards, batch: number): number[] {
  return shards.sizes.map((s) => (weighting === "mean" ? s / batch : 1));
}

/** How far apart two gradients (and losses) may be, relative to their size, and still agree. */
const TOLERANCE: Record<Dtype, number> = { f64: 1e-9, f32: 1e-4 };

/**
 * Whether the shards' gradients and loss, weighted and summed, agree with the whole batch's
 * (norm-wise, to rounding). `whole` and `summed` list every param's gradient (null: none) and,
 * last, the loss as a one-element array.
 */
export function matches(whole: readonly (ArrayLike<number> | null)[], summed: readonly (ArrayLike<number> | null)[], dtype: Dtype): boolean {
  let diff = 0;
  let norm = 0;
  whole.forEach((a, k) => {
    const b = summed[k];
    if (!a || !b) return;
    for (let i = 0; i < a.length; i++) {
      diff += (a[i]! - b[i]!) ** 2;
      norm += a[i]! ** 2;
    }
  });
  return Number.isFinite(diff) && Math.sqrt(diff) <= TOLERANCE[dtype] * Math.sqrt(norm);
}
