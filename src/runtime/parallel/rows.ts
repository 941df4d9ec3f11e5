// Each thread of data-parallel training gathers its own shard's rows of a batch: the calling thread
// writes the batch's row numbers (from the epoch's order) into shared memory, and every thread
// copies its run of them from the data, which lives in shared memory too, into its shard's views of
// the batch buffers. So the batch is gathered by all threads at once, and a worker starts a step the
// moment it hears of it.
//
// The worker threads run this function from its text (worker.ts), so it must stay self-contained.
import type { Tensor } from "../contract.ts";

/**
 * Copies rows rowIndex[start … start + size) of each batch-fed array `sources[s]` (rows of
 * `widths[s]` numbers) into `targets[s]`, row r of the shard at r · width.
 */
export function gatherRows(sources: readonly Float64Array[], widths: readonly number[], targets: readonly Tensor[], rowIndex: Int32Array, start: number, size: number): void {
  for (let s = 0; s < sources.length; s++) {
    const source = sources[s]!;
    const w = widths[s]!;
    const out = targets[s]!;
    for (let r = 0; r < size; r++) {
      const at = rowIndex[start + r]! * w;
      if (w === 1) out[r] = source[at]!;
      else out.set(source.subarray(at, at + w), r * w);
    }
  }
}
