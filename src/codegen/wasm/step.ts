// The optimizer update of the wasm module's `step`, after backprop: each param updated in place
// from its gradient, a vector of lanes at a time with the remainder in scalar code. The rules and
// their operation order are the JS target's (../optimizer.ts):
//   sgd:       W -= lr · g
//   momentum:  v = μ·v + g;  W -= lr · v
//   adam:      m = β1·m + (1-β1)·g;  v = β2·v + (1-β2)·g²;  W -= (lr · (m / c1)) / (√(v / c2) + eps)
// with c1 = 1 - β1^t and c2 = 1 - β2^t computed by the loader.
import type { IRModel } from "../../ir/model.ts";
import { size } from "../../graph/node.ts";
import type { Layout } from "./layout.ts";
import { floatLiteral, type Num, type WatFunction } from "./wat.ts";

/** An element-wise rule over vectors or scalars: `op(name, ...args)` builds one instruction. */
type Rule = (op: (name: string, ...args: string[]) => string, at: (base: number) => string, k: (c: number) => string) => [number, string][];

export function emitUpdate(fn: WatFunction, ir: IRModel, layout: Layout, num: Num, statePerParam: number): void {
  const opt = ir.checked.train.optimizer;
  const loss = ir.loss!;
  ir.checked.params.forEach((p, index) => {
    const grad = ir.grads.find((g) => g.of === loss.name && g.wrt === p.name);
    fn.blank();
    if (!grad) {
      fn.comment(`${p.name} does not affect ${loss.name}: no update`);
      return;
    }
    const W = layout.params[index]!.offset;
    const G = layout.resultRegion(grad.node).offset;
    const S = layout.state.slice(index * statePerParam, (index + 1) * statePerParam).map((r) => r.offset);
    let rule: Rule;
    if (opt.kind === "adam") {
      fn.comment(`${p.name}: Adam, m = β1·m + (1-β1)·g, v = β2·v + (1-β2)·g², ${p.name} -= lr · m̂ / (√v̂ + eps)`);
      const [M, V] = S as [number, number];
      rule = (op, at, k) => {
        const g = at(G);
        const m = op("add", op("mul", k(opt.beta1), at(M)), op("mul", k(1 - opt.beta1), g));
        const v = op("add", op("mul", k(opt.beta2), at(V)), op("mul", op("mul", k(1 - opt.beta2), g), g));
        const w = op("sub", at(W), op("div", op("mul", "LR", op("div", at(M), "C1")), op("add", op("sqrt", op("div", at(V), "C2")), k(opt.eps))));
        return [[M, m], [V, v], [W, w]];
      };
    } else if (statePerParam === 1) {
      fn.comment(`${p.name}: momentum, v = μ·v + g, ${p.name} -= lr · v`);
      const [V] = S as [number];
      rule = (op, at, k) => [
        [V, op("add", op("mul", k(opt.momentum), at(V)), at(G))],
        [W, op("sub", at(W), op("mul", "LR", at(V)))],
      ];
    } else {
      fn.comment(`${p.name} -= lr · dL/d${p.name}`);
      rule = (op, at) => [[W, op("sub", at(W), op("mul", "LR", at(G)))]];
    }
    flatLoop(fn, num, size(p.shape), rule);
  });
}

/** Runs `rule` over n elements: vectors of lanes first (local p is the byte offset), then the rest. */
function flatLoop(fn: WatFunction, num: Num, n: number, rule: Rule): void {
  const vecs = Math.floor(n / num.lanes);
  const hyper = (name: string, vector: boolean): string => {
    const s = num.t === "f64" ? `(local.get $${name})` : `(f32.demote_f64 (local.get $${name}))`;
    return vector ? `(${num.v}.splat ${s})` : s;
  };
  const emit = (vector: boolean, addr: string, offsetOf: (base: number) => number): void => {
    const T = vector ? num.v : num.t;
    const names: Record<string, string> = { LR: hyper("lr", vector), C1: hyper("c1", vector), C2: hyper("c2", vector) };
    const sub = (text: string): string => names[text] ?? text;
    const op = (name: string, ...args: string[]): string => `(${T}.${name} ${args.map(sub).join(" ")})`;
    const at = (base: number): string => `(${vector ? "v128" : num.t}.load offset=${offsetOf(base)} ${addr})`;
    const k = (c: number): string => (vector ? `(${num.v}.splat (${num.t}.const ${floatLiteral(c)}))` : `(${num.t}.const ${floatLiteral(c)})`);
    // stored in order, each rule reading the values stored before it (Adam's W reads the new m and v)
    for (const [base, value] of rule(op, at, k)) fn.line(`(${vector ? "v128" : num.t}.store offset=${offsetOf(base)} ${addr} ${value})`);
  };
  if (vecs > 0) fn.loop("q", vecs * 16, () => emit(true, "(local.get $q)", (b) => b), 0, 16);
  for (let e = vecs * num.lanes; e < n; e++) emit(false, "(i32.const 0)", (b) => b + e * num.bytes);
}
