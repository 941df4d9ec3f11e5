// The benchmark's engines train the same model: TensorFlow.js's version of workload 1 (its loss
// and gradients at the shared initial params) agrees with the hand-written reference, and every
// engine gets the same initial params and the same batch order from the same seeds.
import { describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { Mlp784x15x10 } from "../../bench/reference/mlp_784_15_10.ts";
import { lossOf, toVariables } from "../../bench/engines/tfjs-model.ts";
import { initialParams } from "../../bench/lib/init.ts";
import { relErr } from "../../bench/lib/gradcheck.ts";
import { createRng, permutation } from "../../src/runtime/rng.ts";
import { paramShapes, workloadById } from "../../bench/workloads.ts";

describe("benchmark engines train the same model", () => {
  it("tfjs (CPU, float32) and the reference agree on workload 1's loss and gradients", async () => {
    await tf.setBackend("cpu");
    const w = workloadById("w1");
    const params = initialParams(w, 1);
    const rng = createRng(3).uniform;
    const x = Float64Array.from({ length: 32 * 784 }, () => rng());
    const y = new Float64Array(32 * 10);
    for (let i = 0; i < 32; i++) y[i * 10 + (i % 10)] = 1;
    const net = new Mlp784x15x10(32);
    const loss = net.gradient(params, x, y);
    const vars = toVariables(w, params);
    const { value, grads } = tf.variableGrads(() => lossOf(w, vars, tf.tensor2d(Float32Array.from(x), [32, 784]), tf.tensor2d(Float32Array.from(y), [32, 10])), vars);
    expect(Math.abs(value.dataSync()[0]! - loss) / loss).toBeLessThan(1e-5);
    const ours = [net.gW1, net.gb1, net.gW2, net.gb2];
    vars.forEach((v, i) => expect(relErr(grads[v.name]!.dataSync(), ours[i]!)).toBeLessThan(1e-4));
  });

  it("initial params have netc's shapes and are reproducible", () => {
    for (const id of ["w1", "w2", "w3"]) {
      const w = workloadById(id);
      const a = initialParams(w, 1);
      expect(a.map((p) => p.length)).toEqual(paramShapes(w).map((s) => s.reduce((x, y) => x * y, 1)));
      const b = initialParams(w, 1);
      expect(a.every((p, i) => p.every((v, k) => v === b[i]![k]))).toBe(true);
    }
  });

  it("the batch order depends only on the seed", () => {
    expect(permutation(100, createRng(2))).toEqual(permutation(100, createRng(2)));
    expect(permutation(100, createRng(2))).not.toEqual(permutation(100, createRng(3)));
    expect([...permutation(100, createRng(2))].sort((a, b) => a - b)).toEqual([...Array(100).keys()]);
  });
});
