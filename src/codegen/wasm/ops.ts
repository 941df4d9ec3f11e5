// What the wasm target does with each op of the registry, in one table typed over the op names: an
// op added to src/ops/registry.ts without an entry here is a compile error. Element-wise ops give
// their scalar WAT (operands are already-emitted expressions of the dtype); the others name the
// kernel that computes them, or say the target does not support them yet. Transcendental
// functions are the host's Math functions imported as f64 → f64 (exact for f64, rounded once for
// f32), so results match the JS target.
import type { OpName } from "../../ops/registry.ts";
import type { Attrs } from "../../graph/node.ts";
import { fconst, type Num } from "./wat.ts";
import { normalCdfPrelude } from "../../ops/normal_cdf.ts";

/** The scalar WAT of an element-wise op; `attrs` holds its number parameters (leaky_relu's alpha). */
export type WasmScalar = (args: readonly string[], num: Num, attrs: Readonly<Attrs>) => string;

export type WasmOp =
  | { kind: "scalar"; emit: WasmScalar }
  /** Computed by a kernel of its own (matmul, reductions, row-wise ops, losses) or a view (expand). */
  | { kind: "kernel" }
  | { kind: "unsupported" };

/** Imports from the host, module "math": f64 → f64 (pow: two arguments). */
export const MATH_IMPORTS = ["exp", "expm1", "log", "log1p", "sin", "cos", "tan", "tanh", "pow"] as const;

/**
 * Φ, the standard normal distribution function: not a Math function, so the loader carries the JS
 * target's own normalCdf (src/ops/normal_cdf.ts) and the module imports it only when it uses it.
 */
export const NORMAL_CDF = normalCdfPrelude.name;

/** Ops whose scalar WAT calls a JS helper of the loader: the helper's name and TS source. */
export const HOST_HELPERS: Partial<Record<OpName, { name: string; code: string }>> = { gelu: normalCdfPrelude, normal_cdf: normalCdfPrelude };

/** A call of an f64 function on values of the dtype. */
export function callF64(num: Num, fn: string, args: readonly string[]): string {
  if (num.t === "f64") return `(call $${fn} ${args.join(" ")})`;
  return `(f32.demote_f64 (call $${fn} ${args.map((a) => `(f64.promote_f32 ${a})`).join(" ")}))`;
}

const scalar = (emit: WasmScalar): WasmOp => ({ kind: "scalar", emit });
const instr = (name: string): WasmOp => scalar((a, num) => `(${num.t}.${name} ${a.join(" ")})`);
const host = (fn: string): WasmOp => scalar((a, num) => callF64(num, fn, a));
const KERNEL: WasmOp = { kind: "kernel" };
/** 1 where `cond` holds, else 0. */
const indicator = (num: Num, cond: string): string => `(select ${fconst(num, 1)} ${fconst(num, 0)} ${cond})`;

