// Reverse-mode differentiation over the DAG. One topological walk from the root backwards: each
// node's adjoint is the sum of the contributions of its users (a node used twice gets two), each
// op's `vjp` rule gives its arguments' contributions, and a broadcast contribution is reduced back
// to its argument's shape here, so the rules stay local. Only nodes that depend on a `wrt` node
// are visited. Iterative: 3,000-deep chains do not touch the call stack.
import type { Node } from "../graph/node.ts";
import { topoOrder } from "../graph/node.ts";
import type { Builder } from "../ir/builder.ts";
import { getOp } from "../ops/registry.ts";

export interface ReverseHooks {
  /** Called once per visited node with its summed adjoint and the contributions summed. */
  onAdjoint?(node: Node, adjoint: Node, contributions: readonly Contribution[]): void;
}

export interface Contribution {
  /** The user the contribution came from, and the contribution itself (shaped like the node). */
  from: Node;
  value: Node;
}

export interface ReverseResult {
  /** The derivative of root w.r.t. each wrt node (zeros where it does not depend on it). */
  grads: Node[];
  /** Every visited node's adjoint. */
  adjoints: Map<Node, Node>;
}

/** d root / d wrt[i] for every i, as IR built with `b`. `root` is usually a scalar. */
export function reverse(b: Builder, root: Node, wrt: readonly Node[], hooks: ReverseHooks = {}): ReverseResult {
  const order = topoOrder([root]);
  const targets = new Set(wrt);
  const depends = new Set<Node>();
  for (const n of order) if (targets.has(n) || n.args.some((a) => depends.has(a))) depends.add(n);

  const pending = new Map<Node, Contribution[]>();
  const adjoints = new Map<Node, Node>();
  if (depends.has(root)) pending.set(root, [{ from: root, value: b.broadcastTo(1, root.shape) }]);

  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    const contributions = pending.get(node);
    if (!contributions) continue;
    pending.delete(node);
    let g = contributions[0]!.value;
    for (let k = 1; k < contributions.length; k++) g = b.add(g, contributions[k]!.value);
    adjoints.set(node, g);
    hooks.onAdjoint?.(node, g, contributions);
    if (node.args.length === 0 || targets.has(node) && node.args.every((a) => !depends.has(a))) continue;
    const needs = node.args.map((a) => depends.has(a));
    if (!needs.some(Boolean)) continue;
    const results = getOp(node.op).vjp({ g, out: node, args: node.args, b, needs });
    node.args.forEach((arg, k) => {
      const r = results[k];
      if (!needs[k] || !r) return;
      const value = b.unbroadcast(r, arg.shape);
      const list = pending.get(arg);
      if (list) list.push({ from: node, value });
      else pending.set(arg, [{ from: node, value }]);
    });
  }
  const grads = wrt.map((w) => adjoints.get(w) ?? b.zeros(w.shape));
  return { grads, adjoints };
}
