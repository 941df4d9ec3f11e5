// The optimizer update of the wasm module's `step`: each param updated in place from its gradient,
// a vector of lanes at a time with the remainder in scalar code. The rules and their operation
// order are the JS target's (../optimizer.ts):
//   sgd:       W -= lr · g
//   momentum:  v = μ·v + g;  W -= lr · v
//   adam:      m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;  W -= (lr · (m / c1)) / (√(v / c2) + eps)
// with c1 = 1 - β1^t and c2 = 1 - β2^t computed by the loader. A param whose gradient is finished
// by a backward kernel that can apply the rule as it stores it (./fuse.ts) is updated there
// (`FusedUpdate`); the others in a separate pass after backprop (`emitUpdate`). Both run the same
// rule on the same stored gradient, so the params come out bit for bit the same either way.
import type { IRModel } from "../../ir/model.ts";
import { size } from "../../graph/node.ts";
import { lossGrad, type Layout } from "./layout.ts";
import { floatLiteral, linI32, type Lin, type Num, type WatFunction } from "./wat.ts";

/** An element-wise rule over vectors or scalars: `op(name, ...args)` builds one instruction. */
type Rule = (op: (name: string, ...args: string[]) => string, at: (base: number) => string, k: (c: number) => string) => [number, string][];

/** The update of one param: its rule, a comment that states it, and where its gradient lives. */
export interface ParamUpdate {
  index: number;
  name: string;
  rule: Rule;
  comment: string;
  /** Byte offset of the gradient's region. */
  grad: number;
}

/** The update of param `index`, or null when the param does not affect the loss. */
export function paramUpdate(ir: IRModel, layout: Layout, statePerParam: number, index: number): ParamUpdate | null {
  const opt = ir.checked.train.optimizer;
  const p = ir.checked.params[index]!;
  const grad = lossGrad(ir, index);
  if (!grad) return null;
  const W = layout.params[index]!.offset;
  const G = layout.resultRegion(grad.node).offset;
  const S = layout.state.slice(index * statePerParam, (index + 1) * statePerParam).map((r) => r.offset);
  const base = { index, name: p.name, grad: G };
  if (opt.kind === "adam") {
    const [M, V] = S as [number, number];
    return {
      ...base,
      comment: `${p.name}: Adam, m = β1·m + (1-β1)·g, v = β2·v + (1-β2)·g², ${p.name} -= lr · m̂ / (√v̂ + eps)`,
      rule: (op, at, k) => {
        const g = at(G);
        const m = op("add", op("mul", k(opt.beta1), at(M)), op("mul", k(1 - opt.beta1), g));
        const v = op("add", op("mul", k(opt.beta2), at(V)), op("mul", op("mul", k(1 - opt.beta2), g), g));
        const w = op("sub", at(W), op("div", op("mul", "LR", op("div", at(M), "C1")), op("add", op("sqrt", op("div", at(V), "C2")), k(opt.eps))));
        return [[M, m], [V, v], [W, w]];
      },
    };
  }
  if (statePerParam === 1) {
    const [V] = S as [number];
    return {
      ...base,
      comment: `${p.name}: momentum, v = μ·v + g, ${p.name} -= lr · v`,
      rule: (op, at, k) => [
        [V, op("add", op("mul", k(opt.momentum), at(V)), at(G))],
        [W, op("sub", at(W), op("mul", "LR", at(V)))],
      ],
    };
  }
  return { ...base, comment: `${p.name} -= lr · dL/d${p.name}`, rule: (op, at) => [[W, op("sub", at(W), op("mul", "LR", at(G)))]] };
}

/** Each param's update rule, in order, to `each`; a param the loss does not depend on gets a comment instead. */
export function forEachUpdate(fn: WatFunction, ir: IRModel, layout: Layout, statePerParam: number, each: (u: ParamUpdate, index: number) => void): void {
  ir.checked.params.forEach((p, index) => {
    fn.blank();
    const u = paramUpdate(ir, layout, statePerParam, index);
    if (u) each(u, index);
    else fn.comment(`${p.name} does not affect ${ir.loss?.name ?? "the loss"}: no update`);
  });
}

/** The separate update pass, after backprop, of every param not in `fused` (indices). */
export function emitUpdate(fn: WatFunction, ir: IRModel, layout: Layout, num: Num, statePerParam: number, fused: ReadonlySet<number>): void {
  forEachUpdate(fn, ir, layout, statePerParam, (u, index) => {
    const p = ir.checked.params[index]!;
    if (fused.has(index)) {
      fn.comment(`${p.name}: updated in backward, as its gradient is stored (fused)`);
      return;
    }
    fn.comment(u.comment);
    flatLoop(fn, num, size(p.shape), u.rule);
  });
}

