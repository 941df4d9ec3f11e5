// TensorFlow.js counterparts of netc's convolution and pooling ops (NCHW), for the cross-engine
// suite. TF.js works in NHWC: tensors are transposed in and out. The forward ops use tf.conv1d,
// tf.conv2d, tf.maxPool and tf.avgPool; the internal gradient ops are built from ops TF.js can
// differentiate itself (tf.conv2dTranspose for the input gradient, a conv2d with batch and channels
// swapped for the kernel gradient, gathers for the window positions of the pools), so their own
// derivative rules are checked too.
import * as tf from "@tensorflow/tfjs";
import type { Node } from "../../src/graph/node.ts";
import { convGeometry, poolGeometry, type ConvGeometry } from "../../src/ops/window.ts";

type TfOp = (args: tf.Tensor[], node: Node) => tf.Tensor;

const toNHWC = (x: tf.Tensor): tf.Tensor4D => tf.transpose(x, [0, 2, 3, 1]) as tf.Tensor4D;
const toNCHW = (x: tf.Tensor): tf.Tensor4D => tf.transpose(x, [0, 3, 1, 2]) as tf.Tensor4D;
/** A rank-3 (conv1d) tensor as rank 4 of height 1. */
const as4d = (x: tf.Tensor): tf.Tensor4D => (x.rank === 4 ? x : x.reshape([x.shape[0]!, x.shape[1]!, 1, x.shape[2]!])) as tf.Tensor4D;
/** An NCHW kernel [O, C, kh, kw] as TF.js's filter [kh, kw, C, O]. */
const filterOf = (k: tf.Tensor): tf.Tensor4D => tf.transpose(as4d(k), [2, 3, 1, 0]) as tf.Tensor4D;
const padNCHW = (x: tf.Tensor4D, g: ConvGeometry): tf.Tensor4D =>
  tf.pad(x, [
    [0, 0],
    [0, 0],
    [g.ph, g.ph],
    [g.pw, g.pw],
  ]);

/**
 * `t` [.., n] spread along `axis` to `len` entries: entry k lands at offset + k·step, zeros
 * elsewhere (a gather from `t` with a zero entry appended, so TF.js differentiates it).
 */
function place(t: tf.Tensor, axis: number, len: number, offset: number, step: number): tf.Tensor {
  const n = t.shape[axis]!;
  const zeroShape = t.shape.map((d, a) => (a === axis ? 1 : d));
  const padded = tf.concat([t, tf.zeros(zeroShape)], axis);
  const idx = Array.from({ length: len }, (_, h) => ((h - offset) % step === 0 && h >= offset && (h - offset) / step < n ? (h - offset) / step : n));
  return tf.gather(padded, tf.tensor1d(idx, "int32"), axis);
}

/** Entries offset, offset + step, … (`count` of them) of `t` along `axis`. */
const strided = (t: tf.Tensor, axis: number, count: number, offset: number, step: number): tf.Tensor =>
  tf.gather(t, tf.tensor1d(Array.from({ length: count }, (_, k) => offset + k * step), "int32"), axis);

function conv(x: tf.Tensor, k: tf.Tensor, g: ConvGeometry): tf.Tensor4D {
  return toNCHW(tf.conv2d(toNHWC(padNCHW(as4d(x), g)), filterOf(k), [g.sh, g.sw], "valid"));
}

function withBias(y: tf.Tensor, bias: tf.Tensor | undefined): tf.Tensor {
  if (!bias) return y;
  return tf.add(y, bias.reshape([bias.shape[0]!, ...y.shape.slice(2).map(() => 1)]));
}

const conv2d: TfOp = ([x, k, bias], node) => withBias(conv(x!, k!, convGeometry(x!.shape, k!.shape, node.attrs)), bias);

const conv1d: TfOp = ([x, k, bias], node) => {
  const g = convGeometry(x!.shape, k!.shape, node.attrs);
  const xp = tf.pad(x!, [
    [0, 0],
    [0, 0],
    [g.pw, g.pw],
  ]);
  const y = tf.conv1d(tf.transpose(xp, [0, 2, 1]) as tf.Tensor3D, tf.transpose(k!, [2, 1, 0]) as tf.Tensor3D, g.sw, "valid");
  return withBias(tf.transpose(y, [0, 2, 1]), bias);
};

/** dx of a convolution: TF.js's transposed convolution onto the padded input, the padding cut off. */
const conv_input_grad: TfOp = ([dy, k], node) => {
  const x = node.shape;
  const g = convGeometry(x, k!.shape, node.attrs);
  const [Hp, Wp] = [g.H + 2 * g.ph, g.W + 2 * g.pw];
  const full = tf.conv2dTranspose(toNHWC(as4d(dy!)), filterOf(k!), [g.batch, Hp, Wp, g.inC], [g.sh, g.sw], "valid");
  const dx = tf.slice(toNCHW(full), [0, 0, g.ph, g.pw], [g.batch, g.inC, g.H, g.W]);
  return dx.reshape([...x]);
};

