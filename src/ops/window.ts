// Sliding windows, shared by the convolution and pooling op files (not an op): the geometry of a
// window op, its shape rules with the messages the checker shows, and the loops of the reference
// evaluation. A conv1d is a conv2d of height 1 (kernel height 1, no padding or stride along it),
// so every loop here is written once, for two spatial axes, in NCHW layout as PyTorch.
//
// A convolution (cross-correlation, as PyTorch's conv2d) is a sum of *terms*
//     y[b, o, oh, ow] += x[b, c, oh·s + i − p, ow·s + j − p] · K[o, c, i, j]
// over the terms whose x index lies inside x (the rest read the zero padding). Its two gradients
// sum the very same terms, each into a different operand: the input gradient
//     dx[b, c, oh·s + i − p, ow·s + j − p] += dy[b, o, oh, ow] · K[o, c, i, j]
// (a full correlation of dy with the flipped kernel) and the kernel gradient
//     dK[o, c, i, j] += x[b, c, oh·s + i − p, ow·s + j − p] · dy[b, o, oh, ow].
import type { Attrs, Node, Shape } from "../graph/node.ts";
import type { IRBuilder } from "./types.ts";

/** A convolution's sizes: batch, channels in/out, input, kernel and output extents, stride, padding. */
export interface ConvGeometry {
  batch: number;
  inC: number;
  outC: number;
  H: number;
  W: number;
  kh: number;
  kw: number;
  OH: number;
  OW: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
}

/** Stride and padding as given (unset means the default: 1 and 0). */
export const strideOf = (attrs: Readonly<Attrs>): number => attrs.stride ?? 1;
export const paddingOf = (attrs: Readonly<Attrs>): number => attrs.padding ?? 0;

/** The stride/padding attributes of a window op, without anything else (to pass on to its gradients). */
export function windowAttrs(attrs: Readonly<Attrs>): Attrs {
  const a: Attrs = {};
  if (attrs.size !== undefined) a.size = attrs.size;
  if (attrs.stride !== undefined) a.stride = attrs.stride;
  if (attrs.padding !== undefined) a.padding = attrs.padding;
  return a;
}

/** The geometry of a convolution of x by kernel k (shapes already checked); rank 3 is conv1d. */
export function convGeometry(x: Shape, k: Shape, attrs: Readonly<Attrs>): ConvGeometry {
  const s = strideOf(attrs);
  const p = paddingOf(attrs);
  const two = x.length === 4;
  const H = two ? x[2]! : 1;
  const W = x[x.length - 1]!;
  const kh = two ? k[2]! : 1;
  const kw = k[k.length - 1]!;
  const sh = two ? s : 1;
  const ph = two ? p : 0;
  return {
    batch: x[0]!,
    inC: x[1]!,
    outC: k[0]!,
    H,
    W,
    kh,
    kw,
    OH: (H + 2 * ph - kh) / sh + 1,
    OW: (W + 2 * p - kw) / s + 1,
    sh,
    sw: s,
    ph,
    pw: p,
  };
}

/** The output shape of the convolution (geometry already checked). */
export const convOutShape = (g: ConvGeometry, rank: number): Shape => (rank === 4 ? [g.batch, g.outC, g.OH, g.OW] : [g.batch, g.outC, g.OW]);

/** Why `stride` / `padding` / `size` is not a valid value, or null. */
function intProblem(name: string, what: string, v: number | undefined, min: number): string | null {
  if (v === undefined || (Number.isSafeInteger(v) && v >= min)) return null;
  return `the ${what} of ${name} must be ${min === 0 ? "a non-negative" : "a positive"} integer, found ${v}`;
}

/**
 * The output extent of one spatial axis, or why there is none: `(n + 2p − k) / s + 1` must be a
 * whole number of at least 1. `subject` opens the message ("conv2d of $0 with $1"), `axis` names the axis.
 */
