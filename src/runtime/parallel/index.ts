// Data-parallel training steps over worker threads. Each thread gathers its shard's rows of the
// step's batch into shared memory (rows.ts); shard 0 is computed on the calling thread and shards
// 1 … n-1 on worker threads, each by
// the model compiled for its shard's row count (shards.ts), each copying into its shared slot the
// parts of its gradient the other threads need. Then every thread moves its own part of every param
// with the generated module's `update`, from those gradients summed in shard order (update.ts), so
// the same number of threads gives bit-identical runs. The params (and
// optimizer state) live in shared memory, which every worker reads directly. Threads meet through
// Atomics.wait/notify on shared control words (protocol.ts), never through a message per step. A
// worker that throws, or dies, fails the step with its message; nothing waits forever.
import { Worker } from "node:worker_threads";
import { UsageError } from "../../diagnostics.ts";
import type { Dtype, GeneratedModule, StepHyper, Tensor } from "../contract.ts";
import { BatchBuffers, rowsIn, type Feed } from "../feed.ts";
import { clearDropoutMasks, drawDropoutMasks } from "../dropout.ts";
import { moduleText } from "../load.ts";
import type { ModuleSet } from "../modules.ts";
import { PROTOCOL as P, asleep, controlWords, done, nextSpin, status } from "./protocol.ts";
import { cutBatch, matches, shardWeights, type Shards, type Weighting } from "./shards.ts";
import { publish, restBuffers, updatePart } from "./update.ts";
import { gatherRows, gatherTargets } from "./rows.ts";
import { WORKER_SOURCE, type WorkerData } from "./worker.ts";

export { cutBatch } from "./shards.ts";

/** A tensor in shared memory, which every worker thread sees. */
export function sharedTensor(dtype: Dtype, size: number): Tensor {
  const bytes = dtype === "f32" ? 4 : 8;
  const buffer = new SharedArrayBuffer(size * bytes);
  return dtype === "f32" ? new Float32Array(buffer) : new Float64Array(buffer);
}

/** Copies of `tensors` in shared memory. */
export function shareTensors(dtype: Dtype, tensors: readonly Tensor[]): Tensor[] {
  return tensors.map((t) => {
    const s = sharedTensor(dtype, t.length);
    s.set(t);
    return s;
  });
}

export interface ParallelPlan {
  modules: ModuleSet;
  feed: Feed;
  /** In shared memory (sharedTensor); updated in place. */
  params: Tensor[];
  /** Optimizer state, `statePerParam` tensors per param, in shared memory; updated in place. */
  state: Tensor[];
  /** Threads to split each batch over, the calling one included (at least 2, at most the batch). */
  threads: number;
  /** Rows of the last, partial batch of an epoch (0: every batch is full). */
  lastRows: number;
  /** The run's seed: dropout masks of step s come from createRng(seed, "dropout", s) (dropout.ts). */
  seed: number;
  /** How long a phase may wait for the workers before failing (default 5 minutes). */
  timeoutMs?: number;
}

/** One kind of batch (the full one, or the last partial one): its rows, shards and modules. */
export interface BatchKind {
  cmd: number;
  rows: number;
  buffers: BatchBuffers;
  shards: Shards;
  /** The model compiled for each shard's row count (index 0 runs on this thread). */
  modules: GeneratedModule[];
  /** The data of shard 0: views of `buffers`. */
  data0: Tensor[];
  /** Shard 0's data when this thread gathers its rows, and where it gathers them (rows.ts). */
  gathered0: { data: Tensor[]; targets: Tensor[] };
  /** The model compiled for all `rows` (the reference of the first batch, and whose masks are drawn). */
  whole: GeneratedModule;
  /** Models with dropout: the whole batch's masks, in shared memory, and each shard's rows of them. */
  masks: { whole: Tensor[]; shards: Tensor[][] } | null;
  /** How the shards' gradients add up (null until measured on the first batch of this kind). */
  weights: number[] | null;
}

/** How long the calling thread blocks before it lets the event loop in (to hear of a dead worker). */
const BLOCK_MS = 1000;

