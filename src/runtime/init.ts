// Parameter initializers: fill, zeros, ones, normal(mean, std), uniform(lo, hi), xavier (Glorot
// uniform, U(±sqrt(6 / (fan_in + fan_out)))) and he (Kaiming normal, N(0, sqrt(2 / fan_in)))).
//
// Fans follow the row-vector convention `x @ W` with W: [in, out]: fan_in = shape[0] and
// fan_out = shape[1]. A param of rank 3 or 4 is a convolution kernel [out, in, k…] (as PyTorch):
// fan_in = in · k… and fan_out = out · k…. A rank-1 param [n] (a bias) has fan_in = fan_out = n;
// a scalar has fan_in = fan_out = 1.
//
// Each param draws from its own random stream, derived from the seed and the param's name, so
// adding or reordering params does not change how the others start.
import type { InitSpec } from "../train-spec.ts";
import type { Dtype, ParamMeta, Tensor } from "./contract.ts";
import { createRng } from "./rng.ts";
import { allocTensor } from "./tensors.ts";

export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  if (shape.length === 2) return { fanIn: shape[0]!, fanOut: shape[1]! };
  let receptive = 1;
  for (let i = 2; i < shape.length; i++) receptive *= shape[i]!;
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

export function initTensor(spec: InitSpec, shape: readonly number[], out: Tensor, seed: number, stream: string): void {
  const named = createRng(seed, `init:${stream}`);
  const { fanIn, fanOut } = fans(shape);
  switch (spec.kind) {
    case "fill":
      out.fill(spec.value);
      return;
    case "zeros":
      out.fill(0);
      return;
    case "ones":
      out.fill(1);
      return;
    case "normal":
      for (let i = 0; i < out.length; i++) out[i] = spec.mean + spec.std * named.normal();
      return;
    case "uniform":
      for (let i = 0; i < out.length; i++) out[i] = spec.lo + (spec.hi - spec.lo) * named.uniform();
      return;
    case "xavier": {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < out.length; i++) out[i] = -limit + 2 * limit * named.uniform();
      return;
    }
    case "he": {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < out.length; i++) out[i] = std * named.normal();
      return;
    }
  }
}

/** Fresh params for a model, in `meta.params` order, from the seed. */
export function initParams(params: readonly ParamMeta[], dtype: Dtype, seed: number): Tensor[] {
  return params.map((p) => {
    const t = allocTensor(dtype, p.size);
    initTensor(p.init, p.shape, t, seed, p.name);
    return t;
  });
}
