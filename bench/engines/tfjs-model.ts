// The workloads' networks written in TensorFlow.js ops: the same layers, activations and loss as
// the .net files, so tfjs trains (and differentiates) exactly the model netc compiles. A CNN runs
// in TF.js's own NHWC layout: its kernels live as tf variables in [kh, kw, in, out] and are
// converted from and to netc's [out, in, kh, kw] only when params cross over.
import * as tf from "@tensorflow/tfjs";
import type { Workload } from "../workloads.ts";
import { convImages, paramShapes } from "../workloads.ts";

/** How a CNN's convolutions run: tf.conv2d, or (for a backend without Conv2D's filter gradient) tf.conv3d of depth 1. */
export type ConvMode = "conv2d" | "conv3d";

const isKernel = (shape: readonly number[]): boolean => shape.length === 4;
/** netc [out, in, kh, kw] → TF.js [kh, kw, in, out], and back. */
const TO_TF = [2, 3, 1, 0];
const TO_NETC = [3, 2, 0, 1];

/** tf variables holding the given float64 params (rounded to float32, tfjs's only float type). */
export function toVariables(w: Workload, params: readonly Float64Array[]): tf.Variable[] {
  const shapes = paramShapes(w);
  return params.map((p, i) =>
    tf.tidy(() => {
      const t = tf.tensor(Float32Array.from(p), shapes[i]!, "float32");
      return tf.variable(isKernel(shapes[i]!) ? tf.transpose(t, TO_TF) : t, true, `p${i}`);
    }),
  );
}

/** A variable's value (or its gradient) in netc's layout, as float64. */
export function toNetcLayout(t: tf.Tensor): Float64Array {
  if (t.rank !== 4) return Float64Array.from(t.dataSync());
  const moved = tf.transpose(t, TO_NETC);
  const out = Float64Array.from(moved.dataSync());
  moved.dispose();
  return out;
}

/** Conv stages on a batch of flattened 28×28 digits, flattened back in netc's (NCHW) order. */
function convStages(w: Workload, vars: readonly tf.Variable[], x: tf.Tensor2D, mode: ConvMode): tf.Tensor2D {
  const images = convImages(w);
  let a: tf.Tensor4D = x.reshape([w.batch, 28, 28, 1]);
  w.convs!.forEach((s, i) => {
    const K = vars[2 * i]! as tf.Tensor4D;
    const p = s.padding;
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [p, p], [p, p], [0, 0]];
    let z: tf.Tensor4D;
    if (mode === "conv2d") z = tf.conv2d(a, K, 1, pad) as tf.Tensor4D;
    else {
      // the same correlation as a conv3d of depth 1 (its filter gradient exists on WASM)
      const padded = p > 0 ? tf.pad(a, pad) : a;
      const a5 = padded.reshape([w.batch, 1, padded.shape[1], padded.shape[2], padded.shape[3]]) as tf.Tensor5D;
      const k5 = K.reshape([1, ...K.shape]) as tf.Tensor5D;
      const z5 = tf.conv3d(a5, k5, 1, "valid");
      z = z5.reshape([w.batch, z5.shape[2], z5.shape[3], z5.shape[4]]);
    }
    a = tf.maxPool(tf.relu(tf.add(z, vars[2 * i + 1]!)) as tf.Tensor4D, s.pool, s.pool, "valid") as tf.Tensor4D;
  });
  const last = images[w.convs!.length]!;
  return tf.transpose(a, [0, 3, 1, 2]).reshape([w.batch, last.c * last.h * last.w]);
}

/** The scalar loss of the workload's network on one batch. */
export function lossOf(w: Workload, vars: readonly tf.Variable[], x: tf.Tensor2D, y: tf.Tensor2D, mode: ConvMode = "conv2d"): tf.Scalar {
  const first = w.convs ? 2 * w.convs.length : 0;
  const L = (vars.length - first) / 2;
  let a: tf.Tensor2D = w.convs ? convStages(w, vars, x, mode) : x;
  for (let l = 0; l < L; l++) {
    const z = tf.add(tf.matMul(a, vars[first + 2 * l] as tf.Tensor2D), vars[first + 2 * l + 1]!) as tf.Tensor2D;
    if (l + 1 < L) a = w.hidden === "relu" ? tf.relu(z) : tf.sigmoid(z);
    else a = z;
  }
  if (w.head === "sigmoid_sse") return tf.mean(tf.sum(tf.square(tf.sub(tf.sigmoid(a), y)), 1)) as tf.Scalar;
  // tfjs's own fused op (mean over the batch, gradient softmax − y): faster than writing
  // -mean(sum(y * logSoftmax(z), 1)) out, and the same number (bench/experiments/tfjs-ce.ts).
  return tf.losses.softmaxCrossEntropy(y, a) as tf.Scalar;
}
