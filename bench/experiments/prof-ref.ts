// Times one step and one gradient of the hand-written reference MLP (bench/reference) on a real
// batch, in microseconds. Run: npx tsx bench/experiments/prof-ref.ts
import { Mlp784x15x10 } from "../reference/mlp_784_15_10.ts";
import { loadMnist } from "../lib/data.ts";
import { initialParams } from "../lib/init.ts";
import { workloadById } from "../workloads.ts";
const w = workloadById("w1");
const { train } = loadMnist();
const p = initialParams(w, 1);
const net = new Mlp784x15x10(32);
const x = train.x.slice(0, 32 * 784), y = train.y.slice(0, 320);
for (let r = 0; r < 500; r++) net.step(p, x, y, 0.01);
let t0 = performance.now();
for (let r = 0; r < 2500; r++) net.step(p, x, y, 0.01);
console.log("step us", (performance.now() - t0) / 2.5);
t0 = performance.now();
for (let r = 0; r < 2500; r++) net.gradient(p, x, y);
console.log("grad us", (performance.now() - t0) / 2.5);
