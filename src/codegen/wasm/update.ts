// The wasm module's `update`, for data-parallel training (src/runtime/parallel/): the optimizer's
// rule of `step` (./step.ts `paramUpdate`, the one source of the rules in wasm) applied to part
// `part` of `parts` of every param's entries, [⌊n·part/parts⌋, ⌊n·(part+1)/parts⌋) of a param of
// n, from the gradient g = w0·A + w1·B, summed in the loop that applies the rule. A is the module's
// own gradient region (where `gradient` leaves it, so a thread's own shard is read in place) and B
// a second region of the same size (../wasm/layout.ts `updateGrads`); the loader copies the
// caller's parts into them. A part's bounds need not fall on whole vectors: a scalar head up to the
// first whole vector, whole vectors, then a scalar tail. The operation order is the JS target's
// `update` (../optimizer.ts): in f64 the result is the same to the bit.
import type { IRModel } from "../../ir/model.ts";
import { size } from "../../graph/node.ts";
import { lossGrad, type Layout } from "./layout.ts";
import type { Code } from "../code.ts";
import { openUpdate } from "../optimizer.ts";
import { emitRule, forEachUpdate } from "./step.ts";
import { WatFunction, type Num } from "./wat.ts";

/** `update(w0, w1, lr, c1, c2, part, parts)` over the module's memory (c1, c2: Adam's bias corrections, else 1). */
export function updateFunction(ir: IRModel, layout: Layout, num: Num, statePerParam: number): WatFunction {
  const fn = new WatFunction("update", [
    ["w0", "f64"],
    ["w1", "f64"],
    ["lr", "f64"],
    ["c1", "f64"],
    ["c2", "f64"],
    ["part", "i32"],
    ["parts", "i32"],
  ]);
  const scalar = (w: string): string => (num.t === "f64" ? `(local.get $${w})` : `(f32.demote_f64 (local.get $${w}))`);
  fn.comment("the weights of the two gradients, as scalars and in every lane");
  for (const w of ["w0", "w1"]) {
    fn.set(fn.local(`${w}s`, num.t), scalar(w));
    fn.set(fn.local(`${w}v`, "v128"), `(${num.v}.splat (local.get $${w}s))`);
  }
  const e = fn.local("e", "i32");
  const hi = fn.local("hi", "i32");
  const addr = fn.local("ua", "i32");
  forEachUpdate(fn, ir, layout, statePerParam, (u, index) => {
    const n = size(ir.checked.params[index]!.shape);
    const { first, second } = layout.updateGrad(index);
    fn.comment(`${u.comment}, from g = w0·A + w1·B (A at ${first.offset}, B at ${second.offset}),`);
    // (not ⌊ ⌋: wabt, which the encoder's test compares with, reads the text's characters as bytes, and ⌊ ends in 0x0A)
    fn.comment(`on entries [floor(${n}·part/parts), floor(${n}·(part+1)/parts))`);
    fn.set(e, bound(n, "(local.get $part)"));
    fn.set(hi, bound(n, "(i32.add (local.get $part) (i32.const 1))"));
    // one entry or one vector at element e: g summed into a local, then the rule reading it
    const apply = (vector: boolean): void => {
      const [T, load, g] = vector ? [num.v, "v128.load", fn.local("gv", "v128")] : [num.t, `${num.t}.load`, fn.local("gs", num.t)];
      const w = (k: string): string => `(local.get $${k}${vector ? "v" : "s"})`;
      fn.set(addr, `(i32.shl (local.get $e) (i32.const ${num.shift}))`);
      fn.set(g, `(${T}.add (${T}.mul ${w("w0")} (${load} offset=${first.offset} (local.get $ua))) (${T}.mul ${w("w1")} (${load} offset=${second.offset} (local.get $ua))))`);
      emitRule(fn, num, u.rule, vector, "(local.get $ua)", (b) => b, { base: u.grad, value: `(local.get $${g})` });
      fn.set(e, `(i32.add (local.get $e) (i32.const ${vector ? num.lanes : 1}))`);
    };
    fn.comment(`the scalar head: entries up to the first whole vector`);
    fn.whileLoop(`(i32.and (i32.lt_u (local.get $e) (local.get $hi)) (i32.ne (i32.and (local.get $e) (i32.const ${num.lanes - 1})) (i32.const 0)))`, () => apply(false));
    fn.comment(`whole vectors of ${num.lanes}`);
    fn.whileLoop(`(i32.le_u (i32.add (local.get $e) (i32.const ${num.lanes})) (local.get $hi))`, () => apply(true));
    fn.comment(`the scalar tail`);
    fn.whileLoop(`(i32.lt_u (local.get $e) (local.get $hi))`, () => apply(false));
  });
  return fn;
}

