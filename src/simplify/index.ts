// Simplification stage: rebuilds the reachable IR through a fresh interning table with the rule
// table (./rules.ts) applied to every node as it is made, bottom-up, until a pass changes nothing.
// Rebuilding gives common-subexpression elimination (interning) and dead-code removal (only what
// the outputs, the loss, the derivatives and the differentiated bindings reach is rebuilt) for free.
// Names and source origins follow each node to its replacement. A named tensor adjoint (dL_dyhat,
// the delta dL_dz2: a node whose origin carries a chain-rule step) is kept whole: its own rules apply,
// but no rule opens it from outside, so no constant or negation moves across it and the variable
// a reader looks for in the generated code is still there.
import { roots, type IRModel, type PassStat } from "../ir/model.ts";
import type { Node } from "../graph/node.ts";
import { Graph, topoOrder } from "../graph/node.ts";
import { Builder, InternalError, sameShape } from "../ir/builder.ts";
import { rulesFor } from "./rules.ts";
import { constOf } from "./match.ts";


/** At most this many rewrite passes; each is linear in the number of nodes. */
const MAX_PASSES = 6;
/** Rules that build nodes recurse into the rewriter; this bounds the nesting. */
const MAX_DEPTH = 200;

/** How many times each rule fired in the last `simplify` call (for `--emit ir` and tests). */
export const ruleCounts = new Map<string, number>();

let depthLimited = false;

/** Called for every rule that fires, with the node before and after (`netc explain`'s trail). */
export type RuleTrace = (rule: string, before: Node, after: Node) => void;

/** A builder whose every new node goes through the rule table; `whole` nodes are not opened. */
function rewritingBuilder(graph: Graph, whole: ReadonlySet<Node>, trace?: RuleTrace): Builder {
  const done = new Map<Node, Node>();
  const isWhole = (x: Node): boolean => whole.has(x);
  let depth = 0;
  return new Builder(graph, (node, b) => {
    const hit = done.get(node);
    if (hit) return hit;
    if (depth >= MAX_DEPTH) {
      depthLimited = true;
      return node;
    }
    depth++;
    try {
      let result = node;
      const closed = node.args.some(isWhole);
      for (const rule of rulesFor(node.op)) {
        if (closed && rule.opens) continue;
        const r = rule.apply(node, b, isWhole);
        if (r && r !== node) {
          if (!sameShape(r.shape, node.shape)) throw new InternalError(`internal error: rule '${rule.name}' changed shape [${node.shape}] to [${r.shape}]`);
          ruleCounts.set(rule.name, (ruleCounts.get(rule.name) ?? 0) + 1);
          trace?.(rule.name, node, r);
          result = r;
          break;
        }
      }
      done.set(node, result);
      return result;
    } finally {
      depth--;
    }
  });
}

/** One pass: every node `ir` needs, rebuilt (and rewritten) in a fresh graph. */
function rebuild(ir: IRModel, rewrite: boolean, trace?: RuleTrace): IRModel {
  const graph = new Graph();
  const whole = new Set<Node>();
  const b = rewrite ? rewritingBuilder(graph, whole, trace) : new Builder(graph);
  const map = new Map<Node, Node>();
  const keep = (n: Node, m: Node): void => {
    // a named tensor adjoint stays whole unless it simplified to a constant or a leaf (nothing to
    // open); scalar ones are not kept, so scalar derivatives still fold to closed forms (2*(a*(a*w - d)))
    if (ir.origins.get(n)?.step !== undefined && ir.names.has(n) && m.shape.length > 0 && m.args.length > 0 && constOf(m) === undefined) whole.add(m);
  };
  // Leaves first, all of them: the generated code takes every input and param.
  for (const leaf of ir.leaves.values()) map.set(leaf, b.raw(leaf.op, [], leaf.attrs, leaf.shape));
  for (const n of topoOrder(roots(ir))) {
    if (map.has(n)) continue;
    if (n.args.length === 0) map.set(n, b.raw(n.op, [], n.attrs, n.shape));
    else {
      const m = b.op(
        n.op,
        n.args.map((a) => map.get(a)!),
        n.attrs,
      );
      map.set(n, m);
      keep(n, m);
    }
  }
  const to = (n: Node) => map.get(n)!;
  const allBindings = new Map<string, Node>();
  for (const [name, n] of ir.bindings) if (map.has(n)) allBindings.set(name, to(n));
  const leaves = new Map<string, Node>();
  for (const [name, n] of ir.leaves) leaves.set(name, to(n));
  const out: IRModel = {
    ...ir,
    graph,
    leaves,
    bindings: allBindings,
    outputs: ir.outputs.map((o) => ({ name: o.name, node: to(o.node) })),
    loss: ir.loss ? { name: ir.loss.name, node: to(ir.loss.node) } : null,
    grads: ir.grads.map((g) => ({ ...g, node: to(g.node) })),
    names: new Map(),
    origins: new Map(),
  };
  // A replaced node can end up unused (its users were rewritten too): keep only what is live.
  const live = new Set<Node>(topoOrder(roots(out)));
  for (const leaf of leaves.values()) live.add(leaf);
  for (const [name, n] of allBindings) if (!live.has(n)) allBindings.delete(name);
  for (const [n, name] of ir.names) {
    const m = map.get(n);
    if (m && live.has(m) && !out.names.has(m)) out.names.set(m, name);
  }
  for (const [n, o] of ir.origins) {
    const m = map.get(n);
    if (m && live.has(m) && (!out.origins.has(m) || (o.step !== undefined && out.origins.get(m)!.step === undefined))) out.origins.set(m, o);
  }
  return out;
}

/** Number of nodes the model needs (leaves included). */
export function liveCount(ir: IRModel): number {
  const all = new Set<Node>(topoOrder(roots(ir)));
  for (const l of ir.leaves.values()) all.add(l);
  return all.size;
}

export function simplify(ir: IRModel, trace?: RuleTrace): { ir: IRModel; passes: PassStat[] } {
  ruleCounts.clear();
  const passes: PassStat[] = [
    { name: "lowered and differentiated", nodes: ir.graph.count },
    { name: "live (dead code removed)", nodes: liveCount(ir) },
  ];
  // Nodes are rebuilt bottom-up and every node made goes through the rules, so one pass reaches
  // the fixed point; another runs only when a rule was cut off by the nesting bound.
  let cur = ir;
  for (let i = 1; i <= MAX_PASSES; i++) {
    depthLimited = false;
    cur = rebuild(cur, true, trace);
    passes.push({ name: `rewrite, fold, CSE (pass ${i})`, nodes: liveCount(cur) });
    if (!depthLimited) break;
  }
  return { ir: cur, passes };
}
