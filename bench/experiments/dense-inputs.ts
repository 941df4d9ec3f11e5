// The zero-skip's cost on data without zeros: trains a workload's generated module (with its
// run-time sparse/dense decision) and the same module built with the sparse path off, on dense
// random inputs of the workload's shape, interleaved, and prints CPU time per step of each.
// Run: npx tsx bench/experiments/dense-inputs.ts [w1] [f64|f32] [ROUNDS]
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { compileWorkloadText } from "../engines/netc.ts";
import { initialParams } from "../lib/init.ts";
import { median } from "../lib/stats.ts";
import { workloadById } from "../workloads.ts";
import type { Dtype, GeneratedModule, Tensor } from "../../src/runtime/contract.ts";

const w = workloadById(process.argv[2] ?? "w1");
const dtype = (process.argv[3] ?? "f64") as Dtype;
const rounds = Number(process.argv[4] ?? 7);
const dir = mkdtempSync(join(tmpdir(), "netc-dense-"));
const load = async (sparse: boolean): Promise<GeneratedModule> => {
  const path = join(dir, `${w.id}-${sparse ? "skip" : "dense"}.mjs`);
  writeFileSync(path, await compileWorkloadText(w, dtype, "js", "js", sparse));
  return (await import(pathToFileURL(path).href)) as GeneratedModule;
};
const mods = { "run-time decision": await load(true), "sparse off": await load(false) };
const Arr = dtype === "f32" ? Float32Array : Float64Array;
const nIn = w.layers[0]!;
const nOut = w.layers[w.layers.length - 1]!;
// 64 batches of uniform (0, 1) inputs, no zeros, and one-hot targets
let s = 12345;
const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) + 1) / (2 ** 31 + 1);
const batches = Array.from({ length: 64 }, () => {
  const x = new Arr(w.batch * nIn).map(() => rand());
  const y = new Arr(w.batch * nOut);
  for (let i = 0; i < w.batch; i++) y[i * nOut + Math.floor(rand() * nOut)] = 1;
  return [x, y] as Tensor[];
});
const times = new Map<string, number[]>();
const state = Object.entries(mods).map(([name, m]) => ({ name, m, params: initialParams(w, 1).map((p) => Arr.from(p)) as Tensor[], hyper: { lr: w.lr, t: 0 } }));
for (let round = 0; round <= rounds; round++) {
  for (const e of state) {
    const c0 = process.cpuUsage();
    for (let rep = 0; rep < 8; rep++) for (const b of batches) e.m.step(e.params, b, e.hyper, []);
    const c = process.cpuUsage(c0);
    const us = (c.user + c.system) / (8 * batches.length);
    if (round > 0) times.set(e.name, [...(times.get(e.name) ?? []), us]);
  }
}
const base = median(times.get("sparse off")!);
for (const [name, t] of times) {
  const m = median(t);
  console.log(`${w.id} ${dtype} ${name.padEnd(18)} ${m.toFixed(1).padStart(7)} µs CPU/step (min ${Math.min(...t).toFixed(1)}, max ${Math.max(...t).toFixed(1)})  ${(m / base).toFixed(3)}× the dense loops' time`);
}
