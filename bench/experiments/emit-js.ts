// Writes each workload's generated f64 module as plain JavaScript under
// bench/experiments/generated/, for profiling with line numbers and for hand-edited variants.
// Run: npx tsx bench/experiments/emit-js.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { compileWorkloadText } from "../engines/netc.ts";
import { WORKLOADS } from "../workloads.ts";

mkdirSync("bench/experiments/generated", { recursive: true });
for (const w of WORKLOADS) {
  const path = `bench/experiments/generated/${w.id}-f64.mjs`;
  writeFileSync(path, await compileWorkloadText(w, "f64", "js"));
  console.log(path);
}
