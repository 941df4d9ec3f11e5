// Initial parameters for a dense network, drawn once from a seed and handed to every engine, so
// netc, TensorFlow.js and the hand-written reference really train the same model from the same
// point. Layout matches netc's: W_l as [fanIn, fanOut] row-major, then b_l, layer by layer.
import { createRng } from "../../src/runtime/rng.ts";
import type { Workload } from "../workloads.ts";

export function initialParams(w: Workload, seed: number): Float64Array[] {
  const rng = createRng(seed, "bench-init");
  const out: Float64Array[] = [];
  for (let l = 0; l + 1 < w.layers.length; l++) {
    const fanIn = w.layers[l]!;
    const fanOut = w.layers[l + 1]!;
    const W = new Float64Array(fanIn * fanOut);
    if (w.init === "xavier") {
      const lim = Math.sqrt(6 / (fanIn + fanOut)); // Glorot uniform
      for (let i = 0; i < W.length; i++) W[i] = (2 * rng.uniform() - 1) * lim;
    } else {
      const std = Math.sqrt(2 / fanIn); // Kaiming normal
      for (let i = 0; i < W.length; i++) W[i] = rng.normal() * std;
    }
    out.push(W, new Float64Array(fanOut)); // biases start at zero
  }
  return out;
}
