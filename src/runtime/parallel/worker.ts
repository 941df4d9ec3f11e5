// The program each worker thread of data-parallel training runs. It is started from text
// (`new Worker(WORKER_SOURCE, { eval: true })`), so it needs no file of its own beside the sources
// or the bundle: the text is `workerMain`, `updatePart`, `restBuffers` and `publish` (update.ts), `gatherRows`
// (rows.ts) and `nextSpin` (protocol.ts) as written, which keeps them type-checked and in one place. All of them
// must therefore stay self-contained (nothing referenced from outside their parameters).
//
// A worker imports its own instances of the generated modules from their text, says it is ready,
// then loops: wait on GEN; for a gradient command, compute the gradient of its shard (rows already
// in shared memory) at the shared params and publish it (the parts of it other threads update)
// and the loss in its slots; for the update, move its part of every param with the generated
// module's `update` from the shards' gradients; then store the
// generation in done(j) (and notify, if the main thread sleeps). An exception is written to the
// error bytes and flagged in status(j), so the main thread reports it instead of waiting forever.
import type { MessagePort } from "node:worker_threads";
import type { GeneratedModule, Tensor } from "../contract.ts";
import { PROTOCOL, type Protocol } from "./protocol.ts";
import { publish, restBuffers, updatePart } from "./update.ts";
import { gatherRows, gatherTargets } from "./rows.ts";
import { nextSpin } from "./protocol.ts";

export interface WorkerData {
  control: Int32Array;
  /** This worker's shard (and part of the update): 1 … threads - 1; the main thread is 0. */
  shard: number;
  threads: number;
  /** The module for this shard of a full batch and of the last partial batch (null: none). */
  texts: (string | null)[];
  /** This shard's data for a full batch and for the last batch (null: no rows for it). */
  data: (Tensor[] | null)[];
  /** Which of the data are fed in rows (which this thread gathers, rows.ts), in `meta.data` order. */
  fedInRows: boolean[];
  /** This shard's first row and row count in a full batch and in the last batch. */
  rowStarts: number[];
  rowSizes: number[];
  rowSources: Tensor[];
  rowWidths: number[];
  /** The step's batch: rows of the data, written by the main thread. */
  rowIndex: Int32Array;
  /** Models with dropout: this shard's rows of the step's masks, for a full and the last batch. */
  masks: (Tensor[] | null)[];
  params: Tensor[];
  state: Tensor[];
  /** slots[j][k]: shard j's gradient of param k; empty for a param the loss does not depend on. */
  slots: Tensor[][];
  /** For each param, where the module's `gradient` lists its gradient (-1: none). */
  gradIndex: number[];
  losses: Float64Array;
  hyper: Float64Array;
  errorBytes: Uint8Array;
  /** This worker's done, status and asleep words in `control` (protocol.ts). */
  doneAt: number;
  statusAt: number;
  asleepAt: number;
}

type Load = (text: string) => Promise<GeneratedModule>;

