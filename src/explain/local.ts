// A step's formula on its own: the expression differentiation built for one adjoint, with every
// named value below it (forward bindings, leaves, earlier adjoints) turned into a symbol, run
// through the compiler's own simplifier. The rules that fire are recorded: the simplification trail.
import type { IRModel } from "../ir/model.ts";
import type { Node } from "../graph/node.ts";
import { Graph } from "../graph/node.ts";
import { Builder } from "../ir/builder.ts";
import { exprText } from "../ir/expr.ts";
import { simplify } from "../simplify/index.ts";
import { spellNet } from "./net.ts";

export interface TrailEntry {
  rule: string;
  before: string;
  after: string;
}

export interface LocalFormula {
  /** The formula before and after simplification, in .net syntax. */
  raw: string;
  node: Node;
  trail: TrailEntry[];
}

/** At most this many rules of a step's trail are kept (the rest are counted). */
const MAX_TRAIL = 12;

/**
 * `root` rebuilt over symbols: a node in `names` (other than the root) becomes an input leaf of
 * that name, so the formula stops there; `replace` substitutes nodes first (an adjoint by 1).
 */
export function overSymbols(root: Node, names: ReadonlyMap<Node, string>, replace: ReadonlyMap<Node, number> = new Map()): { node: Node; graph: Graph; leaves: Map<string, Node> } {
  const b = new Builder(new Graph());
  const leaves = new Map<string, Node>();
  const done = new Map<Node, Node>();
  const stack: { node: Node; next: number }[] = [{ node: root, next: 0 }];
  const stops = (n: Node) => replace.has(n) || (n !== root && names.has(n)) || n.args.length === 0;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const n = top.node;
    if (!stops(n) && top.next < n.args.length) {
      const a = n.args[top.next++]!;
      if (!done.has(a)) stack.push({ node: a, next: 0 });
      continue;
    }
    stack.pop();
    if (done.has(n)) continue;
    let m: Node;
    const r = replace.get(n);
    if (r !== undefined) m = n.shape.length === 0 ? b.const(r) : b.expand(b.const(r), n.shape);
    else if (n.op === "const") m = b.const(n.attrs.value!);
    else if (stops(n)) {
      const name = names.get(n) ?? n.attrs.name!;
      m = leaves.get(name) ?? b.input(name, n.shape);
      leaves.set(name, m);
    } else m = b.raw(n.op, n.args.map((a) => done.get(a)!), n.attrs, n.shape);
    done.set(n, m);
  }
  return { node: done.get(root)!, graph: b.graph, leaves };
}

/** The formula of `root` over symbols, simplified by the compiler's rules, with its trail. */
export function simplifyLocal(root: Node, names: ReadonlyMap<Node, string>, base: IRModel, replace?: ReadonlyMap<Node, number>, rewrite = true): LocalFormula {
  const { node, graph, leaves } = overSymbols(root, names, replace);
  const raw = exprText(node, { spell: spellNet });
  if (!rewrite) return { raw, node, trail: [] };
  const mini: IRModel = {
    graph,
    checked: base.checked,
    leaves,
    bindings: new Map(),
    outputs: [{ name: "step", node }],
    loss: null,
    grads: [],
    names: new Map(),
    origins: new Map(),
  };
  const trail: TrailEntry[] = [];
  let more = 0;
  const { ir } = simplify(mini, (rule, before, after) => {
    if (trail.length >= MAX_TRAIL) {
      more++;
      return;
    }
    const b = exprText(before, { spell: spellNet, maxLength: 120 });
    const a = exprText(after, { spell: spellNet, maxLength: 120 });
    if (b !== a && !trail.some((t) => t.before === b && t.after === a)) trail.push({ rule, before: b, after: a });
  });
  if (more > 0) trail.push({ rule: `… and ${more} more`, before: "", after: "" });
  return { raw, node: ir.outputs[0]!.node, trail };
}

/** A formula that is one symbol (a step whose value an earlier step already named). */
export function symbolFormula(name: string, shape: readonly number[]): LocalFormula {
  const node = new Builder(new Graph()).input(name, shape);
  return { raw: name, node, trail: [] };
}
