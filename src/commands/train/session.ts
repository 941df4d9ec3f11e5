// One `netc train` run, start to finish: resolve the settings (flags over the train block), bind
// the data, start from fresh or saved params, run the loop with progress, evaluate, save, plot.
// Printing goes through a Reporter; exit statuses are the command's business (src/commands/train/index.ts).
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../diagnostics.ts";
import type { OptimizerSpec, ScheduleSpec } from "../../train-spec.ts";
import type { GeneratedModule, Tensor } from "../../runtime/contract.ts";
import type { DataSplit } from "../../runtime/dataset.ts";
import { decisionGrid } from "./decision.ts";
import { accuracyRule, evaluate, type EvalResult } from "../../runtime/evaluate.ts";
import { bindData, type Feed } from "../../runtime/feed.ts";
import { fmtCount, fmtNum, fmtPercent, fmtSeconds, plural } from "../format.ts";
import { initParams } from "../../runtime/init.ts";
import { ModuleSet, type Specialize } from "../../runtime/modules.ts";
import { shareTensors } from "../../runtime/parallel/index.ts";
import { saveParams, writeFileAtomic, type SavedRun } from "../params-file.ts";
import { decisionSvg, lossChart, lossSvg } from "./plot.ts";
import type { Reporter } from "./progress.ts";
import { allocTensor } from "../../runtime/tensors.ts";
import { stepsPerEpoch, train, type StepInfo, type TrainOutcome } from "../../runtime/trainer.ts";

export interface TrainRequest {
  module: GeneratedModule;
  /** Compiles the model again with another batch size (last partial batch, evaluation). */
  specialize: Specialize;
  data: DataSplit | null;
  epochs?: number;
  steps?: number;
  lr?: number;
  seed?: number;
  resume?: { file: string; saved: SavedRun } | null;
  /** Where the params go (at the end, at checkpoints, when stopped). */
  out: string;
  checkpointEvery?: number;
  plotDir?: string;
  quiet?: boolean;
  reporter: Reporter;
  shouldStop?: () => boolean;
  /** `--workers`: threads each batch is split over (default 1). */
  workers?: number;
  /** Called after every step with the updated params (tests read seed 000's table from it). */
  onStep?: (info: StepInfo, params: readonly Tensor[]) => void;
}

export interface TrainResult {
  outcome: TrainOutcome;
  params: Tensor[];
  state: Tensor[];
  /** Loss and accuracy at the end, on the training data and the held-out data (mnist). */
  final: { train: EvalResult; test: EvalResult | null } | null;
  stepLosses: number[];
  epochLosses: { step: number; loss: number }[];
  totalSteps: number;
  stepsPerEpoch: number;
  files: string[];
}

export function describeOptimizer(opt: OptimizerSpec, lr: number, schedule: ScheduleSpec): string {
  const o = opt.kind === "adam"
    ? `adam(lr=${lr}, beta1=${opt.beta1}, beta2=${opt.beta2}, eps=${opt.eps})`
    : opt.momentum !== 0 ? `sgd(lr=${lr}, momentum=${opt.momentum})` : `sgd(lr=${lr})`;
  const s = schedule.kind === "step" ? `, schedule step(every=${schedule.every}, factor=${schedule.factor})`
    : schedule.kind === "exponential" ? `, schedule exponential(rate=${schedule.rate})` : "";
  return o + s;
}

