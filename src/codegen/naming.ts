// Naming the values of a generated module. Leaves keep the user's spelling; stored nodes take the
// name the model or differentiation gave them (h, yhat, dL_dW1, a layer's delta dL_dz2); the rest
// are named after the role they play in backprop, as seed 002 draws it (the pre-activation z2, the
// delta_W of a product with no layer around it), or after the binding they belong to (L_sum). Every identifier comes from one NameAllocator, so none clashes.
import type { Node } from "../graph/node.ts";
import { topoOrder } from "../graph/node.ts";
import type { IRModel } from "../ir/model.ts";
import type { NameSource } from "./expr.ts";
import { NameAllocator } from "./names.ts";
import { opOf, type Plan } from "./plan.ts";
import { preActivations } from "../ir/layers.ts";
import { dropoutSites } from "./meta.ts";

export class Names implements NameSource {
  private readonly byNode = new Map<Node, string>();
  /** Extra comment lines for a node's kernel. */
  readonly notes = new Map<Node, string[]>();
  private readonly copies = new Map<Node, string>();
  private readonly masks = new Map<number, string>();
  constructor(
    private readonly alloc: NameAllocator,
    private readonly named: ReadonlySet<Node>,
  ) {}
  set(node: Node, name: string): void {
    this.byNode.set(node, name);
  }
  setCopy(node: Node, name: string): void {
    this.copies.set(node, name);
  }
  nameOf(node: Node): string {
    const n = this.byNode.get(node);
    if (n === undefined) throw new Error(`internal error: node ${node.id} (${node.op}) has no name`);
    return n;
  }
  copyName(node: Node): string {
    const n = this.copies.get(node);
    if (n === undefined) throw new Error(`internal error: result copy of node ${node.id} has no name`);
    return n;
  }
  hasName(node: Node): boolean {
    return this.named.has(node);
  }
  /** Whether the node has an identifier at all. */
  has(node: Node): boolean {
    return this.byNode.has(node);
  }
  local(base: string): string {
    return this.alloc.fresh(base);
  }
  setMask(site: number, name: string): void {
    this.masks.set(site, name);
  }
  maskOf(site: number): string {
    const n = this.masks.get(site);
    if (n === undefined) throw new Error(`internal error: dropout site ${site} has no mask`);
    return n;
  }
}

/**
 * Names, in a fixed order so output is stable: the shell's own identifiers are reserved first,
 * then leaves (the user's spelling, suffixed only on a clash), then stored and named nodes.
 */
export function assignNames(
  ir: IRModel,
  plan: Plan,
  values: { name: string; node: Node }[],
  forwardRoots: Node[],
  reserved: readonly string[],
): Names {
  const alloc = new NameAllocator(reserved);
  const named = new Set<Node>();
  const names = new Names(alloc, named);
  for (const decl of [...ir.checked.params, ...ir.checked.data]) {
    const leaf = ir.leaves.get(decl.name);
    if (leaf) names.set(leaf, alloc.fresh(decl.name));
  }
  for (const d of dropoutSites(plan.order)) names.setMask(d.site, alloc.fresh("dropout_mask"));
  const valueName = new Map<Node, string>();
  for (const v of values) if (!valueName.has(v.node)) valueName.set(v.node, v.name);
  const gradName = new Map<Node, string>();
  for (const g of ir.grads) if (!gradName.has(g.node)) gradName.set(g.node, `d${g.of}_d${g.wrt}`);
  const userName = (n: Node): string | undefined => ir.names.get(n) ?? valueName.get(n) ?? gradName.get(n);
  const fallback = fallbackNames(ir, plan, forwardRoots, userName);
  for (const n of plan.order) {
    const st = plan.storage.get(n)!;
    const given = userName(n);
    if (st.kind === "buffer" || st.kind === "scalar") {
      if (given !== undefined) names.set(n, alloc.fresh(given));
      else {
        const f = fallback(n);
        const name = alloc.fresh(f.name);
        names.set(n, name);
        if (f.notes) names.notes.set(n, f.notes.map((t) => t.split(f.name).join(name)));
      }
    }
    else if (st.kind === "inline" && given !== undefined && n.op !== "const" && (opOf(n).kind === "elementwise" || plan.fusedProducer.has(n))) {
      named.add(n);
      names.set(n, alloc.fresh(given));
    }
    if (plan.copies.has(n)) names.setCopy(n, alloc.fresh(gradName.get(n) ?? `${valueName.get(n) ?? "result"}_value`));
  }
  return names;
}

