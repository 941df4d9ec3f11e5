// Loss and accuracy of params on a data set, with the model's own forward code.
//
// The data set is run in chunks of up to EVAL_CHUNK rows through modules specialized to the chunk
// size, so for up to EVAL_CHUNK samples the loss is exactly the model's loss on the whole set; for
// more it is the size-weighted mean of the chunks' losses (the same for losses that are means
// over the batch). A model too large to compile at that many rows runs in halved chunks.
// Accuracy is reported when the first target holds one-hot rows (argmax of the output equals the
// argmax of the target) or 0/1 values of width 1 (output ≥ 0.5 counts as 1, seed 003's rule), and
// some output has the target's shape; it is null otherwise.
import type { ForwardResult, GeneratedModule, ModelMeta, Tensor } from "./contract.ts";
import { BatchBuffers, type Feed, type Slot } from "./feed.ts";
import type { ModuleSet } from "./modules.ts";

export const EVAL_CHUNK = 10000;

export interface EvalResult {
  loss: number;
  accuracy: number | null;
  n: number;
}

export type AccuracyRule = { kind: "argmax" | "threshold"; target: number; width: number } | null;

/** Whether (and how) accuracy makes sense for this feed's first target. */
export function accuracyRule(feed: Feed): AccuracyRule {
  const target = feed.slots.findIndex((s) => s.meta.role === "target");
  if (target < 0) return null;
  const slot: Slot = feed.slots[target]!;
  const shape = slot.meta.shape;
  const width = slot.kind === "rows" ? slot.width : shape.length >= 2 ? shape.slice(1).reduce((a, b) => a * b, 1) : 1;
  const data = slot.data;
  if (width >= 2) {
    for (let r = 0; r < data.length; r += width) {
      let ones = 0;
      for (let c = 0; c < width; c++) {
        const v = data[r + c]!;
        if (v === 1) ones++;
        else if (v !== 0) return null;
      }
      if (ones !== 1) return null;
    }
    return { kind: "argmax", target, width };
  }
  for (const v of data) if (v !== 0 && v !== 1) return null;
  return { kind: "threshold", target, width: 1 };
}

/** Number of rows where the output agrees with the target. */
export function countCorrect(rule: NonNullable<AccuracyRule>, out: ArrayLike<number>, target: ArrayLike<number>): number {
  const w = rule.width;
  let correct = 0;
  for (let r = 0; r * w < target.length; r++) {
    if (rule.kind === "threshold") {
      if ((out[r]! >= 0.5 ? 1 : 0) === target[r]) correct++;
      continue;
    }
    let best = 0;
    for (let c = 1; c < w; c++) if (out[r * w + c]! > out[r * w + best]!) best = c;
    if (target[r * w + best] === 1) correct++;
  }
  return correct;
}

/** The output that accuracy compares with the target: the first with the target's shape. */
export function accuracyOutput(meta: ModelMeta, target: number): number {
  const shape = meta.data[target]!.shape;
  return meta.outputs.findIndex((o) => o.shape.length === shape.length && o.shape.every((d, i) => d === shape[i]));
}

export const asArray = (v: number | Tensor): ArrayLike<number> => (typeof v === "number" ? [v] : v);

/** Runs the forward code over a feed's rows in chunks of up to `chunkMax` (or once, for whole data). */
export async function forEachChunk(
  feed: Feed,
  modules: ModuleSet,
  params: readonly Tensor[],
  chunkMax: number,
  visit: (result: ForwardResult, module: GeneratedModule, data: readonly Tensor[], from: number, count: number) => void,
): Promise<void> {
  const n = feed.n ?? 1;
  const chunk = feed.n === null ? 1 : await fittingChunk(modules, Math.min(feed.n, chunkMax));
  const buffers = new Map<number, BatchBuffers>();
  for (let from = 0; from < n; from += chunk) {
    const count = Math.min(chunk, n - from);
    const module = await modules.module(count);
    let b = buffers.get(count);
    if (!b) {
      b = new BatchBuffers(feed, module.meta);
      buffers.set(count, b);
    }
    if (feed.n !== null) b.fill(null, from);
    visit(module.forward(params, b.tensors), module, b.tensors, from, count);
  }
}

/**
 * The largest chunk of rows, halving from `want`, that the model can be compiled for: a model
 * whose tensors grow quickly with the batch (a CNN's activations) is refused as too large at
 * thousands of rows, and is then evaluated in smaller chunks instead.
 */
async function fittingChunk(modules: ModuleSet, want: number): Promise<number> {
  for (let chunk = want; ; chunk = Math.ceil(chunk / 2)) {
    try {
      await modules.module(chunk);
      return chunk;
    } catch (err) {
      const tooLarge = err instanceof Error && /is too large/.test(err.message);
      if (!tooLarge || chunk <= 1) throw err;
      modules.forget(chunk);
    }
  }
}

export async function evaluate(feed: Feed, modules: ModuleSet, params: readonly Tensor[], chunkMax = EVAL_CHUNK): Promise<EvalResult> {
  let rule = accuracyRule(feed);
  const n = feed.n ?? 1;
  let lossSum = 0;
  let correct = 0;
  await forEachChunk(feed, modules, params, chunkMax, (result, module, data, _from, count) => {
    lossSum += result.loss * count;
    if (rule) {
      const o = accuracyOutput(module.meta, rule.target);
      if (o < 0) rule = null;
      else correct += countCorrect(rule, asArray(result.outputs[o]!), data[rule.target]!);
    }
  });
  const rows = feed.n ?? rowsOf(feed, rule);
  return { loss: lossSum / n, accuracy: rule ? correct / rows : null, n: rows };
}

function rowsOf(feed: Feed, rule: AccuracyRule): number {
  if (!rule) return 1;
  return Math.max(1, feed.slots[rule.target]!.data.length / rule.width);
}