export async function runTraining(req: TrainRequest): Promise<TrainResult> {
  const { module, reporter } = req;
  const meta = module.meta;
  const cfg = meta.train;
  if (req.epochs !== undefined && req.steps !== undefined) throw new UsageError("give --epochs or --steps, not both");

  const feed: Feed = bindData(meta, req.data?.train ?? null);
  const testFeed: Feed | null = req.data?.test ? bindData(meta, req.data.test) : null;
  const modules = new ModuleSet(module, feed.batchDim, req.specialize);
  const spe = stepsPerEpoch(feed, modules.batch);
  const stepMode = req.steps !== undefined || (req.epochs === undefined && cfg.steps !== null);
  const totalSteps = req.steps ?? (req.epochs !== undefined ? req.epochs * spe : cfg.steps ?? (cfg.epochs ?? 1) * spe);
  const totalEpochs = Math.ceil(totalSteps / spe);
  const seed = req.seed ?? req.resume?.saved.seed ?? cfg.seed;
  const lr = req.lr ?? cfg.optimizer.lr;

  // Params and optimizer state: fresh from the initializers, or as saved.
  const saved = req.resume?.saved ?? null;
  const nState = meta.statePerParam * meta.params.length;
  const shards = threadCount(req.workers ?? 1, feed, modules.batch, reporter);
  const { params, state } = (shards > 1 ? inShared : inModule)(
    modules,
    saved ? saved.params : initParams(meta.params, meta.dtype, seed),
    saved?.state ?? Array.from({ length: nState }, (_, i) => allocTensor(meta.dtype, meta.params[Math.floor(i / Math.max(1, meta.statePerParam))]!.size)),
  );
  const startStep = Math.min(saved?.step ?? 0, totalSteps);
  if (saved && req.resume && saved.step >= totalSteps) {
    // Nothing to train: say so, and leave the file alone (rewriting it would move its step back).
    reporter.line(
      `already trained: ${req.resume.file} is at step ${saved.step}, and this run ends at step ${totalSteps}; nothing to do (ask for more with --steps or --epochs)`,
    );
    return { outcome: { kind: "done", step: saved.step }, params, state, final: null, stepLosses: [], epochLosses: [], totalSteps, stepsPerEpoch: spe, files: [] };
  }

  const scalarParams = meta.params.length > 0 && meta.params.length <= 6 && meta.params.every((p) => p.shape.length === 0) ? meta.params.map((p) => p.name) : null;
  const nValues = meta.params.reduce((s, p) => s + p.size, 0);
  const save = (step: number) =>
    saveParams(req.out, { meta, params, state, step, stepsPerEpoch: spe, seed, lr });

  // The header.
  const dataText = feed.n === null
    ? `on ${feed.origin}`
    : `on ${feed.origin}: ${plural(feed.n, "example")}, batches of ${modules.batch}${spe > 1 ? ` (${fmtCount(spe)} steps per epoch)` : ""}`;
  const length = stepMode ? plural(totalSteps, "step") : plural(totalEpochs, "epoch");
  if (!req.quiet) {
    const threads = shards > 1 ? ` on ${shards} threads` : "";
    reporter.line(`training ${meta.name} ${dataText}${threads}, ${length}; ${plural(nValues, "parameter")}; ${describeOptimizer(cfg.optimizer, lr, cfg.schedule)}; seed ${seed}`);
    if (req.resume) reporter.line(`resuming from ${req.resume.file} at epoch ${Math.floor(startStep / spe) + 1}, step ${startStep}${saved?.state || nState === 0 ? "" : " (no optimizer state saved: starting it from zero)"}`);
    if (feed.n !== null && feed.n % modules.batch !== 0) {
      reporter.line(`the last batch of each epoch has ${feed.n % modules.batch} examples (a module compiled with ${feed.batchDim}=${feed.n % modules.batch})`);
    }
  }
  reporter.begin({ totalSteps, startStep, stepsPerEpoch: spe, totalEpochs, stepMode, scalarParams });

  const stepLosses: number[] = [];
  const epochLosses: { step: number; loss: number }[] = [];
  const perEpochEval = spe > 1;
  const trainRule = accuracyRule(feed);
  let epochStarted = performance.now();
  let epochExamples = 0;
  const started = performance.now();

  const outcome = await train(
    { modules, feed, params, state, startStep, totalSteps, seed, shuffle: cfg.shuffle, lr, schedule: cfg.schedule, shards },
    {
      onEpochStart(epoch, firstBatch) {
        epochStarted = performance.now();
        epochExamples = 0;
        reporter.epochStart(epoch, firstBatch);
      },
      onStep(info) {
        stepLosses.push(info.loss);
        epochExamples += info.batchSize;
        reporter.step(info, params);
        req.onStep?.(info, params);
      },
      async onEpochEnd(info) {
        epochLosses.push({ step: info.step, loss: info.meanLoss });
        const ms = performance.now() - epochStarted;
        if (perEpochEval && !req.quiet && reporter.showsEpoch(info.epoch)) {
          const trainEval = trainRule ? await evaluate(feed, modules, params) : null;
          const testEval = testFeed ? await evaluate(testFeed, modules, params) : null;
          reporter.epochEnd({ epoch: info.epoch, totalEpochs, loss: info.meanLoss, train: trainEval, test: testEval, ms, examples: epochExamples });
        }
        if (req.checkpointEvery && info.epoch % req.checkpointEvery === 0 && info.step < totalSteps) {
          save(info.step);
          if (!req.quiet) reporter.line(`saved checkpoint (epoch ${info.epoch}) to ${req.out}`);
        }
      },
      shouldStop: req.shouldStop,
    },
  );
  reporter.stop();
  const elapsed = performance.now() - started;

  save(outcome.step);
  const files = [req.out];
  let final: TrainResult["final"] = null;

  if (outcome.kind === "done") {
    const finalTrain = await evaluate(feed, modules, params);
    const finalTest = testFeed ? await evaluate(testFeed, modules, params) : null;
    final = { train: finalTrain, test: finalTest };
    const done = outcome.step - startStep;
    const what = stepMode ? plural(done, "step") : spe === 1 ? plural(done, "epoch") : `${plural(Math.ceil(done / spe), "epoch")} (${plural(done, "step")})`;
    const parts = [`trained ${what} in ${fmtSeconds(elapsed)}: loss ${fmtNum(finalTrain.loss)}`];
    if (finalTrain.accuracy !== null) parts.push(`accuracy ${fmtPercent(finalTrain.accuracy)} on ${plural(finalTrain.n, "training example")}`);
    if (finalTest) {
      parts.push(`test loss ${fmtNum(finalTest.loss)}`);
      if (finalTest.accuracy !== null) parts.push(`test accuracy ${fmtPercent(finalTest.accuracy)} on ${plural(finalTest.n, "test example")}`);
    }
    if (scalarParams) parts.push(scalarParams.map((name, i) => `${name} = ${params[i]![0]}`).join(", "));
    reporter.line(parts.join(", "));
    if (!req.quiet) {
      const chart = lossChart(spe > 1 && epochLosses.length >= 2 ? epochLosses.map((e) => e.loss) : stepLosses);
      if (chart) reporter.line(`loss per ${spe > 1 && epochLosses.length >= 2 ? "epoch" : "step"}:\n${chart}`);
    }
  }

  if (req.plotDir && stepLosses.length > 0) {
    const lossFile = join(req.plotDir, "loss.svg");
    writeFileAtomic(lossFile, lossSvg(stepLosses, spe > 1 ? epochLosses : [], `${meta.name}: training loss`));
    files.push(lossFile);
    const decision = await decisionGrid(modules, params, feed);
    if (decision) {
      const file = join(req.plotDir, "decision.svg");
      writeFileAtomic(file, decisionSvg(decision.grid, decision.points, `${meta.name}: decision boundary (output ≥ 0.5 green)`));
      files.push(file);
    }
    reporter.line(`wrote ${files.slice(1).join(" and ")}`);
  }
  if (outcome.kind !== "diverged") reporter.line(`saved parameters to ${req.out}`);

  return { outcome, params, state, final, stepLosses, epochLosses, totalSteps, stepsPerEpoch: spe, files };
}

