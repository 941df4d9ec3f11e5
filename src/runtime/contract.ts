// The contract between generated modules and everything that runs them (CLI, training, tests,
// benchmarks). A generated module exports `meta`, `forward`, `gradient` and `step` as below.
// Tensors are passed as flat row-major typed arrays in the order `meta` lists them; a scalar is a
// typed array of length 1. Returned objects and arrays alias the module's own buffers, which are
// allocated once and overwritten by the next call: copy what you keep.
import type { InitSpec, OptimizerSpec, TrainConfig } from "../train-spec.ts";

export type Dtype = "f64" | "f32";
export type Tensor = Float64Array | Float32Array;

export interface TensorMeta {
  name: string;
  shape: number[];
  size: number;
}

export interface DataMeta extends TensorMeta {
  role: "input" | "target";
  default: number | null;
  /** The `dim` name of the first dimension, if it has one (the batch dimension for training). */
  batchDim: string | null;
  /** Row numbers for take(E, idx): every entry must be an integer 0 to indexRows - 1. */
  indexRows?: number;
}

export interface ParamMeta extends TensorMeta {
  init: InitSpec;
}

export interface GradMeta {
  of: string;
  wrt: string;
  key: string; // "f/x"
  shape: number[];
}

export interface ModelMeta {
  name: string;
  file: string;
  sourceHash: string;
  netcVersion: string;
  dtype: Dtype;
  dims: Record<string, number>; // null-prototype object
  data: DataMeta[];
  params: ParamMeta[];
  outputs: TensorMeta[];
  loss: string | null;
  grads: GradMeta[];
  /** What `netc grad --at` reports under "value": every output, the loss, every grad-ed binding. */
  values: TensorMeta[];
  train: TrainConfig;
  /** Optimizer state tensors per param that `step` expects (sgd: 0, sgd+momentum: 1, adam: 2). */
  statePerParam: number;
  /** The model's dropouts (absent when it has none), aligned with the module's `dropoutMasks`. */
  dropout?: DropoutMeta[];
}

/** One `dropout(x, p)` of the model: the shape of its mask. */
export interface DropoutMeta {
  /** Which dropout of the model (numbered by the checker). */
  site: number;
  p: number;
  shape: number[];
  size: number;
}

export interface ForwardResult {
  outputs: (number | Tensor)[]; // aligned with meta.outputs
  loss: number; // NaN when the model has no loss
}

export interface GradientResult {
  values: (number | Tensor)[]; // aligned with meta.values
  grads: (number | Tensor)[]; // aligned with meta.grads
  loss: number;
}

export interface StepHyper {
  lr: number;
  /** 1-based step count (adam's bias correction). */
  t: number;
}

/** A wasm-target module's own params, state and data: views of its memory (no copies when passed back). */
export interface ModuleBuffers {
  params: Tensor[];
  state: Tensor[];
  data: Tensor[];
}

export interface GeneratedModule {
  meta: ModelMeta;
  forward(params: readonly Tensor[], data: readonly Tensor[]): ForwardResult;
  gradient(params: readonly Tensor[], data: readonly Tensor[]): GradientResult;
  /**
   * One optimizer step on the loss: updates `params` (and `state`, laid out param by param,
   * `statePerParam` tensors each) in place; returns the loss before the update.
   */
  step(params: Tensor[], data: readonly Tensor[], hyper: StepHyper, state: Tensor[]): number;
  /**
   * The optimizer update alone, for data-parallel training: moves entries [⌊n·part/parts⌋,
   * ⌊n·(part+1)/parts⌋) of every param of n entries (and its state) by the gradient
   * w0·g0[k] + w1·g1[k] of the loss with respect to param k, summed in the loop that applies the
   * rule. One thread runs one part, from two shards' gradients.
   */
  update(params: Tensor[], state: Tensor[], g0: readonly Tensor[], w0: number, g1: readonly Tensor[], w1: number, hyper: StepHyper, part: number, parts: number): void;
  /** The wasm target only: arrays in the module's own memory, which calls use without copying. */
  buffers?: ModuleBuffers;
  /**
   * Models with dropout only: one mask per `meta.dropout` entry, which every call multiplies the
   * dropped tensor (and its adjoint) by. They hold 1 (dropout is the identity) unless a trainer
   * fills them for a training step (src/runtime/dropout.ts): 0 with probability p, else 1/(1 - p).
   */
  dropoutMasks?: Tensor[];
}

export type { InitSpec, OptimizerSpec };
