// TensorFlow.js engines: the CPU backend (plain JavaScript kernels) and the WASM backend (XNNPACK,
// SIMD). Both train with tf.train.sgd over tf variables initialised from the shared params.
import * as tf from "@tensorflow/tfjs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { Engine, EngineFactory } from "./engine.ts";
import { lossOf, toNetcLayout, toVariables } from "./tfjs-model.ts";

/** Switches tfjs to a backend; the WASM binaries come from node_modules, nothing is downloaded. */
export async function useBackend(name: "cpu" | "wasm"): Promise<string> {
  if (name === "wasm") {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + "/");
    if (!(await tf.setBackend("wasm"))) throw new Error("tfjs WASM backend failed to start");
    await tf.ready();
    const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    const mt = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    return `tfjs ${tf.version.tfjs} wasm: SIMD ${simd ? "on" : "off"}, threads ${wasm.getThreadsCount()} (multithreaded WASM ${mt ? "available" : "does not start under Node here"})`;
  }
  if (!(await tf.setBackend("cpu"))) throw new Error("tfjs CPU backend failed to start");
  await tf.ready();
  return `tfjs ${tf.version.tfjs} cpu: JavaScript kernels, float32`;
}

function tfjsEngine(backend: "cpu" | "wasm"): EngineFactory {
  return async (w, initial) => {
    const note0 = await useBackend(backend);
    // TF.js's WASM backend has no Conv2DBackpropFilter kernel: a CNN trains there through conv3d
    const convMode = backend === "wasm" && w.convs ? "conv3d" : "conv2d";
    const note = convMode === "conv3d" ? `${note0}; convolutions as conv3d of depth 1 (no Conv2DBackpropFilter on WASM)` : note0;
    const vars = toVariables(w, initial);
    const opt = tf.train.sgd(w.lr);
    const nIn = w.layers[0]!;
    const nOut = w.layers[w.layers.length - 1]!;
    const engine: Engine = {
      dtype: "f32",
      note,
      step(xb, yb) {
        tf.tidy(() => {
          const x = tf.tensor2d(xb as Float32Array, [w.batch, nIn], "float32");
          const y = tf.tensor2d(yb as Float32Array, [w.batch, nOut], "float32");
          opt.minimize(() => lossOf(w, vars, x, y, convMode), false, vars);
        });
      },
      params: () => vars.map(toNetcLayout),
      dispose() {
        opt.dispose();
        for (const v of vars) v.dispose();
      },
    };
    return engine;
  };
}

export const tfjsCpu = tfjsEngine("cpu");
export const tfjsWasm = tfjsEngine("wasm");
