// Builds the explanation of a model from the compiler's own stages: the lowered IR gives the
// forward pass, and the chain-rule steps differentiation recorded (src/diff: one per named value on
// the path to a derivative, each the sum of its users' vjp contributions) give the backward pass.
// Each step's formula is that very IR over symbols, simplified by the compiler's rule table — no
// second differentiator. Local derivatives (∂a/∂h) are the same contributions with the incoming
// adjoint set to 1, which is exact where the path is entry-wise.
import type { CheckedModel } from "../check/model.ts";
import type { ChainStep, IRModel } from "../ir/model.ts";
import type { Node } from "../graph/node.ts";
import { preActivations } from "../ir/layers.ts";
import { isEntrywise, wordsOf } from "./ops.ts";
import { latexName, toLatex } from "./latex.ts";
import { netText } from "./net.ts";
import { simplifyLocal, symbolFormula } from "./local.ts";
import { stepNotes } from "./notes.ts";
import type { ExplainStep, ExplainTerm, Explanation, ForwardLine, LocalDerivative, Symbols } from "./model.ts";

/** A step's adjoint as LaTeX: ∂L/∂h, or δ₂ for the delta of a layer's pre-activation z2. */
export function stepLabel(s: ChainStep): string {
  const delta = s.layer ? /^z(\d+)$/.exec(s.wrt)?.[1] : undefined;
  return delta !== undefined ? `\\delta_{${delta}}` : `\\frac{\\partial ${latexName(s.of)}}{\\partial ${latexName(s.wrt)}}`;
}

function dimsByValue(model: CheckedModel): Map<number, string> {
  const byValue = new Map<number, string>();
  const shared = new Set<number>();
  for (const [name, v] of model.dims) {
    if (byValue.has(v)) shared.add(v);
    byValue.set(v, name);
  }
  for (const v of shared) byValue.delete(v);
  return byValue;
}

function collectSymbols(raw: IRModel): Symbols {
  const net = new Map<Node, string>();
  const latex = new Map<Node, string>();
  const name = (n: Node, text: string, tex: string) => {
    if (net.has(n) || n.op === "const") return;
    net.set(n, text);
    latex.set(n, tex);
  };
  for (const [text, n] of raw.leaves) name(n, text, latexName(text));
  for (const b of raw.checked.bindings) {
    const n = raw.bindings.get(b.name);
    if (n) name(n, b.name, latexName(b.name));
  }
  for (const [z, layer] of preActivations(raw.names)) name(z, layer.name, latexName(layer.name));
  const forward = new Set(net.keys());
  for (const s of raw.steps ?? []) name(s.adjoint, s.name, stepLabel(s));
  const latexByName = new Map<string, string>();
  for (const [n, text] of net) latexByName.set(text, latex.get(n)!);
  for (const s of raw.steps ?? []) latexByName.set(s.name, stepLabel(s));
  // owners: walk each forward value's expression down to the next named value
  const owner = new Map<Node, Node>();
  for (const n of net.keys()) {
    const stack = [n];
    while (stack.length > 0) {
      const m = stack.pop()!;
      for (const a of m.args) if (!net.has(a) && !owner.has(a)) {
        owner.set(a, n);
        stack.push(a);
      }
    }
  }
  return { net, latex, latexByName, owner, forward, dims: dimsByValue(raw.checked) };
}

/** LaTeX of a formula over symbols (leaves are input nodes named like the symbols). */
function formulaLatex(root: Node, sym: Symbols, shapes = false): string {
  const symbols = new Map<Node, string>();
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.op === "input") symbols.set(n, sym.latexByName.get(n.attrs.name!) ?? latexName(n.attrs.name!));
    else stack.push(...n.args);
  }
  return toLatex(root, { symbols, dims: sym.dims, shapes });
}