function extent(subject: string, axis: string, n: number, k: number, s: number, p: number, kernel: string): number | string {
  const span = n + 2 * p - k;
  const padded = p > 0 ? `the padded ${axis} ${n} + 2·${p} = ${n + 2 * p}` : `the ${axis} ${n}`;
  if (span < 0) return `${subject}: the ${kernel} ${axis} ${k} is larger than ${padded}`;
  if (span % s !== 0) {
    const formula = p > 0 ? `(${n} + 2·${p} − ${k}) / ${s} + 1` : `(${n} − ${k}) / ${s} + 1`;
    const value = span / s + 1;
    const shown = Number.isInteger(value * 2) ? String(value) : `${value.toFixed(2)}…`;
    return `${subject}: the output ${axis} ${formula} = ${shown} is not an integer`;
  }
  return span / s + 1;
}

const rankWords = (rank: number): string => (rank === 0 ? "a scalar" : `rank ${rank}`);

/**
 * Shape rule of conv1d (spatial 1) and conv2d (spatial 2): x [B, C, (H,) W], K [O, C, (kh,) kw],
 * an optional bias [O]. Messages use $0 = x, $1 = K, $2 = the bias.
 */
export function convShape(op: string, spatial: 1 | 2, shapes: readonly Shape[], attrs: Readonly<Attrs>): Shape | string {
  const [x, k, bias] = shapes;
  if (shapes.length < 2 || shapes.length > 3) return `${op} takes x, a kernel and an optional bias`;
  const rank = spatial + 2;
  const xDims = spatial === 2 ? "[batch, channels, height, width]" : "[batch, channels, length]";
  const kDims = spatial === 2 ? "[out_channels, in_channels, kernel_height, kernel_width]" : "[out_channels, in_channels, kernel_length]";
  if (x!.length !== rank) return `${op} needs x shaped ${xDims}, but $0 has ${rankWords(x!.length)}`;
  if (k!.length !== rank) return `${op} needs a kernel shaped ${kDims}, but $1 has ${rankWords(k!.length)}`;
  if (k![1] !== x![1]) return `cannot convolve $0 with $1: x has ${x![1]} channels (axis 1) but the kernel takes ${k![1]}`;
  if (bias && (bias.length !== 1 || bias[0] !== k![0])) return `the bias of ${op} must have shape [${k![0]}], one value per output channel of $1, but $2`;
  const bad = intProblem(op, "stride", attrs.stride, 1) ?? intProblem(op, "padding", attrs.padding, 0);
  if (bad) return bad;
  const s = strideOf(attrs);
  const p = paddingOf(attrs);
  const out: number[] = [x![0]!, k![0]!];
  const axes = spatial === 2 ? ["height", "width"] : ["length"];
  for (let a = 0; a < spatial; a++) {
    const e = extent(`${op} of $0 with $1`, axes[a]!, x![2 + a]!, k![2 + a]!, s, p, "kernel");
    if (typeof e === "string") return e;
    out.push(e);
  }
  return out;
}

/** Calls `f(xi, ki, yi)` with the flat indices of x, K and y of every term of the convolution. */
export function forEachTerm(g: ConvGeometry, f: (xi: number, ki: number, yi: number) => void): void {
  const { batch, inC, outC, H, W, kh, kw, OH, OW, sh, sw, ph, pw } = g;
  for (let b = 0; b < batch; b++)
    for (let o = 0; o < outC; o++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) {
          const yi = ((b * outC + o) * OH + oh) * OW + ow;
          for (let c = 0; c < inC; c++)
            for (let i = 0; i < kh; i++) {
              const h = oh * sh + i - ph;
              if (h < 0 || h >= H) continue;
              for (let j = 0; j < kw; j++) {
                const w = ow * sw + j - pw;
                if (w < 0 || w >= W) continue;
                f(((b * inC + c) * H + h) * W + w, ((o * inC + c) * kh + i) * kw + j, yi);
              }
            }
        }
}

/** The convolution op for x of rank 3 (conv1d) or 4 (conv2d). */
export const convOpFor = (rank: number): "conv1d" | "conv2d" => (rank === 3 ? "conv1d" : "conv2d");

