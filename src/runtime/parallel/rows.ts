// Each thread of data-parallel training gathers its own shard's rows of a batch: the calling thread
// writes the batch's row numbers (from the epoch's order) into shared memory, and every thread
// copies its run of them from the data, which lives in shared memory too, into its shard's views of
// the batch buffers. So the batch is gathered by all threads at once, and a worker starts a step the
// moment it hears of it.
//
// The worker threads run these functions from their text (worker.ts), so they must stay self-contained.
import type { GeneratedModule, Tensor } from "../contract.ts";

/**
 * Copies rows rowIndex[start … start + size) of each batch-fed array `sources[s]` (rows of
 * `widths[s]` numbers) into `targets[s]`, row r of the shard at r · width.
 */
export function gatherRows(sources: readonly Tensor[], widths: readonly number[], targets: readonly Tensor[], rowIndex: Int32Array, start: number, size: number): void {
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

/**
 * The data a shard's module computes on when its thread gathers the rows itself, and where it
 * gathers them: a wasm module's own memory for the batch-fed arrays (so no call copies them in),
 * the shared batch buffers' views otherwise (and for the arrays fed whole).
 */
export function gatherTargets(module: GeneratedModule, shared: readonly Tensor[], fedInRows: readonly boolean[]): { data: Tensor[]; targets: Tensor[] } {
  const own = module.buffers?.data;
  const data = shared.map((t, i) => (own && fedInRows[i] ? own[i]! : t));
  return { data, targets: data.filter((_, i) => fedInRows[i]) };
}