function forwardLines(raw: IRModel, sym: Symbols): ForwardLine[] {
  const layers = preActivations(raw.names);
  const lines: ForwardLine[] = [];
  const shown = new Set<Node>();
  const push = (n: Node, name: string, line: number, text: string, kind: ForwardLine["kind"]) => {
    if (shown.has(n) || n.args.length === 0) return;
    shown.add(n);
    const f = simplifyLocal(n, sym.net, raw);
    lines.push({ name, expr: f.raw, latex: formulaLatex(overLeaves(n, sym, raw), sym), shape: [...n.shape], line, text, kind });
  };
  for (const b of raw.checked.bindings) {
    const n = raw.bindings.get(b.name);
    if (!n) continue;
    for (const a of n.args) {
      const layer = layers.get(a);
      if (layer) push(a, layer.name, b.span.line, b.text, "pre-activation");
    }
    push(n, b.name, b.span.line, b.text, "binding");
  }
  return lines;
}

/** A forward formula over symbols, not simplified (the forward pass is shown as written). */
function overLeaves(n: Node, sym: Symbols, raw: IRModel): Node {
  return simplifyLocal(n, sym.net, raw, undefined, false).node;
}

/** The ops on the paths from `top` down to `target` inside top's expression. */
function pathOps(top: Node, target: Node, sym: Symbols): Set<string> {
  const ops = new Set<string>();
  const reaches = new Map<Node, boolean>();
  const visit = (n: Node): boolean => {
    if (n === target) return true;
    if (n !== top && sym.net.has(n)) return false;
    const known = reaches.get(n);
    if (known !== undefined) return known;
    reaches.set(n, false);
    let any = false;
    for (const a of n.args) if (visit(a)) any = true;
    if (any) ops.add(n.op);
    reaches.set(n, any);
    return any;
  };
  visit(top);
  return ops;
}

const ruleList = (ops: Iterable<string>) => {
  const out: { name: string; latex: string }[] = [];
  for (const op of ops) {
    const w = wordsOf(op);
    if (w.rule && w.ruleName && !out.some((r) => r.name === w.ruleName)) out.push({ name: w.ruleName, latex: w.rule });
  }
  return out;
};

function terms(step: ChainStep, raw: IRModel, sym: Symbols, adjointOf: ReadonlyMap<Node, ChainStep>, root: Node): ExplainTerm[] {
  const out: ExplainTerm[] = [];
  for (const c of step.contributions) {
    const via = sym.net.has(c.from) ? c.from : sym.owner.get(c.from) ?? c.from;
    const viaName = sym.net.get(via) ?? "?";
    const viaStep = adjointOf.get(via);
    const ops = pathOps(via, step.node, sym);
    const rules = ruleList([...ops].reverse());
    const term: ExplainTerm = {
      via: viaName,
      adjoint: via === root ? "1" : viaStep?.name ?? "?",
      adjointLatex: via === root ? "1" : viaStep ? stepLabel(viaStep) : "?",
      rules,
    };
    const same = via.shape.length === step.node.shape.length && via.shape.every((d, i) => d === step.node.shape[i]);
    if (viaStep && same && [...ops].every(isEntrywise)) {
      const local = simplifyLocal(c.value, sym.net, raw, new Map([[viaStep.adjoint, 1]]));
      const label = `\\frac{\\partial ${sym.latex.get(via)}}{\\partial ${sym.latex.get(step.node) ?? latexName(step.wrt)}}`;
      const l: LocalDerivative = { of: viaName, wrt: step.wrt, label, expr: netText(local.node), latex: formulaLatex(local.node, sym), rules };
      term.local = l;
    }
    out.push(term);
  }
  return out;
}

