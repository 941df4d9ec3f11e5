// `netc check FILE [--at VALUES.json] [--seed S] [--dtype f64|f32] [--dim NAME=INT]...`: compiles
// the model, compares every derivative it defines with central finite differences (src/gradcheck),
// prints the worst relative error per name, and exits 1 when one disagrees, naming the binding and
// line where the derivative first goes wrong; 3 when none disagrees but one was never measured (every
// probe crossed a kink). Without --at, the values are drawn (gradcheck/draw.ts).
import { compile, type Target } from "../compile.ts";
import { formatReport } from "../gradcheck/report.ts";
import { runGradCheck } from "../gradcheck/run.ts";
import type { Point } from "../gradcheck/draw.ts";
import type { Dtype, GeneratedModule } from "../runtime/contract.ts";
import { readValuesFile, valuesToInputs } from "../data/values.ts";
import { printWarnings, readModelFile } from "./common.ts";

/** The exit status when no derivative disagrees but some could not be measured (see `netc check --help`). */
export const CHECK_NOT_VERIFIED = 3;

export interface CheckCommandOptions {
  at?: string;
  seed: number;
  dtype: Dtype;
  target?: Target;
  dim?: Record<string, number>;
}

/** The values of a values file, in float64, by name (omitted scalars take their defaults). */
function readPoint(file: string, module: GeneratedModule): Point {
  const { params, data } = valuesToInputs(readValuesFile(file), module.meta, { dtype: "f64", source: file });
  const point: Point = new Map();
  module.meta.params.forEach((p, i) => point.set(p.name, params[i] as Float64Array));
  module.meta.data.forEach((d, i) => point.set(d.name, data[i] as Float64Array));
  return point;
}

export async function checkCommand(file: string, opts: CheckCommandOptions): Promise<void> {
  const source = readModelFile(file);
  const compiled = await compile(source, { file, dtype: opts.dtype, dims: opts.dim, format: false, target: opts.target ?? "js" });
  printWarnings(compiled.warnings, file, source);
  const point = opts.at ? readPoint(opts.at, compiled.module) : undefined;
  const result = runGradCheck(compiled, { seed: opts.seed, ...(point ? { point } : {}) });
  const where = opts.at ? `at ${opts.at}` : `at values drawn with seed ${opts.seed}`;
  process.stdout.write(formatReport(result, `check ${compiled.model.name} (${file}) ${where}`, file, { otherValues: "check at other values with --at or --seed" }));
  if (!result.ok) process.exitCode = 1;
  else if (!result.verified) process.exitCode = CHECK_NOT_VERIFIED;
}