export const wasmOps: { readonly [K in OpName]: WasmOp } = {
  const: KERNEL,
  input: KERNEL,
  param: KERNEL,
  add: instr("add"),
  sub: instr("sub"),
  mul: instr("mul"),
  div: instr("div"),
  pow: host("pow"),
  neg: instr("neg"),
  matmul: KERNEL,
  transpose: KERNEL,
  exp: host("exp"),
  log: host("log"),
  sqrt: instr("sqrt"),
  abs: instr("abs"),
  sin: host("sin"),
  cos: host("cos"),
  tan: host("tan"),
  tanh: host("tanh"),
  sigmoid: host("sigmoid"),
  relu: scalar(([x], num) => `(${num.t}.max ${x} ${fconst(num, 0)})`),
  softplus: host("softplus"),
  max: instr("max"),
  min: instr("min"),
  sum: KERNEL,
  mean: KERNEL,
  logsumexp: KERNEL,
  softmax: KERNEL,
  log_softmax: KERNEL,
  mse: KERNEL,
  cross_entropy: KERNEL,
  expand: KERNEL,
  // (x > 0 ? 1 : 0), (x > 0 ? 1 : x < 0 ? -1 : 0), (a >= b ? 1 : 0): NaN gives 0, as in JS
  heaviside: scalar(([x], num) => indicator(num, `(${num.t}.gt ${x} ${fconst(num, 0)})`)),
  sign: scalar(([x], num) =>
    `(select ${fconst(num, 1)} (select ${fconst(num, -1)} ${fconst(num, 0)} (${num.t}.lt ${x} ${fconst(num, 0)})) (${num.t}.gt ${x} ${fconst(num, 0)}))`,
  ),
  ge: scalar(([a, b], num) => indicator(num, `(${num.t}.ge ${a} ${b})`)),
  // issue 13's ops
  reshape: KERNEL,
  flatten: KERNEL,
  // x > 0 ? x : alpha·x,  x > 0 ? x : alpha·expm1(x),  min(max(x, lo), hi)
  leaky_relu: scalar(([x], num, { alpha = 0.01 }) => `(select ${x} (${num.t}.mul ${fconst(num, alpha)} ${x}) (${num.t}.gt ${x} ${fconst(num, 0)}))`),
  elu: scalar(([x], num, { alpha = 1 }) => `(select ${x} (${num.t}.mul ${fconst(num, alpha)} ${callF64(num, "expm1", [x!])}) (${num.t}.gt ${x} ${fconst(num, 0)}))`),
  clip: scalar(([x], num, { lo = -Infinity, hi = Infinity }) => `(${num.t}.min (${num.t}.max ${x} ${fconst(num, lo)}) ${fconst(num, hi)})`),
  // x·Φ(x) and Φ(x): Φ is the JS target's normalCdf, imported from the loader (NORMAL_CDF)
  gelu: scalar(([x], num) => `(${num.t}.mul ${x} ${callF64(num, NORMAL_CDF, [x!])})`),
  normal_cdf: host(NORMAL_CDF),
  log1p: host("log1p"),
  square: scalar(([x], num) => `(${num.t}.mul ${x} ${x})`),
  bce_with_logits: KERNEL,
  amax: KERNEL,
  amin: KERNEL,
  argmax_mask: KERNEL,
  argmin_mask: KERNEL,
  take: KERNEL,
  take_grad: KERNEL,
  // convolutions and pools: ./conv.ts and ./pool.ts, the loop nests of ../kernels/conv.ts and pool.ts
  conv1d: KERNEL,
  conv2d: KERNEL,
  conv_input_grad: KERNEL,
  conv_kernel_grad: KERNEL,
  maxpool2d: KERNEL,
  maxpool2d_grad: KERNEL,
  maxpool2d_select: KERNEL,
  avgpool2d: KERNEL,
  avgpool2d_grad: KERNEL,
  // a slice is a view (shifted axes, ./expr.ts); pad (its derivative) and concat place operands (./kernels.ts)
  slice: KERNEL,
  pad: KERNEL,
  concat: KERNEL,
  // x times its site's mask, which lives in the module's memory (./layout.ts; the trainer fills it each step): ./expr.ts
  dropout: KERNEL,
};

/**
 * Helper functions in f64 on top of the imports, stable for any |x| like the JS target's preludes:
 *   sigmoid(x)  = 1 / (1 + e^-x) for x ≥ 0, e^x / (1 + e^x) otherwise
 *   softplus(x) = max(x, 0) + log1p(e^-|x|)
 */
export const WASM_HELPERS = `  (func $sigmoid (param $x f64) (result f64) (local $e f64)
    (if (result f64) (f64.ge (local.get $x) (f64.const 0))
      (then (f64.div (f64.const 1) (f64.add (f64.const 1) (call $exp (f64.neg (local.get $x))))))
      (else
        (local.set $e (call $exp (local.get $x)))
        (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e))))))
  (func $softplus (param $x f64) (result f64)
    (f64.add (f64.max (local.get $x) (f64.const 0)) (call $log1p (call $exp (f64.neg (f64.abs (local.get $x)))))))`;

/** The op's wasm entry; ops of the registry this table does not know are reported as unsupported. */
export function wasmOp(op: string): WasmOp {
  return Object.prototype.hasOwnProperty.call(wasmOps, op) ? wasmOps[op as OpName] : { kind: "unsupported" };
}