export class DataParallel {
  private readonly control: Int32Array;
  private readonly workers: Worker[] = [];
  /** slots[j][k]: shard j's gradient of param k (empty when the loss does not depend on it). */
  private readonly slots: Tensor[][];
  private readonly losses: Float64Array;
  private readonly hyper: Float64Array;
  private readonly errorBytes: Uint8Array[];
  private readonly gradIndex: number[];
  /** What this thread reads in the update: its own gradient for its own part, the slots for the rest. */
  private readonly own: Tensor[] = [];
  private readonly sources: Tensor[][];
  /** With three or more shards: the sum of those after the first, over this thread's part. */
  private readonly rest: Tensor[];
  /** The batch-fed arrays of the data, in shared memory, with their row widths. */
  private readonly rowSources: Tensor[];
  private readonly rowWidths: number[];
  /** The rows of the data that make up this step's batch, in order. */
  private readonly rowIndex: Int32Array;
  private spinLimit: number = P.SPIN;
  private broken: string | null = null;
  private closed = false;

  private constructor(
    private readonly plan: ParallelPlan,
    readonly full: BatchKind,
    readonly last: BatchKind | null,
  ) {
    const meta = plan.modules.main.meta;
    const shared = (bytes: number) => new SharedArrayBuffer(bytes);
    this.control = new Int32Array(shared(4 * controlWords(plan.threads)));
    this.gradIndex = meta.params.map((p) => meta.grads.findIndex((g) => g.of === meta.loss && g.wrt === p.name));
    this.slots = Array.from({ length: plan.threads }, () => meta.params.map((p, k) => sharedTensor(meta.dtype, this.gradIndex[k]! < 0 ? 0 : p.size)));
    this.losses = new Float64Array(shared(8 * plan.threads));
    this.hyper = new Float64Array(shared(8 * (P.HYPER_WEIGHTS + plan.threads)));
    this.errorBytes = Array.from({ length: plan.threads }, () => new Uint8Array(shared(P.ERROR_BYTES)));
    this.sources = this.slots.slice();
    this.sources[0] = this.own;
    this.rest = plan.threads > 2 ? restBuffers(this.slots[0]!) : [];
    const fed = plan.feed.slots.flatMap((slot) => (slot.kind === "rows" ? [slot] : []));
    // in shared memory and in the module's number type, so a gather copies without converting
    this.rowSources = fed.map((slot) => {
      const data = rowsIn(meta.dtype, slot.data);
      if (data.buffer instanceof SharedArrayBuffer) return data;
      const copy = sharedTensor(meta.dtype, data.length);
      copy.set(data);
      return copy;
    });
    this.rowWidths = fed.map((slot) => slot.width);
    this.rowIndex = new Int32Array(shared(4 * plan.modules.batch));
  }

  /** Compiles the shard modules, starts the worker threads and waits until each has loaded its modules. */
  static async start(plan: ParallelPlan): Promise<DataParallel> {
    const { modules, feed } = plan;
    for (const t of [...plan.params, ...plan.state]) {
      if (!(t.buffer instanceof SharedArrayBuffer)) throw new Error("internal: data-parallel training needs its params and state in shared memory");
    }
    const full = await batchKind(P.CMD_FULL, modules, feed, modules.batch, plan.threads);
    const last = plan.lastRows > 0 ? await batchKind(P.CMD_LAST, modules, feed, plan.lastRows, plan.threads) : null;
    const pool = new DataParallel(plan, full, last);
    try {
      await pool.startWorkers();
    } catch (err) {
      await pool.close();
      throw err;
    }
    return pool;
  }

