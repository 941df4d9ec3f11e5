// The training loop: minibatches in a per-epoch shuffled order, the scheduled learning rate, one
// call of the module's `step` per batch (the generated code does the optimizer update), and
// stopping cleanly — when asked (SIGINT), or when the loss stops being finite. Dropout is active
// during each step and only then (src/runtime/dropout.ts).
//
// Where training stands is one number, `step` (optimizer steps done): the epoch is
// floor(step / stepsPerEpoch) and the batch within it step % stepsPerEpoch. Each epoch's order is a
// permutation drawn from a stream derived from (seed, epoch), so a run resumed from any step goes on
// exactly as if it had never stopped.
//
// With `shards` above 1 each batch is split over worker threads (parallel/index.ts): the same
// loop, with the step computed by DataParallel instead of the module's own `step`.
import type { ScheduleSpec } from "../train-spec.ts";
import type { StepHyper, Tensor } from "./contract.ts";
import { BatchBuffers, type Feed } from "./feed.ts";
import type { ModuleSet } from "./modules.ts";
import { DataParallel } from "./parallel/index.ts";
import { createRng, permutation } from "./rng.ts";
import { scheduledLr } from "./schedule.ts";
import { clearDropoutMasks, drawDropoutMasks } from "./dropout.ts";

export interface TrainPlan {
  modules: ModuleSet;
  feed: Feed;
  /** Updated in place. */
  params: Tensor[];
  /** Optimizer state, `statePerParam` tensors per param; updated in place. */
  state: Tensor[];
  /** Steps already done (0 for a fresh run). */
  startStep: number;
  /** Train until this many steps are done in all. */
  totalSteps: number;
  seed: number;
  shuffle: boolean;
  lr: number;
  schedule: ScheduleSpec;
  /**
   * Threads each batch is split over (default 1: the module's own `step` on this thread). Above 1,
   * `params` must be in shared memory (parallel/index.ts's sharedTensor) and at most the batch size.
   */
  shards?: number;
}

export interface StepInfo {
  /** Steps done, this one included (1-based). */
  step: number;
  /** The epoch this step belongs to (0-based). */
  epoch: number;
  /** The batch within the epoch (0-based). */
  batch: number;
  batchSize: number;
  loss: number;
  lr: number;
}

export interface EpochInfo {
  /** Epochs completed (1-based). */
  epoch: number;
  step: number;
  /** Mean of the step losses of this epoch seen in this run, weighted by batch size. */
  meanLoss: number;
}

export interface TrainHooks {
  onStep?(info: StepInfo): void;
  onEpochStart?(epoch: number, firstBatch: number): void;
  onEpochEnd?(info: EpochInfo): Promise<void> | void;
  /** Polled after every step; true stops training after that step. */
  shouldStop?(): boolean;
}

export type TrainOutcome =
  | { kind: "done"; step: number }
  | { kind: "stopped"; step: number }
  /** The loss of step `failedStep` was not finite; params and state are back at `step`. */
  | { kind: "diverged"; step: number; failedStep: number; epoch: number; batch: number; loss: number };

export function stepsPerEpoch(feed: Feed, batch: number): number {
  return feed.n === null ? 1 : Math.ceil(feed.n / batch);
}

/** Steps between restore points for a loss that stops being finite. */
export const RESTORE_EVERY = 16;

/** How long the loop may run before letting signals and timers in. */
const YIELD_MS = 20;

export async function train(plan: TrainPlan, hooks: TrainHooks = {}): Promise<TrainOutcome> {
  const { modules, feed } = plan;
  const B = modules.batch;
  const remainder = feed.n === null ? 0 : feed.n % B;
  if ((plan.shards ?? 1) <= 1) {
    // batches are gathered straight into a wasm module's own memory
    const full = new BatchBuffers(feed, modules.main.meta, modules.main.buffers?.data);
    const lastModule = remainder > 0 ? await modules.module(remainder) : null;
    const last = lastModule ? new BatchBuffers(feed, lastModule.meta, lastModule.buffers?.data) : null;
    return loop(plan, hooks, full, last, (isLast, buffers, hyper, rows) => {
      if (rows) buffers.fill(rows.order, rows.from);
      const module = isLast ? lastModule! : modules.main;
      // dropout is active for this step only: masks drawn from the seed and the step (t - 1)
      drawDropoutMasks(module, plan.seed, hyper.t - 1);
      const loss = module.step(plan.params, buffers.tensors, hyper, plan.state);
      clearDropoutMasks(module);
      return loss;
    });
  }
  const pool = await DataParallel.start({ modules, feed, params: plan.params, state: plan.state, threads: plan.shards!, lastRows: remainder, seed: plan.seed });
  try {
    // each thread gathers its own rows of the batch
    return await loop(plan, hooks, pool.full.buffers, pool.last?.buffers ?? null, (isLast, _buffers, hyper, rows) => pool.step(isLast, hyper, rows));
  } finally {
    await pool.close();
  }
}

