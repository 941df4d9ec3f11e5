// IR as LaTeX, in the subset KaTeX and GitHub's MathJax both render: the user's names as a
// mathematician writes them (yhat → ŷ, W2 → W₂, dL_dh → ∂L/∂h, a layer's delta → δ₂), ⊙ for
// entry-wise products, ᵀ for transposes, and optionally each symbol's shape written under it.
// Internal ops print as mathematics (heaviside → 𝟏[z > 0]; a broadcast prints as its operand).
import type { Node } from "../graph/node.ts";
import { topoOrder } from "../graph/node.ts";
import { wordsOf } from "./ops.ts";

const GREEK = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega",
  "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
]);

/** Text safe inside \mathit{…} / \text{…}: letters, digits and escaped underscores only. */
const plain = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, "").replace(/_/g, "\\_");

/** A user's name as a math symbol: `yhat` → `\hat{y}`, `W2` → `W_{2}`, `x_in` → `x_{\mathit{in}}`, `logits` → `\mathit{logits}`. */
export function latexName(name: string): string {
  const hat = /^([A-Za-z])hat(\d*)$/.exec(name);
  if (hat) return `\\hat{${hat[1]}}${hat[2] ? `_{${hat[2]}}` : ""}`;
  const m = /^([A-Za-z]+)_?(\d+)$/.exec(name);
  if (m) return `${latexName(m[1]!)}_{${m[2]}}`;
  const sub = /^([A-Za-z]+)_([A-Za-z0-9]+)$/.exec(name);
  if (sub) return `${latexName(sub[1]!)}_{${latexName(sub[2]!)}}`;
  if (GREEK.has(name)) return `\\${name}`;
  if (/^[A-Za-z]$/.test(name)) return name;
  return `\\mathit{${plain(name)}}`;
}

/** ∂of/∂wrt as a fraction of symbols; `delta` is the layer number for a pre-activation's δ. */
export function latexDerivative(of: string, wrt: string, scalar: boolean): string {
  const d = scalar ? "d" : "\\partial ";
  return `\\frac{${d}${latexName(of)}}{${d}${latexName(wrt)}}`;
}

/** A number as LaTeX: 1/N and N where a dim of the model has that value (0.25 → 1/N at N = 4). */
export function latexNumber(v: number, dims: ReadonlyMap<number, string>): string {
  if (v > 0 && v < 1 && Number.isInteger(1 / v) && dims.has(1 / v)) return `\\frac{1}{${latexName(dims.get(1 / v)!)}}`;
  if (v > 1 && Number.isInteger(v) && dims.has(v) && v !== 2) return latexName(dims.get(v)!);
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "\\mathrm{NaN}" : v > 0 ? "\\infty" : "-\\infty";
  const t = String(v);
  const e = /^(-?[\d.]+)e([+-]\d+)$/.exec(t);
  return e ? `${e[1]} \\times 10^{${Number(e[2])}}` : t;
}

export interface LatexOptions {
  /** LaTeX of named nodes and leaves, printed instead of their expressions. */
  symbols: ReadonlyMap<Node, string>;
  /** Dims of the model by value, for 1/N (values shared by two dims are left out). */
  dims: ReadonlyMap<number, string>;
  /** Write each symbol's shape under it (the chain-rule product with its shapes). */
  shapes?: boolean;
}

interface Printed {
  text: string;
  level: number;
}

const shapeLatex = (shape: readonly number[]): string => shape.join(" \\times ");

/** The LaTeX of `root` (expanded; named nodes below it print as their symbols). */
export function toLatex(root: Node, options: LatexOptions): string {
  const done = new Map<Node, Printed>();
  // walk only what the root needs, stopping at symbols
  const order = topoOrder([root]);
  for (const n of order) {
    if (done.has(n)) continue;
    done.set(n, printOne(n, root, options, done));
  }
  return done.get(root)!.text;
}

function printOne(n: Node, root: Node, options: LatexOptions, done: ReadonlyMap<Node, Printed>): Printed {
  const symbol = n !== root ? options.symbols.get(n) : undefined;
  if (symbol !== undefined || n.op === "input" || n.op === "param") {
    const text = symbol ?? latexName(n.attrs.name!);
    return { text: options.shapes && n.shape.length > 0 ? `\\underset{${shapeLatex(n.shape)}}{${text}}` : text, level: 5 };
  }
  if (n.op === "const") {
    const v = n.attrs.value!;
    return { text: latexNumber(v, options.dims), level: v < 0 ? 3 : 5 };
  }
  const words = wordsOf(n.op);
  const arg = (i: number, min: number): string => {
    const p = done.get(n.args[i]!)!;
    return p.level < min || (i > 0 && p.text.startsWith("-") && min > 1) ? `\\left(${p.text}\\right)` : p.text;
  };
  let args: string[];
  switch (n.op) {
    case "add":
      args = [arg(0, 1), arg(1, 1)];
      break;
    case "sub":
      args = [arg(0, 1), arg(1, 2)];
      break;
    case "mul":
    case "matmul":
      args = [arg(0, 2), arg(1, 3)];
      break;
    case "neg":
      args = [arg(0, 3)];
      break;
    case "pow":
    case "transpose":
      args = n.args.map((_, i) => arg(i, i === 0 ? 5 : 0));
      break;
    case "sum":
      args = [arg(0, 4)];
      break;
    case "expand":
      return done.get(n.args[0]!)!;
    default:
      args = n.args.map((_, i) => arg(i, 0));
  }
  return { text: words.latex(args, n), level: words.level };
}
