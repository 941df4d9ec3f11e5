// IR as LaTeX, in the subset KaTeX and GitHub's MathJax both render: the user's names as a
// mathematician writes them (yhat → ŷ, W2 → W₂, dL_dh → ∂L/∂h, a layer's delta → δ₂), ⊙ for
// entry-wise products, ᵀ for transposes, and optionally each symbol's shape written under it.
// Internal ops print as mathematics (heaviside → 𝟏[z > 0]; a broadcast prints as its operand).
import type { Node } from "../graph/node.ts";
import { topoOrder } from "../graph/node.ts";
import { wordsOf } from "./ops.ts";

const GREEK_WORDS = [
  "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
];
const GREEK = new Set([...GREEK_WORDS, "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"]);
/** Greek letters written as characters (δ, σ): the same macros. */
const GREEK_CHARS = new Map<string, string>([
  ..."αβγδεζηθικλμνξπρστυφχψω".split("").map((c, i) => [c, GREEK_WORDS[i]!] as [string, string]),
  ..."ΓΔΘΛΞΠΣΥΦΨΩ".split("").map((c, i) => [c, ["Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi", "Psi", "Omega"][i]!] as [string, string]),
]);
/** Combining marks of a decomposed letter (ŷ = y + U+0302) and their accents. */
const ACCENTS = new Map([["\u0302", "hat"], ["\u0303", "tilde"], ["\u0304", "bar"], ["\u0307", "dot"], ["\u0308", "ddot"], ["\u0301", "acute"], ["\u0300", "grave"]]);

/** Text safe inside \mathit{…}: ASCII letters, digits and escaped underscores only. */
const plain = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, "").replace(/_/g, "\\_");

/** One letter, possibly accented or Greek, as LaTeX (`ŷ` → `\hat{y}`, `δ` → `\delta`). */
function letterLatex(cluster: string): string {
  const [base, ...marks] = [...cluster.normalize("NFD")];
  let out = GREEK_CHARS.has(base!) ? `\\${GREEK_CHARS.get(base!)}` : /^[A-Za-z0-9]$/.test(base!) ? base! : `\\text{${base}}`;
  for (const m of marks) {
    const accent = ACCENTS.get(m);
    if (accent) out = `\\${accent}{${out}}`;
  }
  return out;
}

/** A user's name as a math symbol: `yhat` → `\hat{y}`, `W2` → `W_{2}`, `x_in` → `x_{\mathit{in}}`, `logits` → `\mathit{logits}`, `ŷ` → `\hat{y}`. */
export function latexName(name: string): string {
  const hat = /^(\p{L})hat(\d*)$/u.exec(name);
  if (hat) return `\\hat{${letterLatex(hat[1]!)}}${hat[2] ? `_{${hat[2]}}` : ""}`;
  const m = /^(\p{L}[\p{L}\p{M}]*?)_?(\d+)$/u.exec(name);
  if (m) return `${latexName(m[1]!)}_{${m[2]}}`;
  const sub = /^(\p{L}[\p{L}\p{M}]*)_([\p{L}\p{M}0-9]+)$/u.exec(name);
  if (sub) return `${latexName(sub[1]!)}_{${latexName(sub[2]!)}}`;
  if (GREEK.has(name)) return `\\${name}`;
  const letters = [...name.normalize("NFC")];
  if (letters.length === 1 || /^\p{L}\p{M}+$/u.test(name.normalize("NFD"))) return letterLatex(name);
  if (/^[A-Za-z0-9_]+$/.test(name)) return `\\mathit{${plain(name)}}`;
  return letters.map(letterLatex).join("");
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
  const symbol = n !== root || n.args.length === 0 ? options.symbols.get(n) : undefined;
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
    return p.level < min || (i > 0 && p.text.startsWith("-")) ? `\\left(${p.text}\\right)` : p.text;
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
      args = [arg(0, 2), arg(1, 3)];
      break;
    case "matmul": {
      // a transposed factor is written X^T, with the shape it has as used ([3 × 4] for a: [4 × 3])
      const factor = (i: number, min: number, t: boolean | undefined): string => {
        const a = n.args[i]!;
        if (!t) return arg(i, min);
        const sym = a.op === "input" || a.op === "param" ? options.symbols.get(a) ?? latexName(a.attrs.name!) : options.symbols.get(a);
        if (sym !== undefined && options.shapes) return `\\underset{${shapeLatex([...a.shape].reverse())}}{${sym}^{\\top}}`;
        return `${arg(i, 5)}^{\\top}`;
      };
      return { text: `${factor(0, 2, n.attrs.transA)} \\, ${factor(1, 3, n.attrs.transB)}`, level: 2 };
    }
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
