// How codegen treats each op of the registry: which kernel computes it and what the plan may fuse
// around it. Typed over every op name, so a new op without an entry does not compile (before, a
// missed branch failed at run time as "internal error: no kernel for …"). The kernels themselves
// are in kernels/index.ts, one per KernelName.
import type { OpName } from "../graph/node.ts";

/** The kernels codegen has (kernels/index.ts maps each to its emitter). */
export type KernelName =
  | "map"
  | "matmul"
  | "reduce"
  | "logsumexp"
  | "softmax"
  | "log_softmax"
  | "mse"
  | "cross_entropy"
  | "bce_with_logits"
  | "extreme_mask"
  | "gather"
  | "conv"
  | "pool"
  | "pad"
  | "concat";

export interface OpCodegen {
  kernel: KernelName;
  /** The kernel reads each operand once per output element at its own index, so an element-wise operand is fused into its loop. */
  fusesOperands?: true;
  /** The kernel can finish with its element-wise consumer in the same loop (bias + activation after a matmul). */
  epilogue?: true;
  /** Cheap enough to recompute in each of a few loops that read it, instead of storing it. */
  recompute?: true;
}

/** Leaves (copied when a result), views (an index map) and element-wise ops: the fused loop. */
const LEAF: OpCodegen = { kernel: "map" };
const VIEW: OpCodegen = { kernel: "map" };
const MAP: OpCodegen = { kernel: "map", fusesOperands: true };
const CHEAP: OpCodegen = { kernel: "map", fusesOperands: true, recompute: true };
const SUM: OpCodegen = { kernel: "reduce", fusesOperands: true, epilogue: true };

export const opCodegen: { readonly [K in OpName]: OpCodegen } = {
  const: LEAF,
  input: LEAF,
  param: LEAF,
  add: CHEAP,
  sub: CHEAP,
  mul: MAP,
  div: MAP,
  pow: MAP,
  neg: CHEAP,
  matmul: { kernel: "matmul", epilogue: true },
  transpose: VIEW,
  exp: MAP,
  log: MAP,
  sqrt: MAP,
  abs: MAP,
  sin: MAP,
  cos: MAP,
  tan: MAP,
  tanh: MAP,
  sigmoid: MAP,
  relu: MAP,
  softplus: MAP,
  max: MAP,
  min: MAP,
  sum: SUM,
  mean: SUM,
  logsumexp: { kernel: "logsumexp" },
  softmax: { kernel: "softmax" },
  log_softmax: { kernel: "log_softmax" },
  mse: { kernel: "mse", fusesOperands: true },
  cross_entropy: { kernel: "cross_entropy" },
  expand: VIEW,
  heaviside: MAP,
  sign: MAP,
  ge: MAP,
  reshape: VIEW,
  flatten: VIEW,
  slice: VIEW,
  // reads its operand once per element, at the operand's own index: fused into the loop
  pad: { kernel: "pad", fusesOperands: true },
  // x times its mask, fused into the loop that reads it like an element-wise op
  dropout: MAP,
  // one loop per operand, each reading its operand once per element: fused into that loop
  concat: { kernel: "concat", fusesOperands: true },
  leaky_relu: MAP,
  elu: MAP,
  gelu: MAP,
  normal_cdf: MAP,
  log1p: MAP,
  square: MAP,
  clip: MAP,
  bce_with_logits: { kernel: "bce_with_logits", fusesOperands: true },
  amax: SUM,
  amin: SUM,
  argmax_mask: { kernel: "extreme_mask" },
  argmin_mask: { kernel: "extreme_mask" },
  take: { kernel: "gather" },
  take_grad: { kernel: "gather" },
  // a convolution finishes with its consumer (bias is in it; the relu after runs over its output)
  conv1d: { kernel: "conv", epilogue: true },
  conv2d: { kernel: "conv", epilogue: true },
  conv_input_grad: { kernel: "conv" },
  conv_kernel_grad: { kernel: "conv" },
  maxpool2d: { kernel: "pool" },
  maxpool2d_grad: { kernel: "pool" },
  maxpool2d_select: { kernel: "pool" },
  avgpool2d: { kernel: "pool" },
  avgpool2d_grad: { kernel: "pool" },
};
