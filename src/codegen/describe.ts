// The math a kernel computes, printed for its comment in the user's names and in the one notation
// of every expression netc prints (src/ir/expr.ts, the .net syntax the chain-rule steps above it
// use too): `sigmoid(h @ W2 + b2)`, `transpose(h) @ dL_dz2`, `sum(dL_dz2, 0)`. Fused operands are
// printed in full; stored ones by name. Long expressions are cut with an ellipsis.
import type { Node } from "../graph/node.ts";
import { exprText } from "../ir/expr.ts";
import type { NameSource } from "./expr.ts";
import type { Plan } from "./plan.ts";

const MAX_LENGTH = 160;

export function describe(plan: Plan, names: NameSource, node: Node): string {
  if (plan.storage.get(node)?.kind === "leaf") return names.nameOf(node);
  // the operands the kernel reads from storage (or that have a name) print as that name
  const named = new Map<Node, string>();
  const seen = new Set<Node>([node]);
  const stack = [...node.args];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    const st = plan.storage.get(n)?.kind;
    if (st === "leaf" || st === "buffer" || st === "scalar" || (st === "inline" && names.hasName(n) && n.op !== "const")) named.set(n, names.nameOf(n));
    else stack.push(...n.args);
  }
  const text = exprText(node, { names: named });
  return text.length > MAX_LENGTH ? text.slice(0, MAX_LENGTH - 1) + "…" : text;
}
