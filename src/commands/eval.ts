// `netc eval FILE --params PARAMS.json [--data SOURCE] [--json] [--dim NAME=INT]`: the loss of
// saved params (and the accuracy, for one-hot or 0/1 targets) on a data set: the 2,000 held-out
// digits for `--data mnist`, every row of a .json or .csv file, or the model's defaults without
// --data. `--json` prints {"loss": L, "accuracy": A} (A in [0, 1], null when it does not apply).
import { exitQuietlyOnBrokenPipe } from "./broken-pipe.ts";
import type { Target } from "../compile.ts";
import type { Dtype } from "../runtime/contract.ts";
import { loadDataSource } from "../data/source.ts";
import { evaluate } from "../runtime/evaluate.ts";
import { bindData } from "../runtime/feed.ts";
import { fmtCount, fmtPercent } from "./format.ts";
import { ModuleSet } from "../runtime/modules.ts";
import { loadParams } from "./params-file.ts";
import { specializer } from "./specialize.ts";
import { compileModelFile } from "./common.ts";

export interface EvalCommandOptions {
  params: string;
  data?: string;
  json?: boolean;
  dtype?: Dtype;
  target?: Target;
  dim?: Record<string, number>;
}

export async function evalCommand(file: string, opts: EvalCommandOptions): Promise<void> {
  exitQuietlyOnBrokenPipe();
  const { source, dtype, target, dims, compiled } = await compileModelFile(file, opts);
  const module = compiled.module;
  const meta = module.meta;
  const { params } = loadParams(opts.params, meta);
  const split = opts.data ? loadDataSource(opts.data, meta.data) : null;
  const feed = bindData(meta, split ? (split.test ?? split.train) : null);
  const modules = new ModuleSet(module, feed.batchDim, specializer(source, file, dtype, dims, target));
  const result = await evaluate(feed, modules, params);
  const loss = meta.loss === null ? null : result.loss;

  if (opts.json) {
    process.stdout.write(JSON.stringify({ loss, accuracy: result.accuracy }) + "\n");
    return;
  }
  const examples = `${fmtCount(result.n)} example${result.n === 1 ? "" : "s"} of ${feed.origin}`;
  process.stdout.write(`loss: ${loss === null ? "none (the model has no loss)" : loss} on ${examples}\n`);
  if (result.accuracy !== null) {
    const correct = Math.round(result.accuracy * result.n);
    process.stdout.write(`accuracy: ${fmtPercent(result.accuracy)} (${fmtCount(correct)} of ${fmtCount(result.n)})\n`);
  }
}