/** The bias gradient of a convolution: dy summed over the batch and every spatial position. */
export function biasGrad(b: IRBuilder, g: Node): Node {
  let r = b.sum(g, 0);
  while (r.shape.length > 1) r = b.sum(r, r.shape.length - 1);
  return r;
}

/** A pool's sizes: the planes (batch × channels), input and output extents, window and stride. */
export interface PoolGeometry {
  planes: number;
  H: number;
  W: number;
  size: number;
  stride: number;
  OH: number;
  OW: number;
}

export const poolStride = (attrs: Readonly<Attrs>): number => attrs.stride ?? attrs.size ?? 1;

/** Shape rule of maxpool2d and avgpool2d: x [B, C, H, W], windows size × size every `stride`. */
export function poolShape(op: string, x: Shape, attrs: Readonly<Attrs>): Shape | string {
  if (x.length !== 4) return `${op} needs x shaped [batch, channels, height, width], but $0 has ${rankWords(x.length)}`;
  if (attrs.size === undefined) return `${op} needs a window size`;
  const bad = intProblem(op, "window size", attrs.size, 1) ?? intProblem(op, "stride", attrs.stride, 1);
  if (bad) return bad;
  const s = poolStride(attrs);
  const out: number[] = [x[0]!, x[1]!];
  for (const [a, axis] of [[2, "height"], [3, "width"]] as const) {
    const e = extent(`${op} of $0`, axis, x[a]!, attrs.size, s, 0, "window");
    if (typeof e === "string") return e;
    out.push(e);
  }
  return out;
}

export function poolGeometry(x: Shape, attrs: Readonly<Attrs>): PoolGeometry {
  const size = attrs.size!;
  const stride = poolStride(attrs);
  const [B, C, H, W] = x as [number, number, number, number];
  return { planes: B * C, H, W, size, stride, OH: (H - size) / stride + 1, OW: (W - size) / stride + 1 };
}

/** Calls `f(yi, first)` per window: its flat output index and the flat input index of its top-left entry. */
export function forEachWindow(g: PoolGeometry, f: (yi: number, first: number) => void): void {
  for (let p = 0; p < g.planes; p++)
    for (let oh = 0; oh < g.OH; oh++)
      for (let ow = 0; ow < g.OW; ow++) f((p * g.OH + oh) * g.OW + ow, (p * g.H + oh * g.stride) * g.W + ow * g.stride);
}

/** Flat input indices of the window whose top-left entry is `first`, in row-major order. */
export function windowEntries(g: PoolGeometry, first: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < g.size; i++) for (let j = 0; j < g.size; j++) out.push(first + i * g.W + j);
  return out;
}

/**
 * The flat index of the window's maximum: the first in row-major order on a tie (where the
 * gradient goes, as PyTorch); a NaN counts as the maximum (it propagates, as in PyTorch).
 */
export function windowArgmax(x: Float64Array, g: PoolGeometry, first: number): number {
  let best = first;
  let m = x[first]!;
  for (let i = 0; i < g.size; i++)
    for (let j = 0; j < g.size; j++) {
      const at = first + i * g.W + j;
      const v = x[at]!;
      if (v > m || (v !== v && m === m)) {
        m = v;
        best = at;
      }
    }
  return best;
}

/**
 * The kink switches of a max pool: for each window and entry, the entry minus the largest other
 * entry. Its sign says which entry is the maximum, so a probe whose two sides pick different
 * entries (or touch a tie) changes a sign (see src/gradcheck/kinks.ts).
 */
export function maxPoolSwitches(x: Float64Array, g: PoolGeometry): Float64Array {
  const n = g.size * g.size;
  const out = new Float64Array(g.planes * g.OH * g.OW * n);
  forEachWindow(g, (yi, first) => {
    const entries = windowEntries(g, first);
    entries.forEach((e, k) => {
      let other = -Infinity;
      entries.forEach((e2, k2) => {
        if (k2 !== k) other = Math.max(other, x[e2]!);
      });
      out[yi * n + k] = x[e]! - other;
    });
  });
  return out;
}
