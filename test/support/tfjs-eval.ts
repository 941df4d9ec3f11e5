// An independent reference engine: evaluates netc IR with TensorFlow.js (CPU backend, float32),
// op by op, and differentiates it with tf.grads. `tfjsOps` maps every op of the registry (typed
// over the op names: a new op without an entry does not compile) to TensorFlow.js, or says why
// it is exempt (leaves: their values come from outside).
import * as tf from "@tensorflow/tfjs";
import { topoOrder, type Node, type OpName } from "../../src/graph/node.ts";
import { windowTfOps } from "./tfjs-window.ts";

export type TfOp = (args: tf.Tensor[], node: Node) => tf.Tensor;
/** An op TensorFlow.js does not compute, and why. */
export interface TfExempt {
  exempt: string;
}

let ready: Promise<void> | null = null;
/** Selects the CPU backend once (plain JavaScript kernels, float32). */
export function useCpuBackend(): Promise<void> {
  ready ??= (async () => {
    if (!(await tf.setBackend("cpu"))) throw new Error("the tfjs CPU backend did not start");
    await tf.ready();
  })();
  return ready;
}

const last = (x: tf.Tensor): number => x.rank - 1;
const axisAttr = (node: Node): number | undefined => (node.attrs.axis === null || node.attrs.axis === undefined ? undefined : node.attrs.axis);

/** a @ b in netc's four rank forms, with rank-2 operands optionally transposed. */
function matmul([a, b]: tf.Tensor[], node: Node): tf.Tensor {
  const ta = node.attrs.transA === true;
  const tb = node.attrs.transB === true;
  const A = (a!.rank === 1 ? a!.reshape([1, a!.shape[0]!]) : a!) as tf.Tensor2D;
  const B = (b!.rank === 1 ? b!.reshape([b!.shape[0]!, 1]) : b!) as tf.Tensor2D;
  const c = tf.matMul(A, B, a!.rank === 2 && ta, b!.rank === 2 && tb);
  const shape = [...(a!.rank === 2 ? [c.shape[0]] : []), ...(b!.rank === 2 ? [c.shape[1]] : [])] as number[];
  return c.reshape(shape);
}

/** Broadcast x to attrs.shape, input axis i landing on output axis dims[i] (default: trailing). */
function expand([x]: tf.Tensor[], node: Node): tf.Tensor {
  const out = node.attrs.shape!;
  const dims = node.attrs.dims ?? x!.shape.map((_, i) => out.length - x!.rank + i);
  const placed = out.map(() => 1);
  dims.forEach((d, i) => (placed[d] = x!.shape[i]!));
  return tf.broadcastTo(x!.reshape(placed), [...out]);
}

function softmax(x: tf.Tensor, axis: number): tf.Tensor {
  if (axis === last(x)) return tf.softmax(x);
  return tf.exp(tf.sub(x, tf.logSumExp(x, axis, true)));
}

function logSoftmax(x: tf.Tensor, axis: number): tf.Tensor {
  if (axis === last(x)) return tf.logSoftmax(x);
  return tf.sub(x, tf.logSumExp(x, axis, true));
}

// Written out rather than tf.losses.softmaxCrossEntropy, whose custom gradient assumes rows of y
// that sum to 1 and gives y the adjoint (y - softmax) instead of -log_softmax.
function crossEntropy([z, y]: tf.Tensor[]): tf.Tensor {
  return tf.neg(tf.mean(tf.sum(tf.mul(y!, tf.logSoftmax(z!)), -1)));
}

/**
 * Both operands broadcast to their common shape first: the gradients of tf.maximum, tf.minimum
 * and tf.squaredDifference do not reduce a broadcast operand's gradient back to its shape.
 */
function broadcastBoth(a: tf.Tensor, b: tf.Tensor): [tf.Tensor, tf.Tensor] {
  const shape = tf.broadcastTo(a, tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape)).shape;
  return [tf.broadcastTo(a, shape), tf.broadcastTo(b, shape)];
}