/**
 * dK of a convolution: dK[o,c,i,j] = Σ_b,u,v xpad[b,c,i+u,j+v] · dyd[b,o,u,v] with dyd = dy spread
 * to every stride-th position: a stride-1 conv2d with the batch as channels.
 */
const conv_kernel_grad: TfOp = ([x, dy], node) => {
  const g = convGeometry(x!.shape, node.shape, node.attrs);
  let dyd = as4d(dy!) as tf.Tensor;
  dyd = place(dyd, 2, (g.OH - 1) * g.sh + 1, 0, g.sh);
  dyd = place(dyd, 3, (g.OW - 1) * g.sw + 1, 0, g.sw);
  const input = tf.transpose(padNCHW(as4d(x!), g), [1, 2, 3, 0]) as tf.Tensor4D; // [C, Hp, Wp, B]
  const filter = tf.transpose(dyd, [2, 3, 0, 1]) as tf.Tensor4D; // [U, V, B, O]
  const dK = tf.transpose(tf.conv2d(input, filter, 1, "valid"), [3, 0, 1, 2]); // [O, C, kh, kw]
  return dK.reshape([...node.shape]);
};

const maxpool2d: TfOp = ([x], node) => {
  const g = poolGeometry(x!.shape, node.attrs);
  return toNCHW(tf.maxPool(toNHWC(x!), g.size, g.stride, "valid"));
};

const avgpool2d: TfOp = ([x], node) => {
  const g = poolGeometry(x!.shape, node.attrs);
  return toNCHW(tf.avgPool(toNHWC(x!), g.size, g.stride, "valid"));
};

/** Each window offset (i, j), and how to read the pooled-shape tensor of a tensor's entries there. */
function offsets(xShape: readonly number[], node: Node): { i: number; j: number; at: (t: tf.Tensor) => tf.Tensor }[] {
  const g = poolGeometry(xShape, node.attrs);
  const out: { i: number; j: number; at: (t: tf.Tensor) => tf.Tensor }[] = [];
  for (let i = 0; i < g.size; i++)
    for (let j = 0; j < g.size; j++) out.push({ i, j, at: (t) => strided(strided(t, 2, g.OH, i, g.stride), 3, g.OW, j, g.stride) });
  return out;
}

/** One-hot indicators of each window's first maximum, per window offset (constant for TF.js's gradient). */
function firstMaxIndicators(x: tf.Tensor, node: Node): tf.Tensor[] {
  const m = maxpool2d([x], node);
  let taken: tf.Tensor = tf.zerosLike(m);
  return offsets(x.shape, node).map(({ at }) => {
    // entries are at most the maximum: >= is equality (and TF.js gives >= a zero gradient)
    const hit = tf.mul(tf.cast(tf.greaterEqual(at(x), m), "float32"), tf.sub(1, taken));
    taken = tf.add(taken, hit);
    return hit;
  });
}

/** Pooled-shape tensors placed back at their window offsets and summed: the adjoint of `offsets`. */
function scatter(parts: tf.Tensor[], xShape: readonly number[], node: Node): tf.Tensor {
  const g = poolGeometry(xShape, node.attrs);
  const placed = offsets(xShape, node).map(({ i, j }, k) => place(place(parts[k]!, 2, g.H, i, g.stride), 3, g.W, j, g.stride));
  return tf.addN(placed);
}

const maxpool2d_grad: TfOp = ([x, dy], node) => scatter(firstMaxIndicators(x!, node).map((hit) => tf.mul(hit, dy!)), x!.shape, node);

const maxpool2d_select: TfOp = ([x, v], node) => {
  const hits = firstMaxIndicators(x!, node);
  return tf.addN(offsets(x!.shape, node).map(({ at }, k) => tf.mul(hits[k]!, at(v!))));
};

const avgpool2d_grad: TfOp = ([dy], node) => {
  const g = poolGeometry(node.shape, node.attrs);
  const share = tf.div(dy!, g.size * g.size);
  return scatter(
    offsets(node.shape, node).map(() => share),
    node.shape,
    node,
  );
};

export const windowTfOps = {
  conv1d,
  conv2d,
  conv_input_grad,
  conv_kernel_grad,
  maxpool2d,
  maxpool2d_grad,
  maxpool2d_select,
  avgpool2d,
  avgpool2d_grad,
} satisfies Record<string, TfOp>;
