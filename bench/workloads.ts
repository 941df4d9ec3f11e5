// The four benchmark workloads: which .net file netc compiles, and the same network described as
// plain numbers for the engines that are not netc (TensorFlow.js, the hand-written reference).
// All engines of one workload share the batch size, learning rate, initial weights and batches.

export type Hidden = "sigmoid" | "relu";
/** sigmoid_sse: sigmoid output, mean over the batch of the sum of squares; softmax_ce: cross_entropy(logits, y). */
export type Head = "sigmoid_sse" | "softmax_ce";

/** One convolution stage of a CNN workload: conv kernel × kernel (zero padding), relu, maxpool pool × pool. */
export interface ConvStage {
  out: number;
  kernel: number;
  padding: number;
  pool: number;
}

export interface Workload {
  id: string;
  title: string;
  /** The model file netc compiles (relative to the repository root). */
  netFile: string;
  /**
   * Layer widths, input first: [784, 15, 10]. With `convs`, the first entry is still the input
   * (784 pixels, seen as a 1×28×28 image) and the dense layers start from the flattened conv output.
   */
  layers: number[];
  /** CNN workloads: the convolution stages applied to the 28×28 image before the dense layers. */
  convs?: ConvStage[];
  /** Digits per epoch, when all 8,000 would take the slowest engine too long. */
  trainLimit?: number;
  /** The same for `--quick` (the CI-sized run inside `npm test`). */
  quickTrainLimit?: number;
  hidden: Hidden;
  head: Head;
  batch: number;
  lr: number;
  init: "xavier" | "he";
  /** The engines that run it (the hand-written reference exists for workload 1 only). */
  engines: EngineName[];
}

/** `netc-file:NAME`: a generated (or hand-edited) module file given with `--extra`, for experiments. */
export type EngineName = "netc-f64" | "netc-f64-w2" | "netc-f32" | "netc-f32-dense" | "netc-wasm-f32" | "netc-wasm-f32-dense" | "c-reference" | "tfjs-cpu" | "tfjs-wasm" | "reference" | `netc-file:${string}`;

/**
 * netc-f32-dense, netc-wasm-f32-dense: the JS and wasm targets with the zero-skipping (sparse)
 * products turned off. c-reference: bench/reference/mlp.c, driven epoch by epoch like the others
 * (bench/lib/c-reference.ts); its row reads "n/a" where it does not apply (no C CNN) or there is no gcc.
 * netc-f64-w2 (w3 only): netc-f64 with each batch split over two threads (`netc train --workers 2`).
 */
const common: EngineName[] = ["netc-f64", "netc-f32", "netc-f32-dense", "netc-wasm-f32", "netc-wasm-f32-dense", "c-reference", "tfjs-cpu", "tfjs-wasm"];

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
    engines: [...common.slice(0, 1), "netc-f64-w2", ...common.slice(1)],
  },
  {
    id: "w4",
    title: "LeNet CNN: conv 5×5→6 (pad 2), pool 2, conv 5×5→16, pool 2, 120-84-10 ReLU, cross-entropy, B=32",
    netFile: "bench/models/mnist_cnn_sgd.net",
    layers: [784, 120, 84, 10],
    convs: [
      { out: 6, kernel: 5, padding: 2, pool: 2 },
      { out: 16, kernel: 5, padding: 0, pool: 2 },
    ],
    hidden: "relu",
    head: "softmax_ce",
    batch: 32,
    lr: 0.05,
    init: "he",
    // TF.js's CPU backend takes seconds per batch on this network: 512 digits an epoch keeps a run
    // short, and --quick (inside npm test) runs one batch an epoch
    trainLimit: 512,
    quickTrainLimit: 32,
    engines: ["netc-f64", "netc-f32", "netc-wasm-f32", "c-reference", "tfjs-cpu", "tfjs-wasm"],
  },
];

export function workloadById(id: string): Workload {
  const w = WORKLOADS.find((x) => x.id === id);
  if (!w) throw new Error(`unknown workload ${id}`);
  return w;
}

/** The image a stage sees: channels, height, width (the input is one 28×28 channel). */
export interface ImageShape {
  c: number;
  h: number;
  w: number;
}

/** The image before each conv stage and after the last one. */
export function convImages(w: Workload): ImageShape[] {
  const images: ImageShape[] = [{ c: 1, h: 28, w: 28 }];
  for (const s of w.convs ?? []) {
    const a = images[images.length - 1]!;
    const side = (n: number) => (n + 2 * s.padding - s.kernel + 1) / s.pool;
    images.push({ c: s.out, h: side(a.h), w: side(a.w) });
  }
  return images;
}

/** Widths of the dense layers, input first: after conv stages, the input is their flattened output. */
export function denseWidths(w: Workload): number[] {
  if (!w.convs) return w.layers;
  const last = convImages(w)[w.convs.length]!;
  return [last.c * last.h * last.w, ...w.layers.slice(1)];
}

/** Param shapes in netc's order: conv kernels K [out, in, k, k] and biases, then W1 [in, out], b1 [out], W2, b2, ... */
export function paramShapes(w: Workload): number[][] {
  const shapes: number[][] = [];
  const images = convImages(w);
  (w.convs ?? []).forEach((s, i) => shapes.push([s.out, images[i]!.c, s.kernel, s.kernel], [s.out]));
  const d = denseWidths(w);
  for (let l = 0; l + 1 < d.length; l++) shapes.push([d[l]!, d[l + 1]!], [d[l + 1]!]);
  return shapes;
}