function mse([p, y]: tf.Tensor[]): tf.Tensor {
  const [a, b] = broadcastBoth(p!, y!);
  return a.rank > 0 ? tf.losses.meanSquaredError(b, a) : tf.squaredDifference(a, b);
}

export const tfjsOps: { readonly [K in OpName]: TfOp | TfExempt } = {
  const: { exempt: "a leaf: a scalar constant, filled in from attrs.value" },
  input: { exempt: "a leaf: its value is an input of the evaluation" },
  param: { exempt: "a leaf: its value is an input of the evaluation" },
  add: ([a, b]) => tf.add(a!, b!),
  sub: ([a, b]) => tf.sub(a!, b!),
  mul: ([a, b]) => tf.mul(a!, b!),
  div: ([a, b]) => tf.div(a!, b!),
  pow: ([a, b]) => tf.pow(a!, b!),
  neg: ([a]) => tf.neg(a!),
  matmul,
  transpose: ([a]) => tf.transpose(a!),
  exp: ([a]) => tf.exp(a!),
  log: ([a]) => tf.log(a!),
  sqrt: ([a]) => tf.sqrt(a!),
  abs: ([a]) => tf.abs(a!),
  sin: ([a]) => tf.sin(a!),
  cos: ([a]) => tf.cos(a!),
  tan: ([a]) => tf.tan(a!),
  tanh: ([a]) => tf.tanh(a!),
  sigmoid: ([a]) => tf.sigmoid(a!),
  relu: ([a]) => tf.relu(a!),
  softplus: ([a]) => tf.softplus(a!),
  max: ([a, b]) => tf.maximum(...broadcastBoth(a!, b!)),
  min: ([a, b]) => tf.minimum(...broadcastBoth(a!, b!)),
  sum: ([a], n) => tf.sum(a!, axisAttr(n), n.attrs.keepdims === true),
  mean: ([a], n) => tf.mean(a!, axisAttr(n), n.attrs.keepdims === true),
  logsumexp: ([a], n) => tf.logSumExp(a!, axisAttr(n), n.attrs.keepdims === true),
  softmax: ([a], n) => softmax(a!, axisAttr(n) ?? last(a!)),
  log_softmax: ([a], n) => logSoftmax(a!, axisAttr(n) ?? last(a!)),
  mse,
  cross_entropy: crossEntropy,
  expand,
  heaviside: ([a]) => tf.step(a!, 0),
  sign: ([a]) => tf.sign(a!),
  ge: ([a, b]) => tf.cast(tf.greaterEqual(a!, b!), "float32"),
  reshape: ([a], n) => tf.reshape(a!, [...n.shape]),
  flatten: ([a], n) => tf.reshape(a!, [...n.shape]),
  leaky_relu: ([a], n) => tf.leakyRelu(a!, n.attrs.alpha ?? 0.01),
  // tf.elu has no alpha: relu(x) + alpha · elu(min(x, 0))
  elu: ([a], n) => tf.add(tf.relu(a!), tf.mul(n.attrs.alpha ?? 1, tf.elu(tf.minimum(a!, 0)))),
  gelu: ([a]) => tf.mul(a!, normalCdf(a!)),
  normal_cdf: ([a]) => normalCdf(a!),
  log1p: ([a]) => tf.log1p(a!),
  square: ([a]) => tf.square(a!),
  clip: ([a], n) => tf.clipByValue(a!, n.attrs.lo!, n.attrs.hi!),
  // written out, as PyTorch's BCEWithLogitsLoss computes it: max(z, 0) - z·y + log(1 + e^-|z|)
  amax: ([a], n) => tf.max(a!, axisAttr(n), n.attrs.keepdims === true),
  amin: ([a], n) => tf.min(a!, axisAttr(n), n.attrs.keepdims === true),
  // (no ties in random draws: the mask of the maxima is the mask of the first maximum)
  argmax_mask: ([a], n) => tf.cast(tf.greaterEqual(a!, tf.max(a!, axisAttr(n), true)), "float32"),
  argmin_mask: ([a], n) => tf.cast(tf.greaterEqual(tf.min(a!, axisAttr(n), true), a!), "float32"),
  take: ([e, idx]) => tf.gather(e!, tf.cast(idx!, "int32")),
  take_grad: ([g, idx], n) => {
    const [v, d] = [n.attrs.shape![0]!, n.attrs.shape![1]!];
    return tf.unsortedSegmentSum(tf.reshape(g!, [-1, d]), tf.cast(tf.reshape(idx!, [-1]), "int32") as tf.Tensor1D, v);
  },
  bce_with_logits: ([z, y]) => tf.mean(tf.add(tf.sub(tf.relu(z!), tf.mul(z!, y!)), tf.log1p(tf.exp(tf.neg(tf.abs(z!)))))),
  slice: ([a], n) => tf.reshape(tf.slice(a!, [...n.attrs.begin!], n.attrs.end!.map((e, d) => e - n.attrs.begin![d]!)), [...n.shape]),
  pad: ([a], n) => tf.pad(a!, n.attrs.before!.map((b, d) => [b, n.attrs.after![d]!] as [number, number])),
  concat: (xs, n) => tf.concat(xs, n.attrs.axis ?? 0),
  // outside training (all these evaluations), the identity
  dropout: ([a]) => tf.clone(a!),
  ...windowTfOps,
};

