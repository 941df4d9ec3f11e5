// Initial parameters for a network (conv stages, then dense layers), drawn once from a seed and
// handed to every engine, so netc, TensorFlow.js and the hand-written reference really train the
// same model from the same point. Layout matches netc's: conv kernels [out, in, k, k] and biases, then W_l as [fanIn, fanOut]
// row-major and b_l, layer by layer.
import { createRng } from "../../src/runtime/rng.ts";
import { convImages, denseWidths, type Workload } from "../workloads.ts";

export function initialParams(w: Workload, seed: number): Float64Array[] {
  const rng = createRng(seed, "bench-init");
  const out: Float64Array[] = [];
  const weights = (count: number, fanIn: number, fanOut: number): Float64Array => {
    const W = new Float64Array(count);
    if (w.init === "xavier") {
      const lim = Math.sqrt(6 / (fanIn + fanOut)); // Glorot uniform
      for (let i = 0; i < W.length; i++) W[i] = (2 * rng.uniform() - 1) * lim;
    } else {
      const std = Math.sqrt(2 / fanIn); // Kaiming normal
      for (let i = 0; i < W.length; i++) W[i] = rng.normal() * std;
    }
    return W;
  };
  // conv kernels [out, in, k, k]: fan_in = in·k², fan_out = out·k² (as PyTorch and netc)
  const images = convImages(w);
  (w.convs ?? []).forEach((s, i) => {
    const area = s.kernel * s.kernel;
    out.push(weights(s.out * images[i]!.c * area, images[i]!.c * area, s.out * area), new Float64Array(s.out));
  });
  const d = denseWidths(w);
  for (let l = 0; l + 1 < d.length; l++) out.push(weights(d[l]! * d[l + 1]!, d[l]!, d[l + 1]!), new Float64Array(d[l + 1]!)); // biases start at zero
  return out;
}
