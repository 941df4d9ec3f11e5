// The correctness gate of `npm run bench`: at the same params and on the same batch, netc's loss
// and every gradient (f64 and f32 code, JS and wasm targets) must agree with TensorFlow.js's (CPU backend, float32) to
// float32 tolerances; for workload 1 the hand-written reference must agree with netc f64 too.
import * as tf from "@tensorflow/tfjs";
import type { GeneratedModule, Tensor } from "../../src/runtime/contract.ts";
import { compileWorkload } from "../engines/netc.ts";
import { lossOf, toNetcLayout, toVariables } from "../engines/tfjs-model.ts";
import { useBackend } from "../engines/tfjs.ts";
import { Mlp784x15x10 } from "../reference/mlp_784_15_10.ts";
import type { Workload } from "../workloads.ts";
import { initialParams } from "./init.ts";

export interface GradCheckRow {
  workload: string;
  compared: string;
  lossRelErr: number;
  worstGradRelErr: number;
  worstGrad: string;
  tolerance: number;
  ok: boolean;
  error?: string;
}

/** Float32 tolerance against tfjs; float64 tolerance between netc f64 and the reference. */
export const F32_TOL = 1e-3;
export const F64_TOL = 1e-9;

/** max |a − b| over the tensor, relative to max |b| (so tiny entries do not dominate). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

export interface LossAndGrads {
  loss: number;
  grads: ArrayLike<number>[]; // aligned with the params
}

function netcGrads(m: GeneratedModule, params: readonly Float64Array[], x: Float64Array, y: Float64Array): LossAndGrads {
  const Arr = m.meta.dtype === "f32" ? Float32Array : Float64Array;
  const p: Tensor[] = params.map((v) => Arr.from(v));
  const r = m.gradient(p, [Arr.from(x), Arr.from(y)]);
  const grads = m.meta.params.map((param) => {
    const k = m.meta.grads.findIndex((g) => g.of === m.meta.loss && g.wrt === param.name);
    if (k < 0) throw new Error(`netc module has no gradient of ${m.meta.loss} wrt ${param.name}`);
    const g = r.grads[k]!;
    return typeof g === "number" ? [g] : Float64Array.from(g);
  });
  return { loss: r.loss, grads };
}

function tfjsGrads(w: Workload, params: readonly Float64Array[], x: Float64Array, y: Float64Array): LossAndGrads {
  const vars = toVariables(w, params);
  const xt = tf.tensor2d(Float32Array.from(x), [w.batch, w.layers[0]!]);
  const yt = tf.tensor2d(Float32Array.from(y), [w.batch, w.layers[w.layers.length - 1]!]);
  const { value, grads } = tf.variableGrads(() => lossOf(w, vars, xt, yt), vars);
  const out = { loss: value.dataSync()[0]!, grads: vars.map((v) => toNetcLayout(grads[v.name]!)) };
  tf.dispose([value, xt, yt, ...Object.values(grads), ...vars]);
  return out;
}

function referenceGrads(w: Workload, params: readonly Float64Array[], x: Float64Array, y: Float64Array): LossAndGrads {
  const net = new Mlp784x15x10(w.batch);
  const loss = net.gradient(params, x, y);
  return { loss, grads: [net.gW1, net.gb1, net.gW2, net.gb2] };
}

export function compare(w: Workload, compared: string, a: LossAndGrads, b: LossAndGrads, tolerance: number): GradCheckRow {
  const lossRelErr = Math.abs(a.loss - b.loss) / Math.max(Math.abs(b.loss), 1e-12);
  let worstGradRelErr = 0;
  let worstGrad = "";
  a.grads.forEach((g, i) => {
    const e = relErr(g, b.grads[i]!);
    if (!(e <= worstGradRelErr)) {
      worstGradRelErr = e;
      worstGrad = `${i % 2 ? "b" : "W"}${(i >> 1) + 1}`;
    }
  });
  const ok = lossRelErr <= tolerance && worstGradRelErr <= tolerance;
  return { workload: w.id, compared, lossRelErr, worstGradRelErr, worstGrad, tolerance, ok };
}

export async function gradCheck(workloads: readonly Workload[], train: { x: Float64Array; y: Float64Array }, seed: number): Promise<GradCheckRow[]> {
  await useBackend("cpu");
  const rows: GradCheckRow[] = [];
  for (const w of workloads) {
    const params = initialParams(w, seed);
    const x = train.x.slice(0, w.batch * w.layers[0]!);
    const y = train.y.slice(0, w.batch * w.layers[w.layers.length - 1]!);
    const tfjs = tfjsGrads(w, params, x, y);
    let f64: LossAndGrads | null = null;
    for (const [dtype, target] of [["f64", "js"], ["f32", "js"], ["f64", "wasm"], ["f32", "wasm"]] as const) {
      // the wasm target is compared where the bench trains the workload with it
      if (target === "wasm" && !w.engines.includes("netc-wasm-f32")) continue;
      const compared = `netc ${target === "wasm" ? "wasm " : ""}${dtype} vs tfjs-cpu`;
      try {
        const r = netcGrads(await compileWorkload(w, dtype, target), params, x, y);
        if (dtype === "f64" && target === "js") f64 = r;
        rows.push(compare(w, compared, r, tfjs, F32_TOL));
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        rows.push({ workload: w.id, compared, lossRelErr: NaN, worstGradRelErr: NaN, worstGrad: "", tolerance: F32_TOL, ok: false, error });
      }
    }
    if (w.engines.includes("reference")) {
      rows.push(compare(w, "reference vs tfjs-cpu", referenceGrads(w, params, x, y), tfjs, F32_TOL));
      if (f64) rows.push(compare(w, "netc f64 vs reference", f64, referenceGrads(w, params, x, y), F64_TOL));
    }
  }
  return rows;
}
