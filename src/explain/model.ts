// The explanation as data, before any format: the forward pass line by line and the backward pass
// step by step. Every renderer (Markdown, HTML, JSON, DOT) prints this and nothing else.
import type { Node } from "../graph/node.ts";

export interface ExplainValue {
  shape: number[];
  /** Every entry (row-major) when there are few; otherwise a summary only. */
  data?: number[];
  min: number;
  max: number;
  mean: number;
}

export interface ForwardLine {
  name: string;
  /** The .net formula (`a = sigmoid(h)`: `sigmoid(h)`), and as LaTeX. */
  expr: string;
  latex: string;
  shape: number[];
  line: number;
  /** The source text of the binding, or for a layer's pre-activation the binding it feeds. */
  text: string;
  kind: "binding" | "pre-activation";
  value?: ExplainValue;
}

export interface LocalDerivative {
  /** ∂owner/∂wrt as LaTeX, its formula (.net and LaTeX) and the rules it used. */
  of: string;
  wrt: string;
  label: string;
  expr: string;
  latex: string;
  rules: { name: string; latex: string }[];
}

export interface ExplainTerm {
  /** The binding (or pre-activation) whose expression uses the value. */
  via: string;
  /** The adjoint flowing in from it (`dL_da`, or `1` for the differentiated binding itself). */
  adjoint: string;
  adjointLatex: string;
  local?: LocalDerivative;
  rules: { name: string; latex: string }[];
}

export interface ExplainStep {
  id: string;
  of: string;
  wrt: string;
  /** The adjoint's name in .net (`dL_dh`) and as LaTeX (`\frac{\partial L}{\partial h}`, `\delta_{2}`). */
  name: string;
  label: string;
  /** The binding whose expression the step goes through, its source line and text. */
  binding: string;
  line: number;
  text: string;
  shape: number[];
  /** The names of the rules used, joined ("the sigmoid rule"). */
  rule: string;
  terms: ExplainTerm[];
  /** The formula as differentiation built it, and simplified (both .net). */
  raw: string;
  rawLatex: string;
  expr: string;
  latex: string;
  /** The formula with each symbol's shape under it. */
  latexShapes: string;
  /** Sentences: where a transpose appears and why, where a broadcast is summed back. */
  notes: string[];
  /** The index form of a matrix product (`(\partial L/\partial W_2)_{jk} = \sum_n a_{nj} \delta_{nk}`). */
  index?: string;
  trail: { rule: string; before: string; after: string }[];
  /** The line of the generated module that computes the step (its comment cites the id). */
  codeLine?: number;
  value?: ExplainValue;
}

export interface ExplainDerivative {
  key: string;
  of: string;
  wrt: string;
  shape: number[];
  /** The step whose adjoint is this derivative. */
  step?: string;
  value?: ExplainValue;
}

export interface Explanation {
  model: string;
  file: string;
  dims: { name: string; value: number }[];
  leaves: { name: string; role: "input" | "target" | "param"; shape: number[]; line: number; latex: string }[];
  forward: ForwardLine[];
  steps: ExplainStep[];
  derivatives: ExplainDerivative[];
  /** Where the generated module would be written by `netc compile`. */
  codeFile: string;
  /** Whether values were plugged in, and from where. */
  valuesFrom?: string;
  /** Edges of the graph between named values (for DOT): from argument to user. */
  edges: { from: string; to: string }[];
}

/** The named values of the backward pass: .net names and LaTeX of forward values, leaves and adjoints. */
export interface Symbols {
  net: Map<Node, string>;
  latex: Map<Node, string>;
  /** LaTeX by .net name (for the leaves of a formula over symbols). */
  latexByName: Map<string, string>;
  /** For each node inside a named value's expression, the named value (its owner). */
  owner: Map<Node, Node>;
  /** The forward values among the symbols (leaves, bindings, pre-activations). */
  forward: Set<Node>;
  dims: Map<number, string>;
}
