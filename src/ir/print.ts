// The IR as text: one single-assignment line per node, jaxpr-like and stable (nodes numbered in
// topological order, not by their ids): `%12:[32,15] = sigmoid %11   # h`. printIRStages is what
// `netc compile --emit ir|grad` and `netc grad --emit ir` print.
import type { Node } from "../graph/node.ts";
import { topoOrder } from "../graph/node.ts";
import { roots, type IRModel, type PassStat } from "./model.ts";
import { derivativesText, type ExprOptions } from "./expr.ts";

function attrText(n: Node): string {
  const a = n.attrs;
  const parts: string[] = [];
  if (n.op === "const") parts.push(String(a.value));
  if (n.op === "input" || n.op === "param") parts.push(a.name!);
  if (a.axis !== undefined) parts.push(`axis=${a.axis === null ? "all" : a.axis}`);
  if (a.keepdims) parts.push("keepdims");
  if (a.transA) parts.push("transA");
  if (a.transB) parts.push("transB");
  if (n.op === "expand" && a.dims) parts.push(`dims=[${a.dims.join(",")}]`);
  return parts.join(" ");
}

/** The lines for `nodes` (in the order given), numbering them %0, %1, … */
function lines(nodes: readonly Node[], ir: IRModel, number: Map<Node, number>): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    if (!number.has(n)) number.set(n, number.size);
    const args = n.args.map((x) => `%${number.get(x)}`).join(" ");
    const attrs = attrText(n);
    const rhs = [n.op, args, attrs].filter((s) => s !== "").join(" ");
    const name = ir.names.get(n);
    const head = `%${number.get(n)}:[${n.shape.join(",")}] = ${rhs}`;
    out.push(name !== undefined && n.op !== "input" && n.op !== "param" ? `${head.padEnd(40)} # ${name}` : head);
  }
  return out;
}

/** The nodes the model needs, leaves first, then in topological order. */
function liveNodes(ir: IRModel, rootList: readonly Node[] = roots(ir)): Node[] {
  const leaves = [...ir.leaves.values()];
  const rest = topoOrder(rootList).filter((n) => !(n.op === "input" || n.op === "param"));
  return [...leaves, ...rest];
}

/** The whole IR model as text. */
export function printIR(ir: IRModel): string {
  const number = new Map<Node, number>();
  const body = lines(liveNodes(ir), ir, number);
  const ref = (n: Node) => `%${number.get(n)}`;
  for (const o of ir.outputs) body.push(`output ${o.name} = ${ref(o.node)}`);
  if (ir.loss) body.push(`loss ${ir.loss.name} = ${ref(ir.loss.node)}`);
  for (const g of ir.grads) body.push(`grad ${g.key} = ${ref(g.node)}`);
  return body.join("\n") + "\n";
}

/**
 * Every derivative as a symbolic expression in the user's names with its shape, then one shared
 * block of `where` lines (each a .net binding) that the expressions use. `spell` writes the ops
 * .net has no name for (the relu mask), so every line re-parses.
 */
export function printDerivatives(ir: IRModel, spell?: ExprOptions["spell"]): string {
  const taken = new Set<string>([...ir.leaves.keys(), ...ir.bindings.keys(), ...ir.checked.bindings.map((b) => b.name)]);
  const t = derivativesText(ir.grads.map((g) => g.node), ir.names, taken, undefined, spell);
  const out = ir.grads.map((g, i) => `d${g.of}/d${g.wrt} = ${t.exprs[i]}    # shape [${g.node.shape.join(", ")}]`);
  if (t.where.length > 0) out.push("where", ...t.where.map((w) => `  ${w.name} = ${w.expr}`));
  return out.join("\n") + (out.length > 0 ? "\n" : "");
}

export interface IRStages {
  raw: IRModel;
  ir: IRModel;
  passes: PassStat[];
}

/** `--emit ir`: the IR before and after simplification, with node counts per pass. `--emit grad`: the derivatives. */
export function printIRStages(compiled: IRStages, mode: "ir" | "grad"): string {
  const parts: string[] = [];
  if (mode === "ir") {
    parts.push(`# IR after lowering and differentiation (${compiled.passes[0]?.nodes ?? 0} nodes made)`);
    parts.push(printIR(compiled.raw));
    parts.push("# simplification passes");
    for (const p of compiled.passes) parts.push(`#   ${p.name}: ${p.nodes} nodes`);
    parts.push("");
    parts.push(`# IR after simplification (${compiled.passes[compiled.passes.length - 1]?.nodes ?? 0} nodes)`);
    parts.push(printIR(compiled.ir));
    return parts.join("\n");
  }
  const ir = compiled.ir;
  parts.push("# derivatives, simplified");
  parts.push(printDerivatives(ir));
  parts.push("# their IR");
  const number = new Map<Node, number>();
  const body = lines(liveNodes(ir, ir.grads.map((g) => g.node)), ir, number);
  for (const g of ir.grads) body.push(`grad ${g.key} = %${number.get(g.node)}`);
  parts.push(body.join("\n") + "\n");
  return parts.join("\n");
}
