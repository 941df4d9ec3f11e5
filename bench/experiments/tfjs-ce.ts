// Experiment: cost of two ways to write softmax cross-entropy in tfjs (hand-written log-softmax vs
// tf.losses.softmaxCrossEntropy) per training step, CPU and WASM backends.
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../engines/tfjs.ts";
for (const be of ["cpu", "wasm"] as const) {
  await useBackend(be);
  const W = tf.variable(tf.randomNormal([784, 15], 0, 0.05));
  const W2 = tf.variable(tf.randomNormal([15, 10], 0, 0.3));
  const x = tf.randomUniform([32, 784]);
  const y = tf.oneHot(tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2], "int32"), 10).toFloat();
  const opt = tf.train.sgd(0.1);
  const logits = () => tf.matMul(tf.sigmoid(tf.matMul(x, W)), W2);
  const variants: Record<string, () => tf.Scalar> = {
    handLogSoftmax: () => tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits(), 1)), 1))) as tf.Scalar,
    lossesSoftmaxCE: () => tf.losses.softmaxCrossEntropy(y, logits()) as tf.Scalar,
    sse: () => tf.mean(tf.sum(tf.square(tf.sub(tf.sigmoid(logits()), y)), 1)) as tf.Scalar,
  };
  console.log(be, "loss values", Object.entries(variants).map(([k, f]) => `${k}=${tf.tidy(f).dataSync()[0]!.toFixed(6)}`).join(" "));
  for (const [name, f] of Object.entries(variants)) {
    for (let r = 0; r < 50; r++) tf.tidy(() => void opt.minimize(f, false, [W, W2]));
    const t0 = performance.now();
    for (let r = 0; r < 300; r++) tf.tidy(() => void opt.minimize(f, false, [W, W2]));
    console.log(be, name.padEnd(16), ((performance.now() - t0) / 300).toFixed(3), "ms/step");
  }
}
