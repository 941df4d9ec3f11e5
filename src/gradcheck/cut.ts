// Models derived from a checked model to measure one adjoint d(of)/d(name) on its own: the model
// is "cut" at a binding (the binding becomes an input of the same shape, and every use of it
// reads that input), and asks for exactly one derivative, `grad of wrt name`. Differentiating the
// cut model gives the adjoint the reverse walk assigns to that binding in the whole model.
import type { Binding, CheckedModel, TExpr } from "../check/model.ts";

/** Every name an expression refers to directly (bindings, inputs, targets, params), in order. */
export function refsOf(expr: TExpr, out: string[] = []): string[] {
  switch (expr.kind) {
    case "ref":
      if (!out.includes(expr.name)) out.push(expr.name);
      break;
    case "op":
      for (const a of expr.args) refsOf(a, out);
      break;
    case "grad":
      for (const n of [expr.of, expr.wrt]) if (!out.includes(n)) out.push(n);
      break;
    case "const":
      break;
  }
  return out;
}

/** Bindings and leaves that `of` depends on (itself included), found through the references. */
export function dependencies(model: CheckedModel, of: string): Set<string> {
  const byName = new Map(model.bindings.map((b) => [b.name, b]));
  const seen = new Set<string>();
  const stack = [of];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const b = byName.get(n);
    if (b) stack.push(...refsOf(b.expr));
  }
  return seen;
}

function readAsInput(expr: TExpr, name: string): TExpr {
  switch (expr.kind) {
    case "ref":
      return expr.name === name && expr.ref === "binding" ? { ...expr, ref: "input" } : expr;
    case "op":
      return { ...expr, args: expr.args.map((a) => readAsInput(a, name)) };
    default:
      return expr;
  }
}

/** The model asking only for d(of)/d(name); when `name` is a binding, cut there. */
export function cutModel(model: CheckedModel, of: string, name: string): CheckedModel {
  const grads = [{ of, wrt: [name], implicit: false, span: model.bindings.find((b) => b.name === of)!.span }];
  const binding = model.bindings.find((b) => b.name === name);
  if (!binding) return { ...model, grads };
  const bindings: Binding[] = model.bindings
    .filter((b) => b !== binding)
    .map((b) => ({ ...b, expr: readAsInput(b.expr, name) }));
  return {
    ...model,
    data: [
      ...model.data,
      { role: "input", name, shape: binding.shape, dimNames: binding.shape.map(() => null), default: null, span: binding.span },
    ],
    bindings,
    outputs: model.outputs.filter((o) => o !== name),
    grads,
  };
}
