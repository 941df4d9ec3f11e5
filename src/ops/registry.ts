// The op registry: every op of the IR, one line each. Adding an op is one file plus one line here;
// tests iterate this table, so a new op is shape-tested, folded and gradient-checked automatically.
import type { OpName } from "../graph/node.ts";
import type { OpDef } from "./types.ts";
import { constant } from "./const.ts";
import { input } from "./input.ts";
import { param } from "./param.ts";
import { add } from "./add.ts";
import { sub } from "./sub.ts";
import { mul } from "./mul.ts";
import { div } from "./div.ts";
import { pow } from "./pow.ts";
import { neg } from "./neg.ts";
import { matmul } from "./matmul.ts";
import { transpose } from "./transpose.ts";
import { exp } from "./exp.ts";
import { log } from "./log.ts";
import { sqrt } from "./sqrt.ts";
import { abs } from "./abs.ts";
import { sin } from "./sin.ts";
import { cos } from "./cos.ts";
import { tan } from "./tan.ts";
import { tanh } from "./tanh.ts";
import { sigmoid } from "./sigmoid.ts";
import { relu } from "./relu.ts";
import { softplus } from "./softplus.ts";
import { max } from "./max.ts";
import { min } from "./min.ts";
import { sum } from "./sum.ts";
import { mean } from "./mean.ts";
import { logsumexp } from "./logsumexp.ts";
import { softmax } from "./softmax.ts";
import { log_softmax } from "./log_softmax.ts";
import { mse } from "./mse.ts";
import { cross_entropy } from "./cross_entropy.ts";
import { expand } from "./expand.ts";
import { heaviside } from "./heaviside.ts";
import { sign } from "./sign.ts";
import { ge } from "./ge.ts";
import { reshape } from "./reshape.ts";
import { flatten } from "./flatten.ts";
import { leaky_relu } from "./leaky_relu.ts";
import { elu } from "./elu.ts";
import { gelu } from "./gelu.ts";
import { normal_cdf } from "./normal_cdf.ts";
import { log1p } from "./log1p.ts";
import { square } from "./square.ts";
import { clip } from "./clip.ts";
import { bce_with_logits } from "./bce_with_logits.ts";
import { amax } from "./amax.ts";
import { amin } from "./amin.ts";
import { argmax_mask } from "./argmax_mask.ts";
import { argmin_mask } from "./argmin_mask.ts";
import { take } from "./take.ts";
import { take_grad } from "./take_grad.ts";
import { conv1d } from "./conv1d.ts";
import { conv2d } from "./conv2d.ts";
import { conv_input_grad } from "./conv_input_grad.ts";
import { conv_kernel_grad } from "./conv_kernel_grad.ts";
import { maxpool2d } from "./maxpool2d.ts";
import { maxpool2d_grad } from "./maxpool2d_grad.ts";
import { maxpool2d_select } from "./maxpool2d_select.ts";
import { avgpool2d } from "./avgpool2d.ts";
import { avgpool2d_grad } from "./avgpool2d_grad.ts";
import { slice } from "./slice.ts";
import { pad } from "./pad.ts";
import { concat } from "./concat.ts";
import { dropout } from "./dropout.ts";

export const ops = {
  const: constant,
  input,
  param,
  add,
  sub,
  mul,
  div,
  pow,
  neg,
  matmul,
  transpose,
  exp,
  log,
  sqrt,
  abs,
  sin,
  cos,
  tan,
  tanh,
  sigmoid,
  relu,
  softplus,
  max,
  min,
  sum,
  mean,
  logsumexp,
  softmax,
  log_softmax,
  mse,
  cross_entropy,
  expand,
  heaviside,
  sign,
  ge,
  reshape,
  flatten,
  leaky_relu,
  elu,
  gelu,
  normal_cdf,
  log1p,
  square,
  clip,
  bce_with_logits,
  amax,
  amin,
  argmax_mask,
  argmin_mask,
  take,
  take_grad,
  conv1d,
  conv2d,
  conv_input_grad,
  conv_kernel_grad,
  maxpool2d,
  maxpool2d_grad,
  maxpool2d_select,
  avgpool2d,
  avgpool2d_grad,
  slice,
  pad,
  concat,
  dropout,
} satisfies Record<string, OpDef>;

declare module "../graph/node.ts" {
  // Every key of `ops` is an op name (see OpNames in src/graph/node.ts).
  interface OpNames extends Record<keyof typeof ops, true> {}
}

export type { OpName };

/** The op named `name`; an internal error for an unknown name (the checker only uses known ones). */
export function getOp(name: string): OpDef {
  if (!Object.prototype.hasOwnProperty.call(ops, name)) throw new Error(`internal error: unknown op '${name}'`);
  return ops[name as OpName];
}

/** The names a user may call an op by: its built-in name, and one per rank for some (`conv1d_input`, `conv2d_input`). */
export function builtinNames(def: OpDef): string[] {
  if (!def.builtin) return [];
  return [...new Set([def.builtin.name, ...Object.values(def.builtin.byRank ?? {})])];
}

/** How a node of op `name` with a result of `rank` axes is written in .net, or undefined for an op the language has no name for. */
export function builtinName(name: string, rank: number): string | undefined {
  const b = getOp(name).builtin;
  return b?.byRank?.[rank] ?? b?.name;
}

/** The op behind a built-in function name of the language (`softmax`, `conv2d_input`), if any. */
export function builtinOp(name: string): OpDef | undefined {
  for (const def of Object.values(ops) as OpDef[]) if (builtinNames(def).includes(name)) return def;
  return undefined;
}

/** Operators of the language and the ops they denote. */
export const operatorOps = { "+": "add", "-": "sub", "*": "mul", "/": "div", "^": "pow", "@": "matmul", neg: "neg" } as const;
