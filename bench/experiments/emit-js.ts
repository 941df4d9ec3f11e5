// Writes each workload's generated module (f64) as plain JavaScript under
// bench/experiments/generated/, for profiling with line numbers and for hand-edited variants.
// Run: npx tsx bench/experiments/emit-js.ts
import { writeFileSync } from "node:fs";
import { compileWorkloadText } from "../engines/netc.ts";
import { toJavaScript } from "../../src/runtime/load.ts";
import { WORKLOADS } from "../workloads.ts";

for (const w of WORKLOADS) {
  for (const dtype of ["f64", "f32"] as const) {
    const path = `bench/experiments/generated/${w.id}-${dtype}.mjs`;
    writeFileSync(path, await toJavaScript(await compileWorkloadText(w, dtype)));
    console.log(path);
  }
}
