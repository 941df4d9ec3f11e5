// printCheckedModel: the checked model as text (`netc compile FILE --emit ast`): one line per
// declaration and binding with its shape, defs inlined and dims replaced by their values, e.g.
// `h: [32, 15] = sigmoid(x @ W1 + b1)`, then the gradients asked for, the train settings and
// the number of trainable values.
import type { CheckedModel, TExpr } from "./model.ts";
import type { InitSpec, TrainConfig } from "../train-spec.ts";
import { builtinName, getOp } from "../ops/registry.ts";
import { ATOM, INFIX, infix, negation, numberText, type Printed } from "../ops/notation.ts";
import { slicePrinted } from "../ops/slicing.ts";
import { attrArgs } from "../ops/shared.ts";
import { shapeText } from "./text.ts";

export function formatNumber(v: number): string {
  return numberText(v).text;
}

/** An expression in .net syntax with the fewest parentheses that keep its meaning (the notation of src/ops/notation.ts). */
export function printExpr(e: TExpr): string {
  return printed(e).text;
}

function printed(e: TExpr): Printed {
  switch (e.kind) {
    case "const":
      return numberText(e.value);
    case "ref":
      return { text: e.name, level: ATOM };
    case "grad":
      return { text: `grad(${e.of}, ${e.wrt})`, level: ATOM };
    case "op": {
      if (e.op === "neg") return negation(printed(e.args[0]!));
      if (e.op === "slice") return slicePrinted(printed(e.args[0]!), e.args[0]!.shape, e.attrs);
      const op = INFIX[e.op];
      if (op && e.args.length === 2) return infix(op, printed(e.args[0]!), printed(e.args[1]!));
      const name = builtinName(e.op, e.shape.length) ?? e.op;
      const args = e.args.map(printExpr);
      args.push(...attrArgs(getOp(e.op), e.attrs));
      return { text: `${name}(${args.join(", ")})`, level: ATOM };
    }
  }
}

function printInit(init: InitSpec): string {
  switch (init.kind) {
    case "fill":
      return formatNumber(init.value);
    case "normal":
      return `normal(${init.mean}, ${init.std})`;
    case "uniform":
      return `uniform(${init.lo}, ${init.hi})`;
    default:
      return init.kind;
  }
}

function printTrain(t: TrainConfig): string {
  const o = t.optimizer;
  const opt = o.kind === "sgd" ? `sgd(lr = ${o.lr}, momentum = ${o.momentum})` : `adam(lr = ${o.lr}, beta1 = ${o.beta1}, beta2 = ${o.beta2}, eps = ${o.eps})`;
  const s = t.schedule;
  const sched = s.kind === "constant" ? "constant" : s.kind === "step" ? `step(${s.every}, ${s.factor})` : `exponential(${s.rate})`;
  const parts = [`optimizer = ${opt}`];
  if (t.epochs !== null) parts.push(`epochs = ${t.epochs}`);
  if (t.steps !== null) parts.push(`steps = ${t.steps}`);
  parts.push(`seed = ${t.seed}`, `schedule = ${sched}`, `shuffle = ${t.shuffle}`);
  return parts.join(", ");
}

/** The number of trainable values: the sum of the sizes of every param. */
export function paramCount(model: CheckedModel): number {
  return model.params.reduce((n, p) => n + p.shape.reduce((a, b) => a * b, 1), 0);
}

export function printCheckedModel(model: CheckedModel): string {
  const lines: string[] = [`model ${model.name}  # ${model.file}`];
  for (const [name, value] of model.dims) lines.push(`dim ${name} = ${value}`);
  for (const d of model.data) lines.push(`${d.role} ${d.name}: ${shapeText(d.shape)}${d.default !== null ? ` = ${formatNumber(d.default)}` : ""}`);
  for (const p of model.params) lines.push(`param ${p.name}: ${shapeText(p.shape)} = ${printInit(p.init)}`);
  for (const b of model.bindings) {
    const role = b.role === "plain" ? "" : `${b.role} `;
    lines.push(`${role}${b.name}: ${shapeText(b.shape)} = ${printExpr(b.expr)}`);
  }
  for (const g of model.grads) lines.push(`grad ${g.of} wrt ${g.wrt.join(", ")}${g.implicit ? "  # implied by the loss" : ""}`);
  if (model.hasTrainBlock) lines.push(`train { ${printTrain(model.train)} }`);
  const count = paramCount(model);
  lines.push(`# ${count} trainable parameter${count === 1 ? "" : "s"}`);
  return lines.join("\n") + "\n";
}
