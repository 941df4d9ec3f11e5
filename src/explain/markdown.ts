// The explanation as Markdown with LaTeX math ($…$ inline, $$…$$ on lines of their own), in the
// subset both KaTeX and GitHub's MathJax render. The HTML page is this Markdown, rendered.
import type { ExplainStep, ExplainValue, Explanation } from "./model.ts";
import { latexName } from "./latex.ts";

const shapeText = (shape: readonly number[]): string => (shape.length === 0 ? "scalar" : `[${shape.join(" × ")}]`);

/** A number with up to 6 significant digits, as LaTeX. */
function num(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? "\\mathrm{NaN}" : x > 0 ? "\\infty" : "-\\infty";
  const t = String(Number(x.toPrecision(6)));
  const e = /^(-?[\d.]+)e([+-]\d+)$/.exec(t);
  return e ? `${e[1]} \\times 10^{${Number(e[2])}}` : t;
}

/** A value as LaTeX: scalars in full, small tensors as matrices, larger ones summarized. */
export function valueLatex(v: ExplainValue): string {
  if (v.shape.length === 0) return String(v.data![0]);
  if (v.data && v.data.length <= 24) {
    const cols = v.shape.length === 2 ? v.shape[1]! : v.shape[0]!;
    const rows: string[] = [];
    for (let i = 0; i < v.data.length; i += cols) rows.push(v.data.slice(i, i + cols).map(num).join(" & "));
    return `\\begin{bmatrix} ${rows.join(" \\\\ ")} \\end{bmatrix}`;
  }
  return `\\text{${v.shape.join(" × ")} entries: min } ${num(v.min)},\\ \\text{mean } ${num(v.mean)},\\ \\text{max } ${num(v.max)}`;
}

const display = (latex: string): string => `$$\n${latex}\n$$`;

/** The chain-rule line of a step: Σ (incoming adjoint ⊙ local derivative), when every term has one. */
function chainLatex(s: ExplainStep): string | undefined {
  if (s.terms.length === 0 || !s.terms.every((t) => t.local)) return undefined;
  const prod = (a: string, b: string, entrywise: boolean) => (a === "1" ? b : `${a} ${entrywise ? "\\odot" : "\\cdot"} ${b}`);
  const entrywise = s.shape.length > 0;
  const symbolic = s.terms.map((t) => prod(t.adjointLatex, t.local!.label, entrywise)).join(" + ");
  const group = (l: string) => (/ [+-] |^-/.test(l) ? `\\left(${l}\\right)` : l);
  const filled = s.terms.map((t) => prod(t.adjointLatex, group(t.local!.latex), entrywise)).join(" + ");
  return `${s.label} = ${symbolic} = ${filled}`;
}

/** The bindings a step goes through, with their lines: "`a = sigmoid(h)` (line 15)". */
function through(s: ExplainStep, e: Explanation): string {
  const vias = [...new Set(s.terms.map((t) => t.via))];
  const lines = vias.map((v) => e.forward.find((f) => f.name === v)).filter((f) => f !== undefined);
  if (lines.length === 0) return `line ${s.line}, \`${code(s.text)}\``;
  return lines.map((f) => `\`${code(f.text)}\` (line ${f.line})`).join(" and ");
}

const code = (t: string): string => t.replace(/`/g, "'");

function stepMarkdown(s: ExplainStep, e: Explanation): string {
  const out: string[] = [];
  out.push(`### ${s.id} · $${s.label}$`);
  out.push("");
  out.push(`Through ${through(s, e)}. Shape ${shapeText(s.shape)}${s.rule ? `; ${s.rule}` : ""}.`);
  out.push("");
  const locals = s.terms.filter((t) => t.local);
  for (const t of locals) {
    const l = t.local!;
    const rules = l.rules.map((r) => `${r.name}, $${r.latex}$`).join("; ");
    out.push(`- local derivative $${l.label} = ${l.latex}$${rules ? ` (${rules})` : ""}`);
  }
  if (locals.length === 0) for (const t of s.terms) for (const r of t.rules) out.push(`- ${r.name}: $${r.latex}$`);
  out.push("");
  const chain = chainLatex(s);
  if (chain) out.push(display(chain), "");
  out.push(display(`${s.label} = ${s.latexShapes}`), "");
  for (const n of s.notes) out.push(n, "");
  if (s.index) out.push("In index form:", "", display(s.index), "");
  if (s.trail.length > 0) {
    out.push(`Simplified from $${s.label} = ${s.rawLatex}$ by the compiler's rules:`, "");
    for (const t of s.trail) out.push(t.before ? `- ${t.rule}: \`${t.before}\` → \`${t.after}\`` : `- ${t.rule}`);
    out.push("");
  }
  const code = s.codeLine !== undefined ? `; computed at line ${s.codeLine} of the generated module${e.codeFile ? ` \`${e.codeFile}\`` : ""}` : "";
  out.push(`In .net: \`${s.name} = ${s.expr}\`${code}.`);
  if (s.value) out.push("", display(`${s.label} = ${valueLatex(s.value)}`));
  return out.join("\n");
}

export function toMarkdown(e: Explanation): string {
  const out: string[] = [];
  out.push(`# How netc differentiates \`${e.model}\``);
  out.push("");
  out.push(
    `Printed by \`netc explain ${e.file}\` from the IR and the chain-rule steps that generate the code of ` +
      `\`netc compile ${e.file}\`: every formula below is what that code computes (step ids such as \`s1\` appear in its comments).`,
  );
  if (e.dims.length > 0) out.push("", `Dims: ${e.dims.map((d) => `$${latexName(d.name)} = ${d.value}$`).join(", ")}.`);
  if (e.valuesFrom) out.push("", `Values at ${e.valuesFrom}.`);
  out.push("", "## Forward pass", "");
  for (const l of e.leaves) out.push(`- line ${l.line}: ${l.role} $${l.latex}$, ${shapeText(l.shape)}`);
  for (const f of e.forward) {
    const what = f.kind === "pre-activation" ? " (the pre-activation of a layer)" : "";
    out.push(`- line ${f.line}: $${latexName(f.name)} = ${f.latex}$, ${shapeText(f.shape)}${what} — \`${f.name} = ${f.expr}\``);
    if (f.value) out.push(`  $$${latexName(f.name)} = ${valueLatex(f.value)}$$`);
  }
  out.push("", "## Backward pass", "");
  const ofs = [...new Set(e.derivatives.map((d) => d.of))];
  for (const of of ofs) {
    const wrt = e.derivatives.filter((d) => d.of === of).map((d) => `$${latexName(d.wrt)}$`);
    out.push(`Differentiating $${latexName(of)}$ with respect to ${wrt.join(", ")}: one step per value on the path, the last value computed first; each step reuses the ones before it.`, "");
  }
  for (const s of e.steps) out.push(stepMarkdown(s, e), "");
  out.push("## The derivatives", "");
  for (const d of e.derivatives) {
    const step = e.steps.find((s) => s.id === d.step);
    out.push(`- $\\frac{\\partial ${latexName(d.of)}}{\\partial ${latexName(d.wrt)}}$, ${shapeText(d.shape)}: ${step ? `step ${step.id}, \`${step.name} = ${step.expr}\`` : "zero (it does not depend on it)"}`);
  }
  return out.join("\n") + "\n";
}