/**
 * How many threads split each batch: `--workers` as asked, but no more than the batch has rows,
 * and 1 when no data comes in batches; each change is said. More workers than the machine runs at
 * once are kept (the result depends only on their number) but noted, since they only slow training.
 */
function threadCount(workers: number, feed: Feed, batch: number, reporter: Reporter): number {
  if (workers <= 1) return 1;
  if (feed.batchDim === null || feed.n === null) {
    reporter.line(`--workers ${workers}: the model takes no data in batches, so there is nothing to split; training on one thread`);
    return 1;
  }
  const threads = Math.min(workers, batch);
  if (threads < workers) reporter.line(`--workers ${workers}: a batch has ${plural(batch, "example")}, so at most ${batch} threads can share it; using ${batch}`);
  const cores = availableParallelism();
  if (threads > cores) reporter.line(`--workers ${workers}: this machine runs ${plural(cores, "thread")} at once, so ${threads} threads only slow training (results depend on the number of threads, not on the machine)`);
  return threads;
}

/** The params and state in shared memory, which worker threads read and the update writes. */
function inShared(modules: ModuleSet, params: Tensor[], state: Tensor[]): { params: Tensor[]; state: Tensor[] } {
  const dtype = modules.main.meta.dtype;
  return { params: shareTensors(dtype, params), state: shareTensors(dtype, state) };
}

/**
 * The params and state training works in: a wasm module's own arrays (views of its memory, which
 * it then uses without copying them in or out on every step), or the given ones.
 */
function inModule(modules: ModuleSet, params: Tensor[], state: Tensor[]): { params: Tensor[]; state: Tensor[] } {
  const own = modules.main.buffers;
  if (!own) return { params, state };
  own.params.forEach((p, i) => p.set(params[i]!));
  own.state.forEach((s, i) => s.set(state[i]!));
  return { params: own.params, state: own.state };
}
