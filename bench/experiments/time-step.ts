// Times module.step on one workload for a generated module file (or a hand-edited variant of it):
// the same data path as the benchmark (shuffled batches of real digits), a warm-up, then the
// median of 5 rounds. Run: npx tsx bench/experiments/time-step.ts w1 FILE.mjs [FILE2.mjs ...]
import { pathToFileURL } from "node:url";
import { loadMnist } from "../lib/data.ts";
import { initialParams } from "../lib/init.ts";
import { EpochRunner } from "../lib/train-loop.ts";
import { median } from "../lib/stats.ts";
import { relErr } from "../lib/gradcheck.ts";
import { workloadById } from "../workloads.ts";
import type { GeneratedModule, Tensor } from "../../src/runtime/contract.ts";
import type { Engine } from "../engines/engine.ts";

const w = workloadById(process.argv[2]!);
const { train } = loadMnist();
const files = process.argv.slice(3);
const mods = await Promise.all(files.map(async (f) => (await import(pathToFileURL(f).href + `?${Math.random()}`)) as GeneratedModule));
// Every variant must compute the same gradients as the first file (the generated module).
{
  const p = initialParams(w, 1);
  const x = train.x.slice(0, w.batch * w.layers[0]!);
  const y = train.y.slice(0, w.batch * w.layers[w.layers.length - 1]!);
  const ref = mods[0]!.gradient(p, [x, y]).grads.map((g) => Float64Array.from(g as Float64Array));
  mods.forEach((m, k) => {
    const got = m.gradient(p, [x, y]).grads;
    const err = Math.max(...got.map((g, i) => relErr(g as Float64Array, ref[i]!)));
    console.log(`${files[k]}: gradients vs ${files[0]}: max rel. err ${err.toExponential(1)}`);
  });
}
const runners = mods.map((m) => {
  const f32 = m.meta.dtype === "f32";
  const params: Tensor[] = initialParams(w, 1).map((p) => (f32 ? Float32Array.from(p) : Float64Array.from(p)));
  const hyper = { lr: w.lr, t: 0 };
  const engine: Engine = { dtype: m.meta.dtype, note: "", step: (x, y) => void m.step(params, [x, y], hyper, []), params: () => [] };
  return new EpochRunner(engine, w, train, 8000, 2);
});
const times: number[][] = runners.map(() => []);
for (let round = 0; round < 6; round++) {
  for (const [k, r] of runners.entries()) {
    const t = await r.epoch();
    if (round > 0) times[k]!.push(t.cpuMs);
  }
}
files.forEach((f, k) => {
  const ms = median(times[k]!);
  console.log(`${f.padEnd(50)} ${ms.toFixed(1).padStart(8)} CPU ms/epoch  ${Math.round(runners[k]!.examplesPerEpoch / (ms / 1000)).toLocaleString("en-US").padStart(8)} examples/s`);
});
