// `npm run bench [-- --quick] [--json FILE]`: netc against TensorFlow.js (CPU and WASM), a C
// reference and a hand-written TypeScript one, in one run. First the compile-time scaling tables, then the gradient
// gate (netc's loss and gradients must match tfjs's on one batch — the only thing that fails the
// run), then every engine trains every workload, each engine in a child process of its own; the
// engines of a workload take turns epoch by epoch (lib/spawn-worker.ts). Options: lib/args.ts.
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { cpus, loadavg, totalmem } from "node:os";
import { gradCheck, type GradCheckRow } from "./lib/gradcheck.ts";
import { parseArgs, type BenchOptions } from "./lib/args.ts";
import { loadMnist } from "./lib/data.ts";
import { isOk, targetResults, targetsTable, workloadTable } from "./lib/report.ts";
import { runEngines, type EngineOutcome as Outcome } from "./lib/spawn-worker.ts";
import type { WorkerSpec } from "./worker.ts";
import { prepareNetc } from "./lib/prepare-netc.ts";
import { fmt, table } from "./lib/table.ts";
import { WORKLOADS, type Workload } from "./workloads.ts";
import { cReferenceMissing } from "./lib/c-reference.ts";

const INIT_SEED = 1;
const SHUFFLE_SEED = 2;
/** --quick trains on this many digits per epoch. */
const QUICK_TRAIN = 1024;

function machine() {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? "unknown", node: process.version, memGB: Math.round(totalmem() / 2 ** 30), platform: `${process.platform} ${process.arch}` };
}

async function scalingSection(opts: BenchOptions) {
  try {
    const s = await import("./compile-scaling.ts");
    const rows = await s.compileScaling(opts.quick);
    const cli = await s.timeCliCompile().catch((e: Error) => {
      console.log(`netc compile examples/mnist_mlp.net failed: ${e.message}`);
      return null;
    });
    console.log(s.printScaling(rows, cli) + "\n");
    return { rows, cli };
  } catch (err) {
    console.log(`compile scaling failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return { error: String(err) };
  }
}

function gradTable(rows: readonly GradCheckRow[]): string {
  return table(
    ["workload", "compared", "loss rel. err", "worst grad rel. err", "tolerance", "ok"],
    rows.map((r) => [r.workload, r.compared, r.lossRelErr.toExponential(1), r.error ? r.error.slice(0, 100) : `${r.worstGradRelErr.toExponential(1)} (${r.worstGrad})`, r.tolerance.toExponential(0), r.ok ? "yes" : "NO"]),
  );
}

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const m = machine();
  const t0 = performance.now();
  const date = new Date().toISOString();
  const loadAtStart = loadavg()[0]!;
  console.log(`netc benchmarks${opts.quick ? " (--quick)" : ""} — ${m.cores} cores (${m.cpu}), ${m.memGB} GB, Node ${m.node}, ${m.platform}`);
  console.log("Absolute numbers vary with the machine and its load; the ratios are the claim.\n");

  const workloads = WORKLOADS.filter((w) => !opts.only || opts.only.includes(w.id));
  const scaling = opts.skipScaling ? null : await scalingSection(opts);

  console.log("Gradient gate: loss and every gradient of one batch at the same params, netc vs TensorFlow.js (CPU, float32)");
  const grads = await gradCheck(workloads, loadMnist().train, INIT_SEED);
  console.log(gradTable(grads) + "\n");
  const gradsOk = grads.every((r) => r.ok);

  const outcomes: Outcome[] = [];
  if (!opts.skipTraining) {
    const allDigits = opts.quick ? QUICK_TRAIN : 8000;
    console.log(
      `Training: 1 warm-up epoch + ${opts.epochs} timed epochs of ${opts.quick ? `the first ${fmt.int(QUICK_TRAIN)}` : "all 8,000"} training digits ` +
        `(fewer where a workload says so: ${workloads.filter((w) => w.trainLimit).map((w) => `${w.id} ${fmt.int((opts.quick ? w.quickTrainLimit : undefined) ?? w.trainLimit!)}`).join(", ") || "none"}), ` +
        `same initial weights (seed ${INIT_SEED}) and batch order (seed ${SHUFFLE_SEED}) for every engine. Each engine runs in its own ` +
        "process (peak RSS is its own; \"RSS over data\" subtracts the RSS after loading MNIST, before the engine's code); the engines of a " +
        "workload (the C reference too) take turns epoch by epoch, so load changes hit all alike. examples/s from the median epoch's wall time; " +
        "test accuracy of the final params on the 2,000 test digits.\n",
    );
    const prepared = await prepareNetc(workloads);
    for (const w of workloads) {
      const trainLimit = Math.min(allDigits, (opts.quick ? w.quickTrainLimit : undefined) ?? w.trainLimit ?? Infinity);
      const engines = w.engines.filter((e) => !opts.engines || opts.engines.includes(e));
      const specs: WorkerSpec[] = [];
      const failed: Outcome[] = [];
      for (const engine of engines) {
        const prep = prepared.get(`${w.id}/${engine}`);
        const noC = engine === "c-reference" ? cReferenceMissing(w) : null;
        if (noC) failed.push({ workload: w.id, engine, error: noC, na: true });
        else if (prep?.error) failed.push({ workload: w.id, engine, error: `compile failed: ${prep.error}` });
        else specs.push({ workload: w.id, engine, initSeed: INIT_SEED, shuffleSeed: SHUFFLE_SEED, trainLimit, modulePath: prep?.path });
      }
      for (const e of opts.extra.filter((e) => e.workload === w.id)) {
        const name = e.path.replace(/^.*\//, "").replace(/\.m?js$/, "");
        specs.push({ workload: w.id, engine: `netc-file:${name}`, initSeed: INIT_SEED, shuffleSeed: SHUFFLE_SEED, trainLimit, modulePath: resolve(e.path) });
      }
      const progress = (s: string) => process.stderr.write(`  ${w.id}: ${s}\n`);
      const ran = await runEngines(specs, 1, opts.epochs, opts.quick ? 120_000 : 600_000, progress);
      const mine = [...ran, ...failed].map((o) => {
        const prep = prepared.get(`${w.id}/${o.engine}`);
        return isOk(o) && prep ? { ...o, note: `${o.note}; compile() ${fmt.fixed(prep.compileMs, 0)} ms` } : o;
      });
      outcomes.push(...mine);
      console.log(`${w.id}: ${w.title}, lr ${w.lr}, ${w.init} init`);
      console.log(workloadTable(w, mine) + "\n");
    }
    const targets = targetResults(workloads, outcomes);
    if (targets.length) console.log("The issue's targets (informational: timings never fail the run)\n" + targetsTable(targets) + "\n");
  }

  const seconds = (performance.now() - t0) / 1000;
  console.log(`total ${fmt.fixed(seconds, 1)} s; gradient gate ${gradsOk ? "passed" : "FAILED"}`);
  if (opts.json) {
    const failed = outcomes.filter((o) => !isOk(o)).length;
    const load = { start: loadAtStart, end: loadavg()[0]! };
    writeFileSync(opts.json, JSON.stringify({ date, machine: m, load, options: opts, seconds, scaling, gradCheck: grads, results: outcomes, targets: targetResults(workloads, outcomes), failedEngines: failed }, null, 2) + "\n");
    console.log(`results written to ${opts.json}`);
  }
  return gradsOk ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
