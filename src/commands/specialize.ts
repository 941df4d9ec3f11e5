// Compiles a model once more with its batch dimension set to another size (see modules.ts):
// the same source, dtype and `--dim` overrides, plus BATCHDIM=n; unformatted, since only the
// runtime reads it.
import { compile } from "../compile.ts";
import type { Dtype } from "../runtime/contract.ts";
import type { Specialize } from "../runtime/modules.ts";
import type { Target } from "../compile.ts";

export function specializer(source: string, file: string, dtype: Dtype, dims: Record<string, number>, target: Target = "js"): Specialize {
  return async (batchDim, batch) => {
    const all: Record<string, number> = Object.assign(Object.create(null), dims);
    all[batchDim] = batch;
    const { module } = await compile(source, { file, dtype, dims: all, format: false, target });
    return module;
  };
}