  /**
   * One step on the batch of the data's rows order[from …] (from … without an order), which the
   * threads gather; `rows` null: the batch is already in `full.buffers` (or `last.buffers`).
   * Returns the batch's loss.
   */
  async step(isLast: boolean, hyper: StepHyper, rows: { order: Uint32Array | null; from: number } | null): Promise<number> {
    const kind = isLast ? this.last! : this.full;
    if (rows) {
      const { order, from } = rows;
      for (let r = 0; r < kind.rows; r++) this.rowIndex[r] = order ? order[from + r]! : from + r;
      // the first batch of a kind is also computed whole, here, to see how its shards add up
      if (kind.weights === null) kind.buffers.fill(order, from);
    }
    Atomics.store(this.control, P.GATHER, rows ? 1 : 0);
    // dropout: the whole batch's masks for this step, as one thread draws them; each shard takes its rows
    if (kind.masks) drawDropoutMasks({ ...kind.whole, dropoutMasks: kind.masks.whole }, this.plan.seed, hyper.t - 1);
    const whole = kind.weights === null ? this.wholeBatch(kind) : null;
    const active = kind.shards.sizes.length;

    // Phase 1: every shard's gradient into its slot; shard 0 here, meanwhile.
    Atomics.store(this.control, P.ACTIVE, active);
    Atomics.store(this.control, P.COPY_ALL, whole ? 1 : 0);
    let gen = this.broadcast(kind.cmd);
    const module0 = kind.modules[0]!;
    if (rows) gatherRows(this.rowSources, this.rowWidths, kind.gathered0.targets, this.rowIndex, kind.shards.starts[0]!, kind.shards.sizes[0]!);
    setMasks(module0, kind.masks?.shards[0]);
    const own = module0.gradient(this.plan.params, rows ? kind.gathered0.data : kind.data0);
    publish(own.grads, this.gradIndex, this.slots[0]!, this.own, 0, this.plan.threads, whole !== null);
    this.losses[0] = own.loss;
    // this thread's modules also evaluate: dropout must be the identity outside a step
    clearDropoutMasks(module0);
    await this.collect(gen);

    if (whole) kind.weights = this.weighting(kind, whole);
    const weights = kind.weights!;
    let loss = 0;
    for (let j = 0; j < active; j++) loss += weights[j]! * this.losses[j]!;

    // Phase 2: the update, each thread its part.
    this.hyper[P.HYPER_LR] = hyper.lr;
    this.hyper[P.HYPER_T] = hyper.t;
    this.hyper.set(weights, P.HYPER_WEIGHTS);
    gen = this.broadcast(P.CMD_UPDATE);
    updatePart(this.plan.modules.main, this.plan.params, this.plan.state, this.sources, this.rest, weights, active, hyper, 0, this.plan.threads);
    await this.collect(gen);
    return loss;
  }

  /** Stops and ends every worker thread (safe to call twice). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.broadcast(P.CMD_STOP);
    // ref'd again: an unref'd worker's exit would not keep the process alive until terminate() resolves
    await Promise.all(
      this.workers.map((w) => {
        w.ref();
        return w.terminate();
      }),
    );
  }

  /** Starts a generation with command `cmd`; returns its number. */
  private broadcast(cmd: number): number {
    Atomics.store(this.control, P.CMD, cmd);
    const gen = Atomics.add(this.control, P.GEN, 1) + 1;
    for (let j = 1; j < this.plan.threads; j++) {
      if (Atomics.load(this.control, asleep(j)) !== 0) {
        Atomics.notify(this.control, P.GEN);
        break;
      }
    }
    return gen;
  }

