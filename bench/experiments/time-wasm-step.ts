// Times `step` of wasm modules the way the trainer runs them: params, state and each batch in the
// module's own memory (`buffers`), real digits, plain SGD at the workload's lr. Modules alternate
// round by round; each round is `steps` steps; prints the median and spread of the CPU time per
// step over the rounds after the first. Run (after emit-wasm-fused.ts):
//   npx tsx bench/experiments/time-wasm-step.ts w1 FILE.mjs [FILE2.mjs ...] [--rounds 9] [--steps 1000]
import { pathToFileURL } from "node:url";
import { loadMnist } from "../lib/data.ts";
import { initialParams } from "../lib/init.ts";
import { median } from "../lib/stats.ts";
import { workloadById } from "../workloads.ts";
import type { GeneratedModule, Tensor } from "../../src/runtime/contract.ts";

type Own = GeneratedModule & { buffers: { params: Tensor[]; state: Tensor[]; data: Tensor[] } };
const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args.splice(i, 2)[1]) : fallback;
};
const rounds = option("rounds", 9);
const steps = option("steps", 1000);
const w = workloadById(args[0]!);
const files = args.slice(1);
const { train } = loadMnist();
const mods = await Promise.all(files.map(async (f) => (await import(pathToFileURL(f).href)) as Own));
const inW = w.layers[0]!;
const outW = w.layers[w.layers.length - 1]!;
const batches = Math.floor(train.n / w.batch);
const cursor = mods.map(() => 0);
mods.forEach((m) => initialParams(w, 1).forEach((p, i) => m.buffers.params[i]!.set(p)));
const times: number[][] = mods.map(() => []);
for (let round = 0; round < rounds; round++) {
  mods.forEach((m, k) => {
    const [x, y] = m.buffers.data as [Tensor, Tensor];
    const hyper = { lr: w.lr, t: 0 };
    const cpu0 = process.cpuUsage();
    for (let s = 0; s < steps; s++) {
      const b = cursor[k]! % batches;
      cursor[k]!++;
      x.set(train.x.subarray(b * w.batch * inW, (b + 1) * w.batch * inW));
      y.set(train.y.subarray(b * w.batch * outW, (b + 1) * w.batch * outW));
      m.step(m.buffers.params, m.buffers.data, hyper, m.buffers.state);
    }
    const cpu = process.cpuUsage(cpu0);
    if (round > 0) times[k]!.push((cpu.user + cpu.system) / steps);
  });
}
console.log(`${w.id}, B=${w.batch}: CPU µs per step, median [min, max] of ${rounds - 1} rounds of ${steps} steps, modules alternating`);
files.forEach((f, k) => {
  const t = times[k]!;
  console.log(`${f.padEnd(56)} ${median(t).toFixed(1).padStart(8)} [${Math.min(...t).toFixed(1)}, ${Math.max(...t).toFixed(1)}]`);
});
