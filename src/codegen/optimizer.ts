// The optimizer in a generated module. `step`: backprop, then one update of every param in place
// from the module's own gradients. `update`: the same rules on part of every param's entries,
// [⌊n·part/parts⌋, ⌊n·(part+1)/parts⌋), from a gradient given as w0·g0 + w1·g1: data-parallel
// training (src/runtime/parallel/) runs one part on each thread, from two shards' gradients (or the
// first shard's and the sum of the rest), summed in the very loop that applies the rule. Both
// functions' loops come from `emitRules`, so every rule is written here once. lr comes in through
// `hyper` (so schedules work); momentum and Adam's betas and eps are the model's own and are written
// in as literals. State tensors, param by param:
//   sgd: none · sgd with momentum μ: velocity v · adam: first and second moments m, v.
import type { Node } from "../graph/node.ts";
import type { IRModel } from "../ir/model.ts";
import { size } from "../graph/node.ts";
import type { Code } from "./code.ts";
import { numberLiteral, stringLiteral } from "./literals.ts";
import type { Names } from "./naming.ts";
import { NameAllocator } from "./names.ts";
import { statePerParam } from "./meta.ts";

/** The arguments of `step` (the .d.ts beside a JavaScript module declares the same). */
export const STEP_ARGS = [
  ["params", "Tensor[]"],
  ["data", "readonly Tensor[]"],
  ["hyper", "StepHyper"],
  ["state", "Tensor[]"],
] as const;

/** The arguments of `update`. */
export const UPDATE_ARGS = [
  ["params", "Tensor[]"],
  ["state", "Tensor[]"],
  ["g0", "readonly Tensor[]"],
  ["w0", "number"],
  ["g1", "readonly Tensor[]"],
  ["w1", "number"],
  ["hyper", "StepHyper"],
  ["part", "number"],
  ["parts", "number"],
] as const;

/** Module-level names of the optimizer's functions (reserved in every module). */
export const OPTIMIZER_NAMES = ["update"];

function describeOptimizer(ir: IRModel): string {
  const opt = ir.checked.train.optimizer;
  if (opt.kind === "adam") return `Adam (beta1 ${opt.beta1}, beta2 ${opt.beta2}, eps ${opt.eps})`;
  return opt.momentum !== 0 ? `SGD with momentum ${opt.momentum}` : "plain SGD";
}

/** The body of `step` and `update` in a model without a loss (both targets). */
export const noLossThrow = (ir: IRModel): string => `throw new Error(${stringLiteral(`model ${ir.checked.name} has no loss: there is nothing to train`)});`;

/**
 * Opens `export function update(UPDATE_ARGS)` under a doc comment of `doc` lines (both targets);
 * a model without a loss gets the throwing body, closed, and false.
 */
export function openUpdate(code: Code, ir: IRModel, doc: readonly string[]): boolean {
  code.line("/**");
  for (const line of doc) code.line(` * ${line}`);
  code.line(" */");
  code.openFunction("export function update", UPDATE_ARGS, "void");
  if (ir.loss) return true;
  code.line(noLossThrow(ir));
  code.close();
  return false;
}

/** `step`: backprop, then every param (and its state) updated in place; returns the loss. */
export function emitStep(code: Code, ir: IRModel, names: Names, resultName: (n: Node) => string): void {
  code.line(`/** One ${describeOptimizer(ir)} step on the loss: updates params (and state) in place; returns the loss before the update. */`);
  code.openFunction("export function step", STEP_ARGS, "number");
  if (!ir.loss) {
    code.line(noLossThrow(ir));
    code.close();
    return;
  }
  code.line("backprop(params, data);");
  emitRules(code, ir, {
    fresh: (base) => names.local(base),
    param: (p) => {
      const leaf = ir.leaves.get(p);
      return leaf && names.has(leaf) ? names.nameOf(leaf) : names.local(p);
    },
    // a scalar's gradient is read straight from where backprop left it
    gradient: (grad) => (grad.shape.length === 0 ? () => resultName(grad) : (i) => code.at(resultName(grad), i)),
    loop: (n, body) => {
      if (n > 1) code.loop("i", n);
      body(n > 1 ? "i" : "0");
      if (n > 1) code.close();
    },
  });
  code.blank();
  code.line(`return ${resultName(ir.loss.node)}; // ${ir.loss.name}, before the update`);
  code.close();
}

/**
 * `update`: part `part` of `parts` of every param's entries (and its state) moved by the gradient
 * w0·g0[k] + w1·g1[k] of the loss with respect to param k (aligned with meta.params). It reads
 * nothing at module level, so its locals come from an allocator of its own and any module (the wasm
 * target's loader too) can carry it.
 */
