// printCheckedModel: the checked model as text (`netc compile FILE --emit ast`): one line per
// declaration and binding with its shape, defs inlined and dims replaced by their values, e.g.
// `h: [32, 15] = sigmoid(x @ W1 + b1)`, then the gradients asked for, the train settings and
// the number of trainable values.
import type { CheckedModel, TExpr } from "./model.ts";
import type { InitSpec, TrainConfig } from "../train-spec.ts";
import { getOp } from "../ops/registry.ts";
import { shapeText } from "./text.ts";

const OPERATORS: Record<string, { sym: string; prec: number }> = {
  add: { sym: "+", prec: 1 },
  sub: { sym: "-", prec: 1 },
  mul: { sym: "*", prec: 2 },
  div: { sym: "/", prec: 2 },
  matmul: { sym: "@", prec: 2 },
  pow: { sym: "^", prec: 4 },
};
const NEG_PREC = 3;
const ATOM_PREC = 5;

function precOf(e: TExpr): number {
  if (e.kind === "const") return e.value < 0 || Object.is(e.value, -0) ? NEG_PREC : ATOM_PREC;
  if (e.kind === "op") {
    if (e.op === "neg") return NEG_PREC;
    const o = OPERATORS[e.op];
    if (o) return o.prec;
  }
  return ATOM_PREC;
}

export function formatNumber(v: number): string {
  return Object.is(v, -0) ? "-0" : String(v);
}

/** An expression in .net syntax with the fewest parentheses that keep its meaning. */
export function printExpr(e: TExpr): string {
  const wrap = (x: TExpr, needParens: boolean) => (needParens ? `(${printExpr(x)})` : printExpr(x));
  switch (e.kind) {
    case "const":
      return formatNumber(e.value);
    case "ref":
      return e.name;
    case "grad":
      return `grad(${e.of}, ${e.wrt})`;
    case "op": {
      if (e.op === "neg") return `-${wrap(e.args[0]!, precOf(e.args[0]!) <= NEG_PREC)}`;
      const o = OPERATORS[e.op];
      if (o && e.args.length === 2) {
        const [l, r] = e.args as [TExpr, TExpr];
        const rightAssoc = e.op === "pow";
        const lp = rightAssoc ? precOf(l) <= o.prec : precOf(l) < o.prec;
        const rp = rightAssoc ? precOf(r) < o.prec : precOf(r) <= o.prec;
        const sep = e.op === "pow" ? "^" : ` ${o.sym} `;
        return `${wrap(l, lp)}${sep}${wrap(r, rp)}`;
      }
      const name = getOp(e.op).builtin?.name ?? e.op;
      const args = e.args.map(printExpr);
      if (e.attrs.axis !== undefined && e.attrs.axis !== null) args.push(String(e.attrs.axis));
      return `${name}(${args.join(", ")})`;
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
