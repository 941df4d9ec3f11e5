// `netc train FILE [--data SOURCE] [--epochs N | --steps N] [--lr X] [--seed S] [--dim NAME=INT]
//  [--out PARAMS.json] [--resume PARAMS.json] [--checkpoint-every N] [--plot DIR] [--quiet]
//  [--workers N]`:
// compiles the model, trains its params on its loss (flags override the `train { }` block) and
// saves them — by default to `<model name>.params.json` in the current directory (with --resume,
// back to the resumed file). Ctrl-C saves the params and exits with status 130; a loss that stops
// being finite saves the last params with a finite loss and exits with status 1.
import { exitQuietlyOnBrokenPipe } from "../broken-pipe.ts";
import type { Dtype } from "../../runtime/contract.ts";
import { loadDataSource } from "../../data/source.ts";
import { loadParams } from "../params-file.ts";
import { chooseReporter } from "./progress.ts";
import { runTraining } from "./session.ts";
import { specializer } from "../specialize.ts";
import { compileModelFile } from "../common.ts";
import { DataError } from "../../diagnostics.ts";
import type { Target } from "../../compile.ts";
import { checkOutputDir, checkOutputFile } from "../output-paths.ts";

export interface TrainCommandOptions {
  data?: string;
  epochs?: number;
  steps?: number;
  lr?: number;
  seed?: number;
  out?: string;
  resume?: string;
  checkpointEvery?: number;
  plot?: string;
  quiet?: boolean;
  dtype?: Dtype;
  target?: Target;
  dim?: Record<string, number>;
  workers?: number;
}

export async function trainCommand(file: string, opts: TrainCommandOptions): Promise<void> {
  exitQuietlyOnBrokenPipe();
  // Output paths first: a typo must not cost a training run.
  if (opts.out !== undefined) checkOutputFile(opts.out, "--out");
  else if (opts.resume !== undefined) checkOutputFile(opts.resume, "--resume");
  if (opts.plot !== undefined) checkOutputDir(opts.plot, "--plot");
  const { source, dtype, target, dims, compiled } = await compileModelFile(file, opts);
  const module = compiled.module;
  const meta = module.meta;
  if (meta.loss === null) throw new DataError(`${file}: the model has no \`loss\`, so there is nothing to train`);
  if (meta.params.length === 0) throw new DataError(`${file}: the model has no \`param\`, so there is nothing to train`);

  // Everything that can be wrong with the data or a resumed file is found before training starts.
  const data = opts.data ? loadDataSource(opts.data, meta.data) : null;
  const resume = opts.resume ? { file: opts.resume, saved: loadParams(opts.resume, meta) } : null;
  const out = opts.out ?? opts.resume ?? `${meta.name}.params.json`;
  if (out !== opts.out && out !== opts.resume) checkOutputFile(out, "the params file (set it with --out)");
  const reporter = chooseReporter(opts.quiet === true);

  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130); // a second Ctrl-C: leave now (saves are atomic)
    interrupted = true;
  };
  process.on("SIGINT", onSigint);
  try {
    const result = await runTraining({
      module,
      specialize: specializer(source, file, dtype, dims, target),
      data,
      epochs: opts.epochs,
      steps: opts.steps,
      lr: opts.lr,
      seed: opts.seed,
      resume,
      out,
      checkpointEvery: opts.checkpointEvery,
      plotDir: opts.plot,
      quiet: opts.quiet,
      workers: opts.workers,
      reporter,
      shouldStop: () => interrupted,
    });
    const o = result.outcome;
    if (o.kind === "stopped") {
      const epoch = Math.floor(o.step / result.stepsPerEpoch);
      process.stderr.write(`netc: interrupted after step ${o.step} of ${result.totalSteps} (epoch ${epoch + 1}); resume with --resume ${out}\n`);
      process.exitCode = 130;
    } else if (o.kind === "diverged") {
      throw new DataError(
        `the loss became ${o.loss} at epoch ${o.epoch + 1}, step ${o.failedStep} (batch ${o.batch + 1} of the epoch); ` +
          `training stopped, and the last parameters with a finite loss (after step ${o.step}) are saved in ${out}` +
          " — try a smaller learning rate (--lr)",
      );
    }
  } finally {
    reporter.stop();
    process.off("SIGINT", onSigint);
  }
}