export function emitUpdate(code: Code, ir: IRModel): void {
  const doc = [
    `One ${describeOptimizer(ir)} update of every param (and its state) in place, from the gradient`,
    "w0·g0[k] + w1·g1[k] of the loss with respect to param k, on entries [⌊n·part/parts⌋, ⌊n·(part+1)/parts⌋)",
    "of a param of n entries: data-parallel training runs one part on each thread, from the gradients of",
    "two shards of the batch (or of the first shard and the sum of the rest).",
  ];
  if (!openUpdate(code, ir, doc)) return;
  const names = new NameAllocator([...UPDATE_ARGS.map(([n]) => n), "lr", "i", "Tensor", "StepHyper"]);
  emitRules(code, ir, {
    fresh: (base) => names.fresh(base),
    param: (p) => names.fresh(p),
    gradient: (_grad, k, w) => {
      const [a, b] = [names.fresh(`${w}_g0`), names.fresh(`${w}_g1`)];
      code.line(`const ${a} = ${code.at("g0", k)};`).line(`const ${b} = ${code.at("g1", k)};`);
      return (i) => `(w0 * ${code.at(a, i)} + w1 * ${code.at(b, i)})`;
    },
    loop: (n, body, w) => {
      const end = names.fresh(`${w}_end`);
      code.line(`const ${end} = Math.floor((${n} * (part + 1)) / parts);`);
      code.open(`for (let i = Math.floor((${n} * part) / parts); i < ${end}; i++)`);
      body("i");
      code.close();
    },
  });
  code.close();
}

/** How `step` and `update` differ: their names, where the gradient comes from, and the loop over entries. */
interface RuleSite {
  fresh(base: string): string;
  /** The local holding param `name`. */
  param(name: string): string;
  /** Declares what it needs; returns entry i of the gradient (of param k, local `w`). */
  gradient(grad: Node, k: number, w: string): (i: string) => string;
  /** Runs `body` over the n entries (index expression given), or the ones this call updates. */
  loop(n: number, body: (i: string) => void, w: string): void;
}

/** The update rule of every param, in place: `lr` and Adam's bias corrections first. */
function emitRules(code: Code, ir: IRModel, site: RuleSite): void {
  const loss = ir.loss!;
  const opt = ir.checked.train.optimizer;
  code.line("const lr = hyper.lr;");
  let c1 = "";
  let c2 = "";
  if (opt.kind === "adam") {
    c1 = site.fresh("c1");
    c2 = site.fresh("c2");
    code.comment("bias corrections of the moment estimates");
    code.line(`const ${c1} = 1 - Math.pow(${numberLiteral(opt.beta1)}, hyper.t);`);
    code.line(`const ${c2} = 1 - Math.pow(${numberLiteral(opt.beta2)}, hyper.t);`);
  }
  const perParam = statePerParam(ir);
  const at = (a: string, i: string): string => code.at(a, i);
  ir.checked.params.forEach((p, k) => {
    const grad = ir.grads.find((g) => g.of === loss.name && g.wrt === p.name);
    code.blank();
    if (!grad) {
      code.comment(`${p.name} does not affect ${loss.name}: no update`);
      return;
    }
    const dw = `d${loss.name}/d${p.name}`;
    code.comment(
      opt.kind === "adam"
        ? `m = β1·m + (1-β1)·${dw}, v = β2·v + (1-β2)·(${dw})², ${p.name} -= lr · m̂ / (√v̂ + eps)`
        : perParam === 1
          ? `v = μ·v + ${dw}, ${p.name} -= lr · v`
          : `${p.name} -= lr · ${dw}`,
    );
    const w = site.param(p.name);
    code.line(`const ${w} = ${code.at("params", k)};`);
    const gAt = site.gradient(grad.node, k, w);
    if (opt.kind === "adam") {
      const m = site.fresh(`${w}_m`);
      const v = site.fresh(`${w}_v`);
      code.line(`const ${m} = ${code.at("state", k * perParam)};`).line(`const ${v} = ${code.at("state", k * perParam + 1)};`);
      const gv = site.fresh("g");
      site.loop(
        size(p.shape),
        (i) => {
          code.line(`const ${gv} = ${gAt(i)};`);
          code.line(`${at(m, i)} = ${numberLiteral(opt.beta1)} * ${at(m, i)} + ${numberLiteral(1 - opt.beta1)} * ${gv};`);
          code.line(`${at(v, i)} = ${numberLiteral(opt.beta2)} * ${at(v, i)} + ${numberLiteral(1 - opt.beta2)} * ${gv} * ${gv};`);
          code.line(`${at(w, i)} -= (lr * (${at(m, i)} / ${c1})) / (Math.sqrt(${at(v, i)} / ${c2}) + ${numberLiteral(opt.eps)});`);
        },
        w,
      );
    } else if (perParam === 1) {
      const v = site.fresh(`${w}_v`);
      code.line(`const ${v} = ${code.at("state", k)};`);
      site.loop(
        size(p.shape),
        (i) => {
          code.line(`${at(v, i)} = ${numberLiteral(opt.momentum)} * ${at(v, i)} + ${gAt(i)};`);
          code.line(`${at(w, i)} -= lr * ${at(v, i)};`);
        },
        w,
      );
    } else {
      site.loop(size(p.shape), (i) => code.line(`${at(w, i)} -= lr * ${gAt(i)};`), w);
    }
  });
}