/** The steps of the backward pass, in the order differentiation took them. */
function backwardSteps(raw: IRModel, sym: Symbols): ExplainStep[] {
  const adjointOf = new Map<Node, ChainStep>();
  for (const s of raw.steps ?? []) if (!adjointOf.has(s.node)) adjointOf.set(s.node, s);
  const roots = new Map<string, Node>();
  for (const s of raw.steps ?? []) if (!roots.has(s.of)) roots.set(s.of, raw.bindings.get(s.of) ?? raw.leaves.get(s.of)!);
  // the names a step's formula may use: forward values, and the adjoints of the steps before it
  // (a value two steps share, as dL/df2 = dL/df1 through f1 = f2 - 2, reads as the later name)
  const names = new Map<Node, string>();
  for (const n of sym.forward) names.set(n, sym.net.get(n)!);
  return (raw.steps ?? []).map((s) => {
    const earlier = names.get(s.adjoint);
    const f = earlier !== undefined ? symbolFormula(earlier, s.adjoint.shape) : simplifyLocal(s.adjoint, names, raw);
    const before = earlier !== undefined ? f : simplifyLocal(s.adjoint, names, raw, undefined, false);
    names.set(s.adjoint, s.name);
    const t = terms(s, raw, sym, adjointOf, roots.get(s.of)!);
    const rules = [...new Set(t.flatMap((x) => x.rules.map((r) => r.name)))];
    const step: ExplainStep = {
      id: s.id,
      of: s.of,
      wrt: s.wrt,
      name: s.name,
      label: stepLabel(s),
      binding: s.origin?.binding ?? s.wrt,
      line: s.origin?.line ?? 0,
      text: s.origin?.text ?? "",
      shape: [...s.node.shape],
      rule: rules.join(", "),
      terms: t,
      raw: f.raw,
      rawLatex: formulaLatex(before.node, sym),
      expr: netText(f.node),
      latex: formulaLatex(f.node, sym),
      latexShapes: formulaLatex(f.node, sym, true),
      notes: [],
      trail: f.trail,
    };
    const extra = stepNotes(step, f.node, s, sym);
    step.notes = extra.notes;
    if (extra.index) step.index = extra.index;
    return step;
  });
}

/** Named values and the named values each is computed from (the graph DOT draws). */
function edges(sym: Symbols): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  const seen = new Set<string>();
  for (const [n, name] of sym.net) {
    if (n.op === "input" || n.op === "param" || !sym.forward.has(n)) continue;
    const stack = [...n.args];
    const visited = new Set<Node>();
    while (stack.length > 0) {
      const m = stack.pop()!;
      if (visited.has(m)) continue;
      visited.add(m);
      const other = sym.forward.has(m) ? sym.net.get(m) : undefined;
      if (other !== undefined) {
        const key = `${other}>${name}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push({ from: other, to: name });
        }
      } else stack.push(...m.args);
    }
  }
  return out;
}

/** The explanation of a lowered and differentiated model (`raw`, from src/diff). */
export function deriveExplanation(raw: IRModel, file: string): Explanation {
  const sym = collectSymbols(raw);
  const model = raw.checked;
  const forward = forwardLines(raw, sym);
  const steps = backwardSteps(raw, sym);
  const stepOf = new Map<Node, string>();
  for (const s of raw.steps ?? []) if (!stepOf.has(s.node)) stepOf.set(s.node, s.id);
  const leafLine = new Map<string, number>();
  for (const d of model.data) leafLine.set(d.name, d.span.line);
  for (const p of model.params) leafLine.set(p.name, p.span.line);
  const derivatives = model.grads.flatMap((g) =>
    g.wrt.map((w) => {
      const node = raw.leaves.get(w) ?? raw.bindings.get(w)!;
      const step = (raw.steps ?? []).find((s) => s.of === g.of && s.node === node)?.id;
      return { key: `${g.of}/${w}`, of: g.of, wrt: w, shape: [...node.shape], ...(step ? { step } : {}) };
    }),
  );
  const unique = derivatives.filter((d, i) => derivatives.findIndex((e) => e.key === d.key) === i);
  return {
    model: model.name,
    file,
    dims: [...model.dims].map(([name, value]) => ({ name, value })),
    leaves: [
      ...model.data.map((d) => ({ name: d.name, role: d.role, shape: [...d.shape], line: d.span.line, latex: latexName(d.name) })),
      ...model.params.map((p) => ({ name: p.name, role: "param" as const, shape: [...p.shape], line: p.span.line, latex: latexName(p.name) })),
    ],
    forward,
    steps,
    derivatives: unique,
    codeFile: "",
    edges: edges(sym),
  };
}