/** Φ(x) = (1 + erf(x/√2)) / 2. */
function normalCdf(x: tf.Tensor): tf.Tensor {
  return tf.mul(0.5, tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}

/** Values of the nodes reachable from `roots`, given the leaves by name. Call inside tf.tidy. */
export function tfjsEvaluate(roots: readonly Node[], leaves: ReadonlyMap<string, tf.Tensor>): Map<Node, tf.Tensor> {
  const values = new Map<Node, tf.Tensor>();
  for (const node of topoOrder(roots)) {
    if (node.args.length === 0) {
      if (node.attrs.name !== undefined) {
        const v = leaves.get(node.attrs.name);
        if (!v) throw new Error(`tfjs: no value for ${node.attrs.name}`);
        values.set(node, v);
      } else values.set(node, tf.fill([...node.shape], node.attrs.value!));
      continue;
    }
    const op = tfjsOps[node.op];
    if (typeof op !== "function") throw new Error(`tfjs: op ${node.op} is exempt: ${op.exempt}`);
    values.set(node, op(node.args.map((a) => values.get(a)!), node));
  }
  return values;
}

export function toTf(values: Float64Array, shape: readonly number[]): tf.Tensor {
  return tf.tensor(Float32Array.from(values), [...shape], "float32");
}

/**
 * The value of scalar node `root` and its gradients w.r.t. the leaves named `wrt`, by TensorFlow.js
 * (float32), at the given float64 values (rounded to float32).
 */
export function tfjsValueAndGrads(
  root: Node,
  leafShapes: ReadonlyMap<string, readonly number[]>,
  point: ReadonlyMap<string, Float64Array>,
  wrt: readonly string[],
): { value: number; grads: Float64Array[] } {
  const out = tf.tidy(() => {
    const leaves = new Map([...leafShapes].map(([name, shape]) => [name, toTf(point.get(name)!, shape)]));
    const f = (...xs: tf.Tensor[]): tf.Tensor => {
      const local = new Map(leaves);
      wrt.forEach((name, i) => local.set(name, xs[i]!));
      return tfjsEvaluate([root], local).get(root)!;
    };
    const xs = wrt.map((n) => leaves.get(n)!);
    return { value: f(...xs), grads: wrt.length === 0 ? [] : tf.grads(f)(xs) };
  });
  const result = { value: out.value.dataSync()[0]!, grads: out.grads.map((g) => Float64Array.from(g.dataSync())) };
  tf.dispose(out);
  return result;
}
