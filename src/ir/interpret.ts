// The reference interpreter: evaluates IR nodes with each op's `eval` (float64, row-major), given
// the leaves' values by name. Any node's value can be overridden (the gradient checker perturbs
// intermediate bindings this way); the overridden node's arguments are then not evaluated.
import type { Node } from "../graph/node.ts";
import { size } from "../graph/node.ts";
import { getOp } from "../ops/registry.ts";

export type LeafValues = ReadonlyMap<string, Float64Array | number> | Readonly<Record<string, Float64Array | number>>;

export interface InterpretOptions {
  /** Values that replace a node's own computation. */
  overrides?: ReadonlyMap<Node, Float64Array>;
}

function leafValue(values: LeafValues, name: string): Float64Array | number | undefined {
  if (values instanceof Map) return values.get(name);
  return Object.prototype.hasOwnProperty.call(values, name) ? (values as Record<string, Float64Array | number>)[name] : undefined;
}

/** Nodes `roots` need, arguments first, not descending below overridden nodes. */
function order(roots: readonly Node[], stopAt: ReadonlyMap<Node, unknown>): Node[] {
  const seen = new Set<Node>();
  const out: Node[] = [];
  const stack: { node: Node; next: number }[] = [];
  for (const root of roots) {
    if (seen.has(root)) continue;
    seen.add(root);
    stack.push({ node: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const args = stopAt.has(top.node) ? [] : top.node.args;
      if (top.next < args.length) {
        const a = args[top.next++]!;
        if (!seen.has(a)) {
          seen.add(a);
          stack.push({ node: a, next: 0 });
        }
      } else {
        out.push(top.node);
        stack.pop();
      }
    }
  }
  return out;
}

/** The value of every node `roots` need (the roots included). */
export function interpret(roots: readonly Node[], leaves: LeafValues, options: InterpretOptions = {}): Map<Node, Float64Array> {
  const overrides = options.overrides ?? new Map<Node, Float64Array>();
  const values = new Map<Node, Float64Array>();
  for (const node of order(roots, overrides)) {
    const forced = overrides.get(node);
    if (forced) {
      if (forced.length !== size(node.shape)) throw new Error(`override for node ${node.id} has ${forced.length} values, expected ${size(node.shape)}`);
      values.set(node, forced);
      continue;
    }
    if (node.op === "input" || node.op === "param") {
      const name = node.attrs.name!;
      const v = leafValue(leaves, name);
      if (v === undefined) throw new Error(`no value for ${node.op} ${name}`);
      const arr = typeof v === "number" ? Float64Array.of(v) : v;
      if (arr.length !== size(node.shape)) throw new Error(`${name} has ${arr.length} values, expected ${size(node.shape)} for shape [${node.shape.join(", ")}]`);
      values.set(node, arr);
      continue;
    }
    const args = node.args.map((a) => values.get(a)!);
    values.set(
      node,
      getOp(node.op).eval(
        args,
        node.args.map((a) => a.shape),
        node.attrs,
        node.shape,
      ),
    );
  }
  return values;
}

/** The value of one node. */
export function evaluate(node: Node, leaves: LeafValues, options: InterpretOptions = {}): Float64Array {
  return interpret([node], leaves, options).get(node)!;
}