/**
 * Names for stored nodes the user did not name, after the role they play in backprop (seed 002):
 *   delta_W   the error signal of a product differentiation left unnamed: the backward operand
 *             of the product that gives dL/dW (a layer's delta is named dL_dz2 by src/diff)
 *   z2, z_h   a pre-activation: the operand of the activation that gives h (src/ir/layers.ts)
 *   L_sub     otherwise the binding it belongs to and its op, or t_sum without one
 */
function fallbackNames(
  ir: IRModel,
  plan: Plan,
  forwardRoots: Node[],
  userName: (n: Node) => string | undefined,
): (n: Node) => { name: string; notes?: string[] } {
  const forward = new Set(topoOrder(forwardRoots));
  const params = new Map<Node, string>();
  for (const p of ir.checked.params) {
    const leaf = ir.leaves.get(p.name);
    if (leaf) params.set(leaf, p.name);
  }
  const free = (n: Node): boolean => !forward.has(n) && userName(n) === undefined && plan.storage.has(n);
  const chosen = new Map<Node, { name: string; notes?: string[] }>();
  const taken = new Set<string>();
  const choose = (n: Node, name: string, notes?: string[]): void => {
    if (chosen.has(n) || taken.has(name)) return;
    chosen.set(n, notes ? { name, notes } : { name });
    taken.add(name);
  };
  // δ of a layer, exactly: the error sent back through its weights, δ · Wᵀ
  for (const n of plan.order) {
    if (n.op !== "matmul") continue;
    const [a, b] = n.args as [Node, Node];
    const w = n.attrs.transB ? params.get(b) : b.op === "transpose" ? params.get(b.args[0]!) : undefined;
    if (w !== undefined && free(a)) choose(a, `delta_${w}`);
  }
  // δ of a layer from its weight gradient dL/dW = c · Xᵀ · δ (c = 1, or a constant moved out of δ)
  for (const g of ir.grads) {
    const leaf = ir.leaves.get(g.wrt);
    if (!leaf || !params.has(leaf)) continue;
    let n: Node = g.node;
    let factor = 1;
    for (;;) {
      if (n.op !== "mul") break;
      const [a, b] = n.args as [Node, Node];
      const c = a.op === "const" ? a : b.op === "const" ? b : undefined;
      if (!c) break;
      factor *= c.attrs.value!;
      n = c === a ? b : a;
    }
    if (n.op !== "matmul") continue;
    for (const a of n.args) {
      if (!free(a)) continue;
      if (factor === 1) choose(a, `delta_${g.wrt}`);
      else choose(a, `delta_${g.wrt}_unscaled`, [`the delta of ${g.wrt} but for a constant: d${g.of}/d${g.wrt} = ${factor} · (…ᵀ · delta_${g.wrt}_unscaled)`]);
    }
  }
  // a layer's pre-activation is z2 (or z_h), as its delta is dL_dz2 (src/ir/layers.ts)
  const preActivation = new Map<Node, string>();
  for (const [z, layer] of preActivations(ir.names)) preActivation.set(z, layer.name);
  for (const n of plan.order) {
    const name = userName(n);
    if (name !== undefined && opOf(n).kind === "elementwise" && n.args.length === 1 && !preActivation.has(n.args[0]!)) {
      preActivation.set(n.args[0]!, `z_${name}`);
    }
  }
  return (n) => {
    const c = chosen.get(n);
    if (c) return c;
    const origin = ir.origins.get(n);
    return { name: preActivation.get(n) ?? (origin ? `${origin.binding}_${n.op}` : `t_${n.op}`) };
  };
}
