// netc's generated code as a benchmark engine: compile the workload's .net file with compile()
// (f64 or f32), then train by calling module.step(params, [x, y], {lr, t}, state) per batch.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { Dtype, GeneratedModule, Tensor } from "../../src/runtime/contract.ts";
import type { Workload } from "../workloads.ts";
import type { Target } from "../../src/compile.ts";
import { paramShapes } from "../workloads.ts";
import type { Engine, EngineFactory } from "./engine.ts";

/** The compile options that give the workload's batch size (the batch dim is named in the model). */
async function optionsFor(w: Workload, dtype: Dtype, target: Target = "js") {
  const { frontEnd } = await import("../../src/compile.ts");
  const source = readFileSync(w.netFile, "utf8");
  const { model } = frontEnd(source, { file: w.netFile });
  const input = model.data.find((d) => d.role === "input");
  const batchDim = input?.dimNames[0];
  const dims: Record<string, number> = batchDim ? { [batchDim]: w.batch } : {};
  return { source, options: { file: w.netFile, dtype, dims, target } };
}

/** Compiles and loads the workload's model with its batch dim set to the workload's batch size. */
export async function compileWorkload(w: Workload, dtype: Dtype, target: Target = "js"): Promise<GeneratedModule> {
  const { compile } = await import("../../src/compile.ts");
  const { source, options } = await optionsFor(w, dtype, target);
  const { module } = await compile(source, options);
  checkLayout(module, w);
  return module;
}

/** The generated TypeScript of the workload's model (see compileWorkload). */
export async function compileWorkloadText(w: Workload, dtype: Dtype, lang: "ts" | "js" = "ts", target: Target = "js", sparse = true): Promise<string> {
  const { compileToText } = await import("../../src/compile.ts");
  const { source, options } = await optionsFor(w, dtype, target);
  return (await compileToText(source, { ...options, lang, ...(sparse ? {} : { sparse: false }) })).text;
}

/** A generated module written as JavaScript by bench/lib/prepare-netc.ts. */
async function importModule(path: string, w: Workload): Promise<GeneratedModule> {
  const m = (await import(pathToFileURL(path).href)) as GeneratedModule;
  checkLayout(m, w);
  return { meta: m.meta, forward: m.forward, gradient: m.gradient, step: m.step, update: m.update, ...(m.buffers ? { buffers: m.buffers } : {}) };
}

/** The generated module must take exactly the workload's params, input and target. */
function checkLayout(m: GeneratedModule, w: Workload): void {
  const want = paramShapes(w).map((s) => s.join("x")).join(", ");
  const got = m.meta.params.map((p) => p.shape.join("x")).join(", ");
  if (want !== got) throw new Error(`${w.netFile}: params are [${got}], the workload expects [${want}]`);
  const roles = m.meta.data.map((d) => `${d.role}:${d.shape.join("x")}`).join(", ");
  const wantRoles = `input:${w.batch}x${w.layers[0]}, target:${w.batch}x${w.layers[w.layers.length - 1]}`;
  if (roles !== wantRoles) throw new Error(`${w.netFile}: data are [${roles}], the workload expects [${wantRoles}]`);
  const opt = m.meta.train.optimizer;
  if (opt.kind !== "sgd" || opt.momentum !== 0) throw new Error(`${w.netFile}: the benchmark trains with plain SGD, the model asks for ${opt.kind}`);
}

/** A module file given on the command line (`--extra w1:FILE.mjs`), in the dtype it was built for. */
export const netcFileEngine: EngineFactory = async (w, initial, opts) => {
  if (!opts.modulePath) throw new Error("netc-file engine without a module path");
  const m = await importModule(opts.modulePath, w);
  return netcEngine(m.meta.dtype)(w, initial, opts);
};

export function netcEngine(dtype: Dtype, target: Target = "js"): EngineFactory {
  return async (w, initial, opts) => {
    const module = opts.modulePath ? await importModule(opts.modulePath, w) : await compileWorkload(w, dtype, target);
    const Arr = dtype === "f32" ? Float32Array : Float64Array;
    // the wasm module's own arrays when it has them: no copies in or out per step
    const own = module.buffers;
    const params: Tensor[] = own ? own.params : initial.map((p) => Arr.from(p));
    if (own) own.params.forEach((p, i) => p.set(initial[i]!));
    const state: Tensor[] = own ? own.state : [];
    if (!own) for (const p of params) for (let s = 0; s < module.meta.statePerParam; s++) state.push(new Arr(p.length));
    const hyper = { lr: w.lr, t: 0 };
    const data: Tensor[] = [];
    const engine: Engine = {
      dtype,
      note: own ? `netc --target wasm, ${dtype === "f32" ? "f32x4" : "f64x2"} SIMD, batches written into the module's memory` : `netc generated TypeScript, ${dtype === "f32" ? "Float32Array" : "Float64Array"}`,
      ...(own ? { batch: { x: own.data[0]!, y: own.data[1]! } } : {}),
      step(x, y) {
        hyper.t++;
        data[0] = x;
        data[1] = y;
        module.step(params, data, hyper, state);
      },
      params: () => params.map((p) => Float64Array.from(p)),
    };
    return engine;
  };
}

/**
 * netc-f64 split over `threads` threads: `netc train --workers N`'s data-parallel step
 * (src/runtime/parallel/), one worker thread per extra shard. The harness gathers each batch into
 * the shared batch buffers; each thread then computes its shard's gradient and updates its part of
 * the params. The shard modules (batch/threads rows) are compiled in this process.
 */
export function netcWorkersEngine(threads: number): EngineFactory {
  return async (w, initial) => {
    const [{ compile }, { ModuleSet }, { DataParallel, shareTensors }] = await Promise.all([
      import("../../src/compile.ts"),
      import("../../src/runtime/modules.ts"),
      import("../../src/runtime/parallel/index.ts"),
    ]);
    const { source, options } = await optionsFor(w, "f64");
    const main = (await compile(source, { ...options, format: false })).module;
    checkLayout(main, w);
    const batchDim = Object.keys(options.dims)[0]!;
    const modules = new ModuleSet(main, batchDim, async (dim, rows) => (await compile(source, { ...options, format: false, dims: { ...options.dims, [dim]: rows } })).module);
    const params = shareTensors("f64", initial);
    // the harness writes each batch into the pool's batch buffers itself: the feed has no rows to gather
    const feed = {
      slots: main.meta.data.map((meta) => ({ kind: "rows" as const, meta, data: new Float64Array(0), width: meta.size / w.batch })),
      n: w.batch,
      batchDim,
      origin: "the benchmark's batches",
    };
    const pool = await DataParallel.start({ modules, feed, params, state: [], threads, lastRows: 0, seed: 1 });
    const [x, y] = pool.full.buffers.tensors as [Float64Array, Float64Array];
    const hyper = { lr: w.lr, t: 0 };
    return {
      dtype: "f64",
      note: `netc generated TypeScript, Float64Array, --workers ${threads}: the batch split over ${threads} threads (worker_threads, shared memory)`,
      batch: { x, y },
      async step() {
        hyper.t++;
        await pool.step(false, hyper, null);
      },
      params: () => params.map((p) => Float64Array.from(p)),
      dispose: () => pool.close(),
    };
  };
}
