// What the training harness needs from an engine: one SGD step on a batch it is handed, and its
// current parameters (in netc's layout, as float64) for the shared accuracy evaluation.
import type { Workload } from "../workloads.ts";

export type Batch = Float64Array | Float32Array;

export interface Engine {
  /** The number type the engine trains in; the harness hands it batches of that type. */
  dtype: "f64" | "f32";
  /** A line for the output: backend details (SIMD, threads). */
  note: string;
  /** One step; an engine that waits for other threads may return a promise, which the harness awaits. */
  step(x: Batch, y: Batch): void | Promise<void>;
  /** Where the engine wants its batches written (the wasm module's own memory); the harness then
   * gathers rows straight into these and passes them to step. */
  batch?: { x: Batch; y: Batch };
  params(): Float64Array[];
  dispose?(): void | Promise<void>;
}

export interface EngineOptions {
  /** netc engines: a generated module already compiled to JavaScript by the parent process, so the
   * compiler itself (parser, prettier) is not part of the engine's process or its RSS. */
  modulePath?: string;
}

export type EngineFactory = (w: Workload, initial: readonly Float64Array[], opts: EngineOptions) => Promise<Engine>;
