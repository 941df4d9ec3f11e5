// The kernel for each KernelName of ../ops.ts (typed over the names: a new kernel name without an
// emitter does not compile). A kernel writes the loop nest computing `node` into `target`; with
// `epilogue`, the element-wise consumer that the plan fused into it is computed in the same loop.
import type { Node } from "../../graph/node.ts";
import type { KernelName } from "../ops.ts";
import type { KernelContext, Target } from "./context.ts";
import { emitMap } from "./map.ts";
import { emitMatmul } from "./matmul.ts";
import { emitLogSumExp, emitSumMean } from "./reduce.ts";
import { emitExtremeMask, emitLogSoftmax, emitSoftmax } from "./rowwise.ts";
import { emitGather } from "./gather.ts";
import { emitBce, emitCrossEntropy, emitMse } from "./loss.ts";
import { emitConv } from "./conv.ts";
import { emitPool } from "./pool.ts";
import { emitConcat, emitPad } from "./place.ts";

export type Kernel = (ctx: KernelContext, node: Node, target: Target, epilogue?: Node) => void;

export const kernels: { readonly [K in KernelName]: Kernel } = {
  map: (ctx, node, target) => emitMap(ctx, node, target),
  matmul: emitMatmul,
  reduce: emitSumMean,
  logsumexp: emitLogSumExp,
  softmax: emitSoftmax,
  log_softmax: emitLogSoftmax,
  mse: emitMse,
  cross_entropy: emitCrossEntropy,
  bce_with_logits: emitBce,
  extreme_mask: emitExtremeMask,
  gather: emitGather,
  conv: emitConv,
  pool: emitPool,
  pad: emitPad,
  concat: emitConcat,
};
