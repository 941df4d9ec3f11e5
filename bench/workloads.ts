// The three benchmark workloads: which .net file netc compiles, and the same network described as
// plain numbers for the engines that are not netc (TensorFlow.js, the hand-written reference).
// All engines of one workload share the batch size, learning rate, initial weights and batches.

export type Hidden = "sigmoid" | "relu";
/** sigmoid_sse: sigmoid output, mean over the batch of the sum of squares; softmax_ce: cross_entropy(logits, y). */
export type Head = "sigmoid_sse" | "softmax_ce";

export interface Workload {
  id: string;
  title: string;
  /** The model file netc compiles (relative to the repository root). */
  netFile: string;
  /** Layer widths, input first: [784, 15, 10]. */
  layers: number[];
  hidden: Hidden;
  head: Head;
  batch: number;
  lr: number;
  init: "xavier" | "he";
  /** The engines that run it (the hand-written reference exists for workload 1 only). */
  engines: EngineName[];
}

/** `netc-file:NAME`: a generated (or hand-edited) module file given with `--extra`, for experiments. */
export type EngineName = "netc-f64" | "netc-f32" | "netc-f32-dense" | "netc-wasm-f32" | "c-reference" | "tfjs-cpu" | "tfjs-wasm" | "reference" | `netc-file:${string}`;

/** netc-f32-dense: the JS target with the zero-skipping (sparse) products turned off. c-reference: bench/reference/mlp.c (not a worker; run by bench/lib/c-reference.ts). */
const common: EngineName[] = ["netc-f64", "netc-f32", "netc-f32-dense", "netc-wasm-f32", "tfjs-cpu", "tfjs-wasm"];

export const WORKLOADS: Workload[] = [
  {
    id: "w1",
    title: "784-15-10 sigmoid, sum of squares (seed 000), B=32",
    netFile: "examples/mnist_mlp.net",
    layers: [784, 15, 10],
    hidden: "sigmoid",
    head: "sigmoid_sse",
    batch: 32,
    lr: 0.5,
    init: "xavier",
    engines: [...common, "reference"],
  },
  {
    id: "w2",
    title: "784-15-10 sigmoid, softmax cross-entropy, B=32",
    netFile: "bench/models/mlp_softmax.net",
    layers: [784, 15, 10],
    hidden: "sigmoid",
    head: "softmax_ce",
    batch: 32,
    lr: 0.5,
    init: "xavier",
    engines: common,
  },
  {
    id: "w3",
    title: "784-128-64-10 ReLU, softmax cross-entropy, B=64",
    netFile: "bench/models/mnist_softmax_sgd.net",
    layers: [784, 128, 64, 10],
    hidden: "relu",
    head: "softmax_ce",
    batch: 64,
    lr: 0.1,
    init: "he",
    engines: common,
  },
];

export function workloadById(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload ${id}`);
  return w;
}

/** Param shapes in netc's order: W1 [in, out], b1 [out], W2, b2, ... */
export function paramShapes(w: Workload): number[][] {
  const shapes: number[][] = [];
  for (let l = 0; l + 1 < w.layers.length; l++) shapes.push([w.layers[l]!, w.layers[l + 1]!], [w.layers[l + 1]!]);
  return shapes;
}
