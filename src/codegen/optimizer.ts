// The training step of a generated module: backprop, then one optimizer update of every param in
// place. lr comes in through `hyper` (so schedules work); momentum and Adam's betas and eps are
// the model's own and are written in as literals. State tensors, param by param:
//   sgd: none · sgd with momentum μ: velocity v · adam: first and second moments m, v.
import type { Node } from "../graph/node.ts";
import type { IRModel } from "../ir/model.ts";
import { size } from "../graph/node.ts";
import type { Code } from "./code.ts";
import { numberLiteral, stringLiteral } from "./literals.ts";
import type { Names } from "./naming.ts";
import { statePerParam } from "./meta.ts";

/** The arguments of `step` (the .d.ts beside a JavaScript module declares the same). */
export const STEP_ARGS = [
  ["params", "Tensor[]"],
  ["data", "readonly Tensor[]"],
  ["hyper", "StepHyper"],
  ["state", "Tensor[]"],
] as const;

export function emitStep(code: Code, ir: IRModel, names: Names, resultName: (n: Node) => string): void {
  const opt = ir.checked.train.optimizer;
  const describe =
    opt.kind === "adam"
      ? `Adam (beta1 ${opt.beta1}, beta2 ${opt.beta2}, eps ${opt.eps})`
      : opt.momentum !== 0
        ? `SGD with momentum ${opt.momentum}`
        : "plain SGD";
  code.line(`/** One ${describe} step on the loss: updates params (and state) in place; returns the loss before the update. */`);
  code.openFunction("export function step", STEP_ARGS, "number");
  if (!ir.loss) {
    code.line(`throw new Error(${stringLiteral(`model ${ir.checked.name} has no loss: there is nothing to train`)});`);
    code.close();
    return;
  }
  const loss = ir.loss;
  code.line("backprop(params, data);");
  code.line("const lr = hyper.lr;");
  let c1 = "";
  let c2 = "";
  if (opt.kind === "adam") {
    c1 = names.local("c1");
    c2 = names.local("c2");
    code.comment("bias corrections of the moment estimates");
    code.line(`const ${c1} = 1 - Math.pow(${numberLiteral(opt.beta1)}, hyper.t);`);
    code.line(`const ${c2} = 1 - Math.pow(${numberLiteral(opt.beta2)}, hyper.t);`);
  }
  const perParam = statePerParam(ir);
  ir.checked.params.forEach((p, k) => {
    const grad = ir.grads.find((g) => g.of === loss.name && g.wrt === p.name);
    code.blank();
    if (!grad) {
      code.comment(`${p.name} does not affect ${loss.name}: no update`);
      return;
    }
    const leaf = ir.leaves.get(p.name);
    const w = leaf && names.has(leaf) ? names.nameOf(leaf) : names.local(p.name);
    const g = resultName(grad.node);
    const n = size(p.shape);
    const scalarGrad = grad.node.shape.length === 0;
    const at = (a: string, i: string): string => code.at(a, i);
    const gAt = (i: string): string => (scalarGrad ? g : at(g, i));
    const dw = `d${loss.name}/d${p.name}`;
    const rule =
      opt.kind === "adam"
        ? `m = β1·m + (1-β1)·${dw}, v = β2·v + (1-β2)·(${dw})², ${p.name} -= lr · m̂ / (√v̂ + eps)`
        : perParam === 1
          ? `v = μ·v + ${dw}, ${p.name} -= lr · v`
          : `${p.name} -= lr · ${dw}`;
    code.comment(rule);
    code.line(`const ${w} = ${code.at("params", k)};`);
    const i = n === 1 ? "0" : "i";
    if (opt.kind === "adam") {
      const m = names.local(`${w}_m`);
      const v = names.local(`${w}_v`);
      code.line(`const ${m} = ${code.at("state", k * perParam)};`).line(`const ${v} = ${code.at("state", k * perParam + 1)};`);
      if (n > 1) code.loop("i", n);
      const gv = names.local("g");
      code.line(`const ${gv} = ${gAt(i)};`);
      code.line(`${at(m, i)} = ${numberLiteral(opt.beta1)} * ${at(m, i)} + ${numberLiteral(1 - opt.beta1)} * ${gv};`);
      code.line(`${at(v, i)} = ${numberLiteral(opt.beta2)} * ${at(v, i)} + ${numberLiteral(1 - opt.beta2)} * ${gv} * ${gv};`);
      code.line(`${at(w, i)} -= (lr * (${at(m, i)} / ${c1})) / (Math.sqrt(${at(v, i)} / ${c2}) + ${numberLiteral(opt.eps)});`);
      if (n > 1) code.close();
    } else if (perParam === 1) {
      const v = names.local(`${w}_v`);
      code.line(`const ${v} = ${code.at("state", k)};`);
      if (n > 1) code.loop("i", n);
      code.line(`${at(v, i)} = ${numberLiteral(opt.momentum)} * ${at(v, i)} + ${gAt(i)};`);
      code.line(`${at(w, i)} -= lr * ${at(v, i)};`);
      if (n > 1) code.close();
    } else {
      if (n > 1) code.loop("i", n);
      code.line(`${at(w, i)} -= lr * ${gAt(i)};`);
      if (n > 1) code.close();
    }
  });
  code.blank();
  code.line(`return ${resultName(loss.node)}; // ${loss.name}, before the update`);
  code.close();
}
