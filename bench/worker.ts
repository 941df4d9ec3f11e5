// One engine on one workload, in a process of its own (so its peak RSS is its own). It loads the
// data, builds the engine from the shared initial params, then obeys its parent (bench/run.ts)
// over IPC: "epoch" trains one epoch and answers its times, "finish" evaluates on the test set
// and answers the result. The parent interleaves the engines epoch by epoch, so a change in the
// machine's load during the run hits every engine alike.
import { loadMnist } from "./lib/data.ts";
import { initialParams } from "./lib/init.ts";
import { EpochRunner, type EpochTime } from "./lib/train-loop.ts";
import { accuracy } from "./lib/evaluate.ts";
import { loadEngine } from "./engines/index.ts";
import { workloadById, type EngineName } from "./workloads.ts";

export interface WorkerSpec {
  workload: string;
  engine: EngineName;
  initSeed: number;
  shuffleSeed: number;
  /** Use only the first `trainLimit` training examples per epoch (for --quick). */
  trainLimit: number;
  /** netc engines: the generated module, compiled to JavaScript by the parent. */
  modulePath?: string;
}

export interface WorkerReady {
  kind: "ready";
  note: string;
  examplesPerEpoch: number;
  setupMs: number;
  /** RSS after loading the data, before the engine's code is loaded (MB). */
  baseRssMB: number;
}

export interface WorkerFinished {
  kind: "finished";
  accuracy: number;
  /** Peak RSS of this process over the whole run (MB). */
  peakRssMB: number;
}

export type WorkerMessage = WorkerReady | ({ kind: "epoch" } & EpochTime) | WorkerFinished | { kind: "error"; message: string };
export type ParentMessage = { cmd: "epoch" } | { cmd: "finish" };

const send = (m: WorkerMessage, then?: () => void) => process.send!(m, undefined, {}, () => then?.());

async function main(spec: WorkerSpec): Promise<void> {
  const w = workloadById(spec.workload);
  const { train, test } = loadMnist();
  const baseRssMB = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  const factory = await loadEngine(spec.engine);
  const engine = await factory(w, initialParams(w, spec.initSeed), { modulePath: spec.modulePath });
  const runner = new EpochRunner(engine, w, train, spec.trainLimit, spec.shuffleSeed);
  send({ kind: "ready", note: engine.note, examplesPerEpoch: runner.examplesPerEpoch, setupMs: performance.now() - t0, baseRssMB });
  process.on("message", async (m: ParentMessage) => {
    try {
      if (m.cmd === "epoch") {
        send({ kind: "epoch", ...(await runner.epoch()) });
      } else {
        const acc = accuracy(w, engine.params(), test);
        await engine.dispose?.();
        send({ kind: "finished", accuracy: acc, peakRssMB: process.resourceUsage().maxRSS / 1024 }, () => process.disconnect());
      }
    } catch (err) {
      send({ kind: "error", message: err instanceof Error ? err.message : String(err) });
    }
  });
}

const spec = JSON.parse(process.argv[2] ?? "") as WorkerSpec;
main(spec).catch((err) => {
  send({ kind: "error", message: `${spec.workload}/${spec.engine}: ${err instanceof Error ? err.message : String(err)}` }, () => process.disconnect());
});
