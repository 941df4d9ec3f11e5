// Test accuracy of any engine's final parameters, computed the same way for every engine: a plain
// float64 forward pass of the network (conv stages, then the dense layers), then argmax of the
// last layer's pre-activation (argmax is the same before and after sigmoid or softmax).
import { convImages, denseWidths, type ConvStage, type ImageShape, type Workload } from "../workloads.ts";

export interface LabeledSet { x: Float64Array; y: Float64Array; n: number }

/** One conv stage on one image (CHW): zero-padded cross-correlation plus bias, relu, max pool. */
function convStage(a: Float64Array, im: ImageShape, K: Float64Array, bias: Float64Array, s: ConvStage): Float64Array {
  const { kernel: k, padding: p, pool } = s;
  const oh = im.h + 2 * p - k + 1;
  const ow = im.w + 2 * p - k + 1;
  const z = new Float64Array(s.out * oh * ow);
  for (let o = 0; o < s.out; o++)
    for (let r = 0; r < oh; r++)
      for (let c = 0; c < ow; c++) {
        let t = bias[o]!;
        for (let ch = 0; ch < im.c; ch++)
          for (let i = 0; i < k; i++) {
            const y = r + i - p;
            if (y < 0 || y >= im.h) continue;
            for (let j = 0; j < k; j++) {
              const x = c + j - p;
              if (x >= 0 && x < im.w) t += a[(ch * im.h + y) * im.w + x]! * K[((o * im.c + ch) * k + i) * k + j]!;
            }
          }
        z[(o * oh + r) * ow + c] = Math.max(0, t);
      }
  const [ph, pw] = [oh / pool, ow / pool];
  const out = new Float64Array(s.out * ph * pw);
  for (let o = 0; o < s.out; o++)
    for (let r = 0; r < ph; r++)
      for (let c = 0; c < pw; c++) {
        let m = -Infinity;
        for (let i = 0; i < pool; i++) for (let j = 0; j < pool; j++) m = Math.max(m, z[(o * oh + r * pool + i) * ow + c * pool + j]!);
        out[(o * ph + r) * pw + c] = m;
      }
  return out;
}

export function accuracy(w: Workload, params: readonly Float64Array[], data: LabeledSet): number {
  const widths = denseWidths(w);
  const L = widths.length - 1;
  const convs = w.convs ?? [];
  const images = convImages(w);
  const first = 2 * convs.length;
  let correct = 0;
  let a: Float64Array = new Float64Array(0);
  for (let i = 0; i < data.n; i++) {
    a = data.x.subarray(i * w.layers[0]!, (i + 1) * w.layers[0]!);
    convs.forEach((s, c) => (a = convStage(a, images[c]!, params[2 * c]!, params[2 * c + 1]!, s)));
    for (let l = 0; l < L; l++) {
      const nIn = widths[l]!;
      const nOut = widths[l + 1]!;
      const W = params[first + 2 * l]!;
      const z = Float64Array.from(params[first + 2 * l + 1]!);
      for (let k = 0; k < nIn; k++) {
        const ak = a[k]!;
        for (let j = 0; j < nOut; j++) z[j] += ak * W[k * nOut + j]!;
      }
      if (l + 1 < L) for (let j = 0; j < nOut; j++) z[j] = w.hidden === "relu" ? Math.max(0, z[j]!) : 1 / (1 + Math.exp(-z[j]!));
      a = z;
    }
    let best = 0;
    for (let j = 1; j < a.length; j++) if (a[j]! > a[best]!) best = j;
    if (data.y[i * a.length + best] === 1) correct++;
  }
  return correct / data.n;
}