export function workerMain(
  wd: WorkerData,
  port: MessagePort,
  load: Load,
  updateOwnPart: typeof updatePart,
  buffers: typeof restBuffers,
  gather: typeof gatherRows,
  targetsOf: typeof gatherTargets,
  share: typeof publish,
  adapt: typeof nextSpin,
  P: Protocol,
): void {
  const { doneAt, statusAt, asleepAt } = wd;
  // what this thread reads in the update: its own gradient for its own part, the slots for the rest
  const own: Tensor[] = [];
  const sources = wd.slots.slice();
  sources[wd.shard] = own;
  const rest = wd.threads > 2 ? buffers(wd.slots[wd.shard]!) : [];
  // the update's lr and step count and the shards' weights, as the main thread writes them each step
  const hyper = { lr: 0, t: 0 };
  const weights = wd.hyper.subarray(P.HYPER_WEIGHTS);
  const fail = (err: unknown): void => {
    const text = err instanceof Error ? err.message : String(err);
    wd.errorBytes.fill(0);
    wd.errorBytes.set(new TextEncoder().encode(text).subarray(0, P.ERROR_BYTES));
    Atomics.store(wd.control, statusAt, 1);
  };
  const gradient = (module: GeneratedModule, data: Tensor[], masks: Tensor[] | null): void => {
    // this thread's modules only ever train, so their masks need no clearing after the step
    if (masks && module.dropoutMasks) for (let i = 0; i < masks.length; i++) module.dropoutMasks[i]!.set(masks[i]!);
    const result = module.gradient(wd.params, data);
    share(result.grads, wd.gradIndex, wd.slots[wd.shard]!, own, wd.shard, wd.threads, Atomics.load(wd.control, P.COPY_ALL) === 1);
    wd.losses[wd.shard] = result.loss;
  };
  const run = async (): Promise<void> => {
    const modules: (GeneratedModule | null)[] = [];
    for (const text of wd.texts) modules.push(text === null ? null : await load(text));
    // any of this thread's modules updates: they differ only in their batch's rows
    const updater = modules.find((m) => m !== null)!;
    const gathered = modules.map((m, k) => (m && wd.data[k] ? targetsOf(m, wd.data[k]!, wd.fedInRows) : null));
    // read before saying ready: the first generation may start the moment the main thread hears it
    let gen = Atomics.load(wd.control, P.GEN);
    let spinLimit: number = P.SPIN;
    port.postMessage("ready");
    for (;;) {
      const waiting = performance.now();
      let spun = 0;
      while (spun < spinLimit && Atomics.load(wd.control, P.GEN) === gen) spun++;
      if (Atomics.load(wd.control, P.GEN) === gen) {
        Atomics.store(wd.control, asleepAt, 1);
        Atomics.wait(wd.control, P.GEN, gen);
        Atomics.store(wd.control, asleepAt, 0);
      }
      spinLimit = adapt(spinLimit, performance.now() - waiting < P.LONG_WAIT_MS, P.SPIN);
      gen = Atomics.load(wd.control, P.GEN);
      const cmd = Atomics.load(wd.control, P.CMD);
      if (cmd === P.CMD_STOP) return;
      try {
        if (Atomics.load(wd.control, statusAt) !== 0) {
          // failed before: only report the generation done, so the main thread sees the failure
        } else if (cmd === P.CMD_UPDATE) {
          hyper.lr = wd.hyper[P.HYPER_LR]!;
          hyper.t = wd.hyper[P.HYPER_T]!;
          updateOwnPart(updater, wd.params, wd.state, sources, rest, weights, Atomics.load(wd.control, P.ACTIVE), hyper, wd.shard, wd.threads);
        } else {
          const module = modules[cmd];
          const data = wd.data[cmd];
          const own = gathered[cmd];
          if (module && data && own) {
            if (Atomics.load(wd.control, P.GATHER) === 1) {
              gather(wd.rowSources, wd.rowWidths, own.targets, wd.rowIndex, wd.rowStarts[cmd]!, wd.rowSizes[cmd]!);
              gradient(module, own.data, wd.masks[cmd] ?? null);
            } else gradient(module, data, wd.masks[cmd] ?? null);
          }
        }
      } catch (err) {
        fail(err);
      }
      Atomics.store(wd.control, doneAt, gen);
      if (Atomics.load(wd.control, P.MAIN_ASLEEP) !== 0) Atomics.notify(wd.control, doneAt);
    }
  };
  run().catch((err: unknown) => {
    fail(err);
    port.postMessage("failed");
  });
}

/**
 * The worker's program as text: workerMain called with its data, port, a module loader and the
 * reduction's functions. `__name` is what esbuild's keepNames (tsx, vitest) wraps named functions in.
 */
export const WORKER_SOURCE = `"use strict";
var __name = (f) => f;
const { workerData, parentPort } = require("node:worker_threads");
const load = (text) => import("data:text/javascript;base64," + Buffer.from(text).toString("base64"));
(${workerMain.toString()})(workerData, parentPort, load, ${updatePart.toString()}, ${restBuffers.toString()}, ${gatherRows.toString()}, ${gatherTargets.toString()}, ${publish.toString()}, ${nextSpin.toString()}, ${JSON.stringify(PROTOCOL)});
`;