/** Runs `rule` over n elements: vectors of lanes first (local q is the byte offset), then the rest. */
function flatLoop(fn: WatFunction, num: Num, n: number, rule: Rule): void {
  const vecs = Math.floor(n / num.lanes);
  if (vecs > 0) fn.loop("q", vecs * 16, () => emitRule(fn, num, rule, true, "(local.get $q)", (b) => b), 0, 16);
  for (let e = vecs * num.lanes; e < n; e++) emitRule(fn, num, rule, false, "(i32.const 0)", (b) => b + e * num.bytes);
}

/**
 * One application of `rule` to a vector (or one element) at the dynamic byte address `addr` plus
 * `offsetOf(base)` for each region: stored in order, each store reading the values stored before
 * it (Adam's W reads the new m and v). With `gradient`, the rule reads the gradient (the region at
 * `gradient.base`) as that expression instead of loading it (./update.ts: a sum of two gradients).
 */
export function emitRule(
  fn: WatFunction,
  num: Num,
  rule: Rule,
  vector: boolean,
  addr: string,
  offsetOf: (base: number) => number,
  gradient?: { base: number; value: string },
): void {
  const hyper = (name: string): string => {
    const s = num.t === "f64" ? `(local.get $${name})` : `(f32.demote_f64 (local.get $${name}))`;
    return vector ? `(${num.v}.splat ${s})` : s;
  };
  const T = vector ? num.v : num.t;
  const names: Record<string, string> = { LR: hyper("lr"), C1: hyper("c1"), C2: hyper("c2") };
  const sub = (text: string): string => names[text] ?? text;
  const op = (name: string, ...args: string[]): string => `(${T}.${name} ${args.map(sub).join(" ")})`;
  const at = (base: number): string => (gradient?.base === base ? gradient.value : `(${vector ? "v128" : num.t}.load offset=${offsetOf(base)} ${addr})`);
  const k = (c: number): string => (vector ? `(${num.v}.splat (${num.t}.const ${floatLiteral(c)}))` : `(${num.t}.const ${floatLiteral(c)})`);
  for (const [base, value] of rule(op, at, k)) fn.line(`(${vector ? "v128" : num.t}.store offset=${offsetOf(base)} ${addr} ${value})`);
}

/**
 * The update of one param fused into the backward kernel that finishes its gradient. Every such
 * kernel finishes the gradient's elements in memory order (row by row, kernel row by kernel row,
 * entry by entry); after each stretch it calls `upTo`, which updates the finished elements in
 * whole vectors from where the last call stopped, and at its end `end` updates the few elements
 * left past the last whole vector. The updates run only when backward's `$update` flag is set
 * (`step`); `gradient` leaves it clear and gets the plain gradient.
 */
export class FusedUpdate {
  /** Whether the kernel called `end` (else the fusion plan and the kernel disagree: an internal error). */
  emitted = false;

  constructor(
    readonly update: ParamUpdate,
    private readonly num: Num,
  ) {}

  /** Before the kernel's first store: nothing is updated yet. */
  begin(fn: WatFunction): void {
    fn.set(fn.local("uv", "i32"), "(i32.const 0)");
  }

  /** Elements [0, to) of the gradient are finished (`to` in elements): update them, whole vectors at a time. */
  upTo(fn: WatFunction, to: Lin): void {
    const vectors = `(i32.shr_u ${linI32(to)} (i32.const ${Math.log2(this.num.lanes)}))`;
    fn.comment(`fused update of ${this.update.name} (step only): the vectors finished so far`);
    fn.when("(local.get $update)", () => {
      fn.set(fn.local("uvEnd", "i32"), vectors);
      fn.range("uv", null, "(local.get $uvEnd)", () => {
        fn.set(fn.local("ua", "i32"), "(i32.shl (local.get $uv) (i32.const 4))");
        emitRule(fn, this.num, this.update.rule, true, "(local.get $ua)", (b) => b);
      });
    });
  }

  /** After the kernel: the `count` elements of the gradient are finished; update those past the last whole vector. */
  end(fn: WatFunction, count: number): void {
    this.emitted = true;
    const from = Math.floor(count / this.num.lanes) * this.num.lanes;
    if (from === count) return;
    fn.comment(`fused update of ${this.update.name} (step only): the last ${count - from} entries`);
    fn.when("(local.get $update)", () => {
      for (let e = from; e < count; e++) emitRule(fn, this.num, this.update.rule, false, "(i32.const 0)", (b) => b + e * this.num.bytes);
    });
  }
}