  private async startWorkers(): Promise<void> {
    const meta = this.plan.modules.main.meta;
    const ready: Promise<void>[] = [];
    for (let j = 1; j < this.plan.threads; j++) {
      const kinds = [this.full, this.last];
      const texts = kinds.map((k) => {
        const m = k?.modules[j];
        if (!m) return null;
        const text = moduleText(m);
        if (text === null) throw new Error("internal: a shard's module has no JavaScript text to load in a worker thread");
        return text;
      });
      const workerData: WorkerData = {
        control: this.control,
        shard: j,
        threads: this.plan.threads,
        texts,
        data: kinds.map((k) => (k && j < k.shards.sizes.length ? shardData(k, j) : null)),
        fedInRows: this.plan.feed.slots.map((slot) => slot.kind === "rows"),
        rowStarts: kinds.map((k) => (k && j < k.shards.sizes.length ? k.shards.starts[j]! : 0)),
        rowSizes: kinds.map((k) => (k && j < k.shards.sizes.length ? k.shards.sizes[j]! : 0)),
        rowSources: this.rowSources,
        rowWidths: this.rowWidths,
        rowIndex: this.rowIndex,
        masks: kinds.map((k) => (k && j < k.shards.sizes.length ? (k.masks?.shards[j] ?? null) : null)),
        params: this.plan.params,
        state: this.plan.state,
        slots: this.slots,
        gradIndex: this.gradIndex,
        losses: this.losses,
        hyper: this.hyper,
        errorBytes: this.errorBytes[j]!,
        doneAt: done(j),
        statusAt: status(j),
        asleepAt: asleep(j),
      };
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
      this.workers.push(worker);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.once("message", (m) => (m === "ready" ? resolve() : reject(new Error(this.failure(j)))));
          worker.once("error", (err) => reject(new Error(`worker thread ${j} failed while loading: ${err.message}`)));
          worker.once("exit", (code) => reject(new Error(`worker thread ${j} exited (status ${code}) while loading`)));
        }),
      );
      worker.on("error", (err) => (this.broken ??= `worker thread ${j} failed: ${err.message}`));
      worker.on("message", (m) => {
        if (m === "failed") this.broken ??= this.failure(j);
      });
      worker.on("exit", (code) => {
        if (!this.closed) this.broken ??= `worker thread ${j} exited unexpectedly (status ${code})`;
      });
    }
    await Promise.all(ready);
    // From here on a worker must not keep the process alive by itself (close() ends them anyway).
    for (const w of this.workers) w.unref();
  }

  private failure(j: number): string {
    const bytes = this.errorBytes[j]!;
    const end = bytes.indexOf(0);
    const text = new TextDecoder().decode(bytes.slice(0, end < 0 ? bytes.length : end));
    return `worker thread ${j} of ${this.plan.threads} failed: ${text || "no message"}`;
  }

  /** Waits until every worker has finished generation `gen`; throws a worker's failure. */
  private async collect(gen: number): Promise<void> {
    const started = performance.now();
    const timeout = this.plan.timeoutMs ?? 300_000;
    for (let j = 1; j < this.plan.threads; j++) {
      const at = done(j);
      const waiting = performance.now();
      let spun = 0;
      while (spun < this.spinLimit && Atomics.load(this.control, at) !== gen) spun++;
      for (;;) {
        const seen = Atomics.load(this.control, at);
        if (seen === gen) break;
        if (Atomics.load(this.control, status(j)) !== 0) throw new Error(this.failure(j));
        const waited = performance.now() - started;
        if (this.broken) throw new Error(this.broken);
        if (waited > timeout) throw new Error(`worker thread ${j} of ${this.plan.threads} did not finish within ${Math.round(timeout / 1000)} s`);
        if (waited < BLOCK_MS) {
          Atomics.store(this.control, P.MAIN_ASLEEP, 1);
          Atomics.wait(this.control, at, seen, Math.min(BLOCK_MS, timeout) - waited);
          Atomics.store(this.control, P.MAIN_ASLEEP, 0);
        } else await new Promise((resolve) => setTimeout(resolve, 5));
      }
      this.spinLimit = nextSpin(this.spinLimit, performance.now() - waiting < P.LONG_WAIT_MS, P.SPIN);
      if (Atomics.load(this.control, status(j)) !== 0) throw new Error(this.failure(j));
    }
  }

  /** The whole batch's gradients and loss from the model compiled for all its rows (copied). */
  private wholeBatch(kind: BatchKind): (Float64Array | null)[] {
    setMasks(kind.whole, kind.masks?.whole);
    const r = kind.whole.gradient(this.plan.params, kind.buffers.tensors);
    const grads = this.gradIndex.map((at) => (at < 0 ? null : Float64Array.from(toArray(r.grads[at]!))));
    clearDropoutMasks(kind.whole);
    return [...grads, Float64Array.of(r.loss)];
  }

  /** Which weighting makes the shards (in the slots) add up to the whole batch; a UsageError when neither does. */
  private weighting(kind: BatchKind, whole: (Float64Array | null)[]): number[] {
    const meta = this.plan.modules.main.meta;
    const active = kind.shards.sizes.length;
    for (const w of ["mean", "sum"] as Weighting[]) {
      const weights = shardWeights(w, kind.shards, kind.rows);
      const summed = this.gradIndex.map((at, k) => {
        if (at < 0) return null;
        const acc = new Float64Array(this.slots[0]![k]!.length);
        for (let j = 0; j < active; j++) {
          const g = this.slots[j]![k]!;
          for (let i = 0; i < acc.length; i++) acc[i]! += weights[j]! * g[i]!;
        }
        return acc;
      });
      let loss = 0;
      for (let j = 0; j < active; j++) loss += weights[j]! * this.losses[j]!;
      if (matches(whole, [...summed, Float64Array.of(loss)], meta.dtype)) return weights;
    }
    throw new UsageError(
      `the loss ${meta.loss} of ${meta.name} is neither a mean nor a sum over ${this.plan.feed.batchDim} of one term per example ` +
        `(the gradients of ${active} parts of a batch of ${kind.rows} do not add up to the whole batch's), so a batch cannot be split across threads`,
      { kind: "workers", value: this.plan.threads },
    );
  }
}

