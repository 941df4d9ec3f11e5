// The explanation as JSON: {"derivatives": [...], "steps": [{id, binding, line, rule, latex, expr,
// shape, value?}, ...]} plus the forward pass; `expr` is each step's formula in .net syntax.
import type { Explanation } from "./model.ts";

export function toJson(e: Explanation): string {
  const out = {
    model: e.model,
    file: e.file,
    dims: Object.fromEntries(e.dims.map((d) => [d.name, d.value])),
    leaves: e.leaves,
    forward: e.forward,
    derivatives: e.derivatives,
    steps: e.steps,
  };
  return JSON.stringify(out, null, 2) + "\n";
}
