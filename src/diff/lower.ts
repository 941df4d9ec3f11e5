// Lowering: the checked model → IR. Leaves become `input`/`param` nodes, each binding's typed
// expression becomes interned nodes (a binding used twice is one node), and every node made for a
// binding records where it came from (binding name, line, source text). A `grad(f, x)` inside an
// expression is lowered by running the reverse-mode walker on the graph built so far (higher
// order). Iterative: deeply nested expressions do not touch the call stack.
import type { CheckedModel, TExpr } from "../check/model.ts";
import type { IRModel, Origin } from "../ir/model.ts";
import type { Node } from "../graph/node.ts";
import { Builder, InternalError } from "../ir/builder.ts";
import { reverse } from "./reverse.ts";

export function lower(model: CheckedModel): IRModel {
  const b = new Builder();
  const leaves = new Map<string, Node>();
  const bindings = new Map<string, Node>();
  const names = new Map<Node, string>();
  const origins = new Map<Node, Origin>();

  for (const d of model.data) {
    const n = b.input(d.name, d.shape);
    leaves.set(d.name, n);
    names.set(n, d.name);
    origins.set(n, { binding: d.name, line: d.span.line, text: `${d.role} ${d.name}` });
  }
  for (const p of model.params) {
    const n = b.param(p.name, p.shape);
    leaves.set(p.name, n);
    names.set(n, p.name);
    origins.set(n, { binding: p.name, line: p.span.line, text: `param ${p.name}` });
  }

  const lookup = (name: string): Node => {
    const n = bindings.get(name) ?? leaves.get(name);
    if (!n) throw new InternalError(`internal error: '${name}' is used before it is bound`);
    return n;
  };

  for (const binding of model.bindings) {
    const firstNew = b.graph.count;
    const node = lowerExpr(binding.expr, b, lookup);
    bindings.set(binding.name, node);
    if (!names.has(node)) names.set(node, binding.name);
    // Every node made while lowering this binding comes from it.
    const origin: Origin = { binding: binding.name, line: binding.span.line, text: binding.text };
    markNew(node, firstNew, origins, origin);
  }

  const outputs = model.outputs.map((name) => ({ name, node: lookup(name) }));
  const loss = model.loss === null ? null : { name: model.loss, node: lookup(model.loss) };
  return { graph: b.graph, checked: model, leaves, bindings, outputs, loss, grads: [], names, origins };
}

/**
 * Gives `origin` to the nodes under `root` made since node id `firstNew` that have none. Nodes in
 * `seen` are skipped (share it across calls to visit each node once).
 */
export function markNew(root: Node, firstNew: number, origins: Map<Node, Origin>, origin: Origin, seen = new Set<Node>()): void {
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n) || n.id < firstNew) continue;
    seen.add(n);
    if (!origins.has(n)) origins.set(n, origin);
    for (const a of n.args) stack.push(a);
  }
}

/** One typed expression as IR, post-order with an explicit stack. */
export function lowerExpr(expr: TExpr, b: Builder, lookup: (name: string) => Node): Node {
  const done = new Map<TExpr, Node>();
  const stack: TExpr[] = [expr];
  while (stack.length > 0) {
    const e = stack[stack.length - 1]!;
    if (done.has(e)) {
      stack.pop();
      continue;
    }
    if (e.kind === "op") {
      const missing = e.args.filter((a) => !done.has(a));
      if (missing.length > 0) {
        for (let i = missing.length - 1; i >= 0; i--) stack.push(missing[i]!);
        continue;
      }
    }
    stack.pop();
    done.set(e, lowerOne(e, b, lookup, done));
  }
  return done.get(expr)!;
}

function lowerOne(e: TExpr, b: Builder, lookup: (name: string) => Node, done: Map<TExpr, Node>): Node {
  switch (e.kind) {
    case "const":
      return b.broadcastTo(e.value, e.shape);
    case "ref":
      return lookup(e.name);
    case "op":
      return b.op(
        e.op,
        e.args.map((a) => done.get(a)!),
        e.attrs,
      );
    case "grad": {
      const f = lookup(e.of);
      const x = lookup(e.wrt);
      return reverse(b, f, [x]).grads[0]!;
    }
  }
}