function toArray(g: number | Tensor): ArrayLike<number> {
  return typeof g === "number" ? [g] : g;
}

/** The data of shard j: its rows of each batch-fed tensor, and every tensor fed whole. */
function shardData(kind: Pick<BatchKind, "buffers" | "shards">, j: number): Tensor[] {
  const start = kind.shards.starts[j]!;
  const size = kind.shards.sizes[j]!;
  return kind.buffers.feed.slots.map((slot, i) => {
    const t = kind.buffers.tensors[i]!;
    return slot.kind === "rows" ? t.subarray(start * slot.width, (start + size) * slot.width) : t;
  });
}

async function batchKind(cmd: number, modules: ModuleSet, feed: Feed, rows: number, threads: number): Promise<BatchKind> {
  const whole = await modules.module(rows);
  const meta = whole.meta;
  const into = meta.data.map((d) => sharedTensor(meta.dtype, d.size));
  const buffers = new BatchBuffers(feed, meta, into);
  const cut = cutBatch(rows, threads);
  const shardModules = await Promise.all(cut.sizes.map((s) => modules.module(s)));
  for (const m of shardModules) checkSameParams(modules.main, m, feed.batchDim!, threads);
  const masks = meta.dropout ? shardMasks(whole, cut, shardModules, threads) : null;
  const data0 = shardData({ buffers, shards: cut }, 0);
  const gathered0 = gatherTargets(shardModules[0]!, data0, feed.slots.map((slot) => slot.kind === "rows"));
  const kind: BatchKind = { cmd, rows, buffers, shards: cut, modules: shardModules, data0, gathered0, whole, masks, weights: cut.sizes.length === 1 ? [1] : null };
  return kind;
}

/**
 * The whole batch's dropout masks in shared memory, and each shard's rows of them: a mask along the
 * batch dimension (its first) is cut like the batch; one that does not depend on the batch is shared.
 */
function shardMasks(whole: GeneratedModule, cut: Shards, shards: GeneratedModule[], threads: number): { whole: Tensor[]; shards: Tensor[][] } {
  const sites = whole.meta.dropout!;
  const rows = cut.sizes.reduce((a, b) => a + b, 0);
  const masks = sites.map((d) => sharedTensor(whole.meta.dtype, d.size));
  const views = shards.map((m, j) =>
    sites.map((d, i) => {
      const size = m.meta.dropout![i]!.size;
      if (size === d.size) return masks[i]!;
      const perRow = d.size / rows;
      if (d.shape[0] !== rows || size !== perRow * cut.sizes[j]!) {
        throw new UsageError(`the dropout mask [${d.shape.join(", ")}] of ${whole.meta.name} is not cut along the batch dimension (its first), so a batch cannot be split across threads`, {
          kind: "workers",
          value: threads,
        });
      }
      return masks[i]!.subarray(cut.starts[j]! * perRow, (cut.starts[j]! + cut.sizes[j]!) * perRow);
    }),
  );
  return { whole: masks, shards: views };
}

/** Copies `masks` into the module's dropout masks (nothing without dropout). */
function setMasks(module: GeneratedModule, masks: readonly Tensor[] | undefined): void {
  if (!masks || !module.dropoutMasks) return;
  module.dropoutMasks.forEach((m, i) => m.set(masks[i]!));
}

/** A shard's module must take the same params: a param whose shape uses the batch dimension cannot be split. */
function checkSameParams(main: GeneratedModule, shard: GeneratedModule, batchDim: string, threads: number): void {
  shard.meta.params.forEach((p, k) => {
    const q = main.meta.params[k]!;
    if (p.size !== q.size) {
      throw new UsageError(`param ${q.name} of ${main.meta.name} has a shape that depends on ${batchDim}, so a batch cannot be split across threads`, {
        kind: "workers",
        value: threads,
      });
    }
  });
}
