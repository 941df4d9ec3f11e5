// The workloads' networks written in TensorFlow.js ops: the same layers, activations and loss as
// the .net files, so tfjs trains (and differentiates) exactly the model netc compiles.
import * as tf from "@tensorflow/tfjs";
import type { Workload } from "../workloads.ts";
import { paramShapes } from "../workloads.ts";

/** tf variables holding the given float64 params (rounded to float32, tfjs's only float type). */
export function toVariables(w: Workload, params: readonly Float64Array[]): tf.Variable[] {
  const shapes = paramShapes(w);
  return params.map((p, i) => tf.variable(tf.tensor(Float32Array.from(p), shapes[i]!, "float32"), true, `p${i}`));
}

/** The scalar loss of the workload's network on one batch. */
export function lossOf(w: Workload, vars: readonly tf.Variable[], x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  const L = w.layers.length - 1;
  let a: tf.Tensor2D = x;
  for (let l = 0; l < L; l++) {
    const z = tf.add(tf.matMul(a, vars[2 * l] as tf.Tensor2D), vars[2 * l + 1]!) as tf.Tensor2D;
    if (l + 1 < L) a = w.hidden === "relu" ? tf.relu(z) : tf.sigmoid(z);
    else a = z;
  }
  if (w.head === "sigmoid_sse") return tf.mean(tf.sum(tf.square(tf.sub(tf.sigmoid(a), y)), 1)) as tf.Scalar;
  // tfjs's own fused op (mean over the batch, gradient softmax − y): faster than writing
  // -mean(sum(y * logSoftmax(z), 1)) out, and the same number (bench/experiments/tfjs-ce.ts).
  return tf.losses.softmaxCrossEntropy(y, a) as tf.Scalar;
}
