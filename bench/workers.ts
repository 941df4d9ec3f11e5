// `netc train --workers N` against `--workers 1` on workload w3 (784-128-64-10 ReLU, softmax
// cross-entropy, MNIST): training throughput of each, interleaved run by run, and the ratio within
// each run pair; then the median and spread (min–max) over the runs, the CPU time of each (all
// threads: process.cpuUsage; a waiting thread spins a little before it sleeps, and spinning counts),
// and the test accuracy each reaches. Every run compiles its modules afresh and starts from the
// same initial params on the same batches; the first epoch warms up (JIT) and is not timed.
//
// Run (on an idle machine for numbers that mean anything):
//   npm run bench:workers -- [--runs 5] [--epochs 3] [--batch 64] [--workers 2] [--target js|wasm] [--dtype f64|f32]
// (--batch: default w3's, 64, as bench/workloads.ts and the model file have it).
import { readFileSync } from "node:fs";
import { compile, type Target } from "../src/compile.ts";
import { specializer } from "../src/commands/specialize.ts";
import type { Dtype, Tensor } from "../src/runtime/contract.ts";
import { loadDataSource } from "../src/data/source.ts";
import { evaluate } from "../src/runtime/evaluate.ts";
import { bindData } from "../src/runtime/feed.ts";
import { initParams } from "../src/runtime/init.ts";
import { ModuleSet } from "../src/runtime/modules.ts";
import { shareTensors } from "../src/runtime/parallel/index.ts";
import { stepsPerEpoch, train } from "../src/runtime/trainer.ts";
import { workloadById } from "./workloads.ts";

const FILE = workloadById("w3").netFile;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const runs = Number(option("runs", "5"));
const epochs = Math.max(2, Number(option("epochs", "3")));
const batch = Number(option("batch", String(workloadById("w3").batch)));
const workers = Number(option("workers", "2"));
const target = option("target", "js") as Target;
const dtype = option("dtype", "f64") as Dtype;

const source = readFileSync(FILE, "utf8");
const dims = { B: batch };
const { module: first } = await compile(source, { file: FILE, dtype, dims, format: false, target });
const data = loadDataSource("mnist", first.meta.data);
const feed = bindData(first.meta, data.train);
const testFeed = bindData(first.meta, data.test!);
const specialize = specializer(source, FILE, dtype, dims, target);

interface Run {
  exPerSec: number;
  cpuPerStepMs: number;
  accuracy: number;
}

async function once(shards: number): Promise<Run> {
  const module = await specialize("B", batch);
  const modules = new ModuleSet(module, feed.batchDim, specialize);
  const meta = module.meta;
  const fresh = initParams(meta.params, meta.dtype, 1);
  const params: Tensor[] = shards > 1 ? shareTensors(meta.dtype, fresh) : fresh;
  const totalSteps = epochs * stepsPerEpoch(feed, modules.batch);
  let started = 0;
  let cpu = process.cpuUsage();
  let rows = 0;
  await train(
    { modules, feed, params, state: [], startStep: 0, totalSteps, seed: 1, shuffle: true, lr: meta.train.optimizer.lr, schedule: meta.train.schedule, shards },
    {
      onEpochStart(epoch) {
        if (epoch === 1) {
          started = performance.now();
          cpu = process.cpuUsage();
        }
      },
      onStep(info) {
        if (info.epoch >= 1) rows += info.batchSize;
      },
    },
  );
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const test = await evaluate(testFeed, modules, params);
  return { exPerSec: (rows / ms) * 1000, cpuPerStepMs: (used.user + used.system) / 1000 / (rows / batch), accuracy: test.accuracy ?? NaN };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const spread = (xs: number[], digits: number): string => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

console.log(`w3 (${FILE}), B=${batch}, ${dtype}, --target ${target}: ${epochs} epochs of ${feed.n} digits per run (the first not timed), ${runs} runs, --workers 1 and ${workers} interleaved`);
const one: Run[] = [];
const many: Run[] = [];
for (let r = 0; r < runs; r++) {
  const a = await once(1);
  const b = await once(workers);
  one.push(a);
  many.push(b);
  console.log(`run ${r + 1}: ${Math.round(a.exPerSec)} ex/s vs ${Math.round(b.exPerSec)} ex/s: ratio ${(b.exPerSec / a.exPerSec).toFixed(3)}`);
}
const ratios = one.map((a, i) => many[i]!.exPerSec / a.exPerSec);
for (const [name, rs] of [["--workers 1", one], [`--workers ${workers}`, many]] as const) {
  const tput = rs.map((r) => r.exPerSec);
  const cpu = rs.map((r) => r.cpuPerStepMs);
  const acc = rs.map((r) => r.accuracy * 100);
  console.log(
    `${name}: ${Math.round(median(tput))} ex/s (${spread(tput, 0)}), CPU ${median(cpu).toFixed(3)} ms per step (${spread(cpu, 3)}), test accuracy ${median(acc).toFixed(2)}% (${spread(acc, 2)})`,
  );
}
console.log(`throughput ratio --workers ${workers} / --workers 1: median ${median(ratios).toFixed(3)} (${spread(ratios, 3)})`);
