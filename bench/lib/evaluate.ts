// Test accuracy of any engine's final parameters, computed the same way for every engine: a plain
// float64 forward pass of the dense network, then argmax of the last layer's pre-activation
// (argmax is the same before and after sigmoid or softmax).
import type { Workload } from "../workloads.ts";

export interface LabeledSet { x: Float64Array; y: Float64Array; n: number }

export function accuracy(w: Workload, params: readonly Float64Array[], data: LabeledSet): number {
  const L = w.layers.length - 1;
  let correct = 0;
  let a: Float64Array = new Float64Array(0);
  for (let i = 0; i < data.n; i++) {
    a = data.x.subarray(i * w.layers[0]!, (i + 1) * w.layers[0]!);
    for (let l = 0; l < L; l++) {
      const nIn = w.layers[l]!;
      const nOut = w.layers[l + 1]!;
      const W = params[2 * l]!;
      const z = Float64Array.from(params[2 * l + 1]!);
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
