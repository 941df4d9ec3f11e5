// `netc predict FILE --params PARAMS.json --at VALUES.json [--dim NAME=INT]`: runs the model's
// forward code on the inputs in a values file and prints every `output` as JSON
// ({"yhat": [[…], …]}). Inputs fed along a batch dimension may hold any number of rows (the model
// is compiled for that many). Targets may be left out; when all are given and the model has a
// loss, the loss is printed too, under its name.
import { exitQuietlyOnBrokenPipe } from "./broken-pipe.ts";
import type { Target } from "../compile.ts";
import type { Dtype } from "../runtime/contract.ts";
import { parseValuesObject } from "../data/json.ts";
import { asArray, forEachChunk } from "../runtime/evaluate.ts";
import { bindData } from "../runtime/feed.ts";
import { ModuleSet } from "../runtime/modules.ts";
import { loadParams } from "./params-file.ts";
import { specializer } from "./specialize.ts";
import { toNested } from "../runtime/tensors.ts";
import { readValuesFile } from "../data/values.ts";
import { compileModelFile } from "./common.ts";

export interface PredictCommandOptions {
  params: string;
  at: string;
  dtype?: Dtype;
  target?: Target;
  dim?: Record<string, number>;
}

export async function predictCommand(file: string, opts: PredictCommandOptions): Promise<void> {
  exitQuietlyOnBrokenPipe();
  const { source, dtype, target, dims, compiled } = await compileModelFile(file, opts);
  const module = compiled.module;
  const meta = module.meta;
  const { params } = loadParams(opts.params, meta);

  // values.ts reads and parses the file; the rows along a batch dimension may number any count.
  const values = parseValuesObject(readValuesFile(opts.at), opts.at);

  // Targets the file leaves out are fed zeros (the outputs do not depend on them).
  const rowsGiven = meta.data.find((d) => d.batchDim !== null && values.tensors.has(d.name));
  const rows = rowsGiven ? values.tensors.get(rowsGiven.name)!.shape[0] ?? 1 : null;
  let allTargets = true;
  for (const d of meta.data) {
    if (d.role !== "target" || values.tensors.has(d.name) || d.default !== null) continue;
    allTargets = false;
    const shape = d.batchDim !== null && rows !== null ? [rows, ...d.shape.slice(1)] : d.shape.slice();
    values.tensors.set(d.name, { name: d.name, data: new Float64Array(shape.reduce((a, b) => a * b, 1)), shape });
  }
  const feed = bindData(meta, values);
  const modules = new ModuleSet(module, feed.batchDim, specializer(source, file, dtype, dims, target));

  const out: Record<string, unknown> = Object.create(null);
  const n = feed.n ?? 1;
  let lossSum = 0;
  await forEachChunk(feed, modules, params, Math.max(n, 1), (result, m) => {
    m.meta.outputs.forEach((o, i) => {
      out[o.name] = toNested(asArray(result.outputs[i]!), o.shape);
    });
    lossSum += result.loss * n;
  });
  if (meta.loss !== null && allTargets && !(meta.loss in out)) out[meta.loss] = lossSum / n;
  process.stdout.write(JSON.stringify(out) + "\n");
}