/** The rows of a batch: order[from …], or from … without an order. */
interface BatchRows {
  order: Uint32Array | null;
  from: number;
}

/** One optimizer step on the batch of `rows` (null: the data has no rows), gathered into `buffers`; returns its loss. */
type Stepper = (isLast: boolean, buffers: BatchBuffers, hyper: StepHyper, rows: BatchRows | null) => number | Promise<number>;

async function loop(plan: TrainPlan, hooks: TrainHooks, full: BatchBuffers, last: BatchBuffers | null, stepOn: Stepper): Promise<TrainOutcome> {
  const { feed, params, state } = plan;
  const B = plan.modules.batch;
  const n = feed.n;
  const spe = stepsPerEpoch(feed, B);

  // Restore points, taken every RESTORE_EVERY steps rather than every step (a copy of every param
  // per step was 6% of a step): `good` is a point whose loss was finite; `pending` is the point
  // taken before the step in progress, promoted (swapped, not copied) once that step's loss, the
  // loss at that point, comes back finite.
  let good = { params: params.map((p) => p.slice()), state: state.map((s) => s.slice()), step: plan.startStep };
  let pending = { params: params.map((p) => p.slice()), state: state.map((s) => s.slice()), step: plan.startStep };

  let step = plan.startStep;
  let order: Uint32Array | null = null;
  let orderEpoch = -1;
  let epochLoss = 0;
  let epochRows = 0;
  let lastYield = performance.now();

  while (step < plan.totalSteps) {
    const epoch = Math.floor(step / spe);
    const batch = step % spe;
    if (orderEpoch !== epoch) {
      order = n !== null && plan.shuffle ? permutation(n, createRng(plan.seed, "shuffle", epoch)) : null;
      orderEpoch = epoch;
      epochLoss = 0;
      epochRows = 0;
      hooks.onEpochStart?.(epoch, batch);
    }
    const isLast = last !== null && batch === spe - 1;
    const buffers = isLast ? last : full;
    const lr = scheduledLr(plan.lr, plan.schedule, epoch);

    const restorePoint = step % RESTORE_EVERY === 0;
    if (restorePoint) {
      for (let i = 0; i < params.length; i++) pending.params[i]!.set(params[i]!);
      for (let i = 0; i < state.length; i++) pending.state[i]!.set(state[i]!);
      pending.step = step;
    }

    const stepped = stepOn(isLast, buffers, { lr, t: step + 1 }, n === null ? null : { order, from: batch * B });
    const loss = typeof stepped === "number" ? stepped : await stepped;
    if (!Number.isFinite(loss)) {
      for (let i = 0; i < params.length; i++) params[i]!.set(good.params[i]!);
      for (let i = 0; i < state.length; i++) state[i]!.set(good.state[i]!);
      return { kind: "diverged", step: good.step, failedStep: step + 1, epoch, batch, loss };
    }
    if (restorePoint) [good, pending] = [pending, good];
    step++;
    epochLoss += loss * buffers.batch;
    epochRows += buffers.batch;
    hooks.onStep?.({ step, epoch, batch, batchSize: buffers.batch, loss, lr });

    if (step % spe === 0) await hooks.onEpochEnd?.({ epoch: epoch + 1, step, meanLoss: epochLoss / epochRows });
    if (step === plan.totalSteps) break;
    if (hooks.shouldStop?.()) return { kind: "stopped", step };
    if (performance.now() - lastYield > YIELD_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = performance.now();
      if (hooks.shouldStop?.()) return { kind: "stopped", step };
    }
  }
  return { kind: "done", step };
}
