// The explanation as a Graphviz DOT graph: one node per named value (inputs, params, bindings,
// layers' pre-activations) with its shape, the step that gives its gradient, and — with --at —
// its value and gradient summarized; edges from each value to the values computed from it.
import type { ExplainValue, Explanation } from "./model.ts";

const shapeText = (shape: readonly number[]): string => (shape.length === 0 ? "scalar" : `[${shape.join("×")}]`);

/** A DOT string literal: quotes and backslashes escaped, newlines as \n. */
const quote = (s: string): string => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;

function summary(v: ExplainValue): string {
  const n = (x: number) => String(Number(x.toPrecision(4)));
  if (v.shape.length === 0) return n(v.data![0]!);
  if (v.data && v.data.length <= 4) return `[${v.data.map(n).join(", ")}]`;
  return `mean ${n(v.mean)}, min ${n(v.min)}, max ${n(v.max)}`;
}

export function toDot(e: Explanation): string {
  const lines: string[] = [`digraph ${quote(e.model)} {`, "  rankdir=LR;", '  node [fontname="Helvetica", fontsize=11];'];
  const stepOf = new Map<string, (typeof e.steps)[number]>();
  for (const s of e.steps) if (!stepOf.has(s.wrt)) stepOf.set(s.wrt, s);
  const node = (name: string, shape: readonly number[], style: string, value?: ExplainValue) => {
    const parts = [name, shapeText(shape)];
    if (value) parts.push(`= ${summary(value)}`);
    const s = stepOf.get(name);
    if (s) parts.push(`d${s.of}/d${name}: ${s.id}${s.value ? ` = ${summary(s.value)}` : ""}`);
    lines.push(`  ${quote(name)} [label=${quote(parts.join("\n"))}, ${style}];`);
  };
  for (const l of e.leaves) node(l.name, l.shape, l.role === "param" ? "shape=box, style=filled, fillcolor=\"#fff3c4\"" : "shape=box", undefined);
  for (const f of e.forward) node(f.name, f.shape, f.kind === "pre-activation" ? "shape=ellipse, style=dashed" : "shape=ellipse", f.value);
  for (const edge of e.edges) lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)};`);
  lines.push("}");
  return lines.join("\n") + "\n";
}