/** ⌊n·q/parts⌋ as an i32 expression, the product in 64 bits. */
function bound(n: number, q: string): string {
  return `(i32.wrap_i64 (i64.div_u (i64.mul (i64.const ${n}) (i64.extend_i32_u ${q})) (i64.extend_i32_u (local.get $parts))))`;
}

/**
 * The loader's `update(params, state, g0, w0, g1, w1, hyper, part, parts)` (the contract of
 * ../optimizer.ts `emitUpdate`): copies this part of each param, its state and the two gradients
 * into the module's memory (skipping an array that is the module's own view of that region, such
 * as its own `gradient`'s result or `buffers.params`), runs the module's `update`, and copies the
 * part of params and state back out. `hyperArgs`: lr, c1, c2 from `hyper`, as for `step`.
 */
export function emitUpdateLoader(code: Code, ir: IRModel, layout: Layout, statePerParam: number, hyperArgs: string): void {
  const t = (text: string): string => code.ts(text);
  if (ir.loss) {
    code.comment("update's two gradients of each param the loss depends on: [param index, entries, A, B], A where");
    code.comment("`gradient` leaves that gradient (its result's own array) unless another param's gradient is there too.");
    const rows = [...layout.updateGrads].map(([k, { first, second }]) => {
      const grad = lossGrad(ir, k)!;
      const j = ir.grads.indexOf(grad);
      const own = grad.node.shape.length > 0 && first.offset === layout.resultRegion(grad.node).offset;
      return `[${k}, ${first.size}, ${own ? `gradViews[${j}]${t(" as Tensor")}` : `view(${first.offset}, ${first.size})`}, view(${second.offset}, ${second.size})]`;
    });
    code.line(`const updateGrads${t(": [number, number, Tensor, Tensor][]")} = [${rows.join(", ")}];`);
    code.openFunction("function copyPart", [["from", "Tensor"], ["to", "Tensor"], ["lo", "number"], ["hi", "number"]], "void");
    code.line("if (from !== to) to.set(from.subarray(lo, hi), lo);");
    code.close();
    code.blank();
  }
  const doc = [
    "One optimizer update of every param (and its state) in place, from the gradient w0·g0[k] + w1·g1[k] of the",
    "loss with respect to param k, on entries [⌊n·part/parts⌋, ⌊n·(part+1)/parts⌋) of a param of n entries:",
    "data-parallel training runs one part on each thread, from the gradients of two shards of the batch. The",
    "module's `update` does it in its memory; only this part of each array is copied in and out.",
  ];
  if (!openUpdate(code, ir, doc)) return;
  code.comment("a gradient given as the module's own (its `gradient`'s result) is read in place as A; the other goes to B");
  code.line("const swap = updateGrads.some(([k, , a]) => g1[k] === a && g0[k] !== a);");
  code.line("const ga = swap ? g1 : g0;");
  code.line("const gb = swap ? g0 : g1;");
  const bounds = (): void => {
    code.line("const lo = Math.floor((n * part) / parts);");
    code.line("const hi = Math.floor((n * (part + 1)) / parts);");
  };
  const stateCopy = (from: string, to: string): void => {
    if (statePerParam > 0) code.line(`for (let s = k * ${statePerParam}; s < (k + 1) * ${statePerParam}; s++) copyPart(${from}[s]${t("!")}, ${to}[s]${t("!")}, lo, hi);`);
  };
  code.open("for (const [k, n, a, b] of updateGrads)");
  bounds();
  code.line(`copyPart(params[k]${t("!")}, buffers.params[k]${t("!")}, lo, hi);`);
  stateCopy("state", "buffers.state");
  code.line(`copyPart(ga[k]${t("!")}, a, lo, hi);`);
  code.line(`copyPart(gb[k]${t("!")}, b, lo, hi);`);
  code.close();
  code.line(`wasm.update(swap ? w1 : w0, swap ? w0 : w1, ${hyperArgs}, part, parts);`);
  code.open("for (const [k, n] of updateGrads)");
  bounds();
  code.line(`copyPart(buffers.params[k]${t("!")}, params[k]${t("!")}, lo, hi);`);
  stateCopy("buffers.state", "state");
  code.close();
  code.close();
}
