// The sentences of a step a tutorial would write beside the formula: why a transpose appears,
// where a broadcast is summed back, and the index form of a matrix product (Σₙ aₙⱼ δₙₖ).
import type { ChainStep } from "../ir/model.ts";
import type { Node } from "../graph/node.ts";
import { topoOrder } from "../graph/node.ts";
import { latexName } from "./latex.ts";
import type { ExplainStep, Symbols } from "./model.ts";
import { isEntrywise } from "./ops.ts";
import { getOp } from "../ops/registry.ts";

const dimText = (shape: readonly number[]): string => `[${shape.join(" × ")}]`;

function symbolLatex(n: Node, sym: Symbols): string | undefined {
  return n.op === "input" ? sym.latexByName.get(n.attrs.name!) ?? latexName(n.attrs.name!) : undefined;
}

/** A size in words, with the dim's name when the model has one of that size: "the 4 rows of N". */
function sizeWords(size: number, sym: Symbols): string {
  const dim = sym.dims.get(size);
  return dim !== undefined ? `${size} (the dim $${latexName(dim)}$)` : String(size);
}

function transposeNote(m: Node, step: ExplainStep, sym: Symbols): string[] {
  const notes: string[] = [];
  const [A, B] = m.args as [Node, Node];
  const a = symbolLatex(A, sym) ?? "the left factor";
  const b = symbolLatex(B, sym) ?? "the right factor";
  if (m.attrs.transB && B.shape.length === 2) {
    const [rows, cols] = B.shape as [number, number];
    notes.push(
      `$${b}^{\\top}$ appears because in the forward pass $${b}$ ${dimText(B.shape)} took each row of ${rows} entries to ${cols}; ` +
        `the gradient goes back the other way, from ${cols} entries to ${rows}, so it is multiplied by $${b}$ transposed, ${dimText([cols, rows])}.`,
    );
  }
  if (m.attrs.transA && A.shape.length === 2) {
    const [k, rows] = A.shape as [number, number];
    notes.push(
      `$${a}^{\\top}$ appears because $${a}$ ${dimText(A.shape)} and $${b}$ ${dimText(B.shape)} share their first axis of ${sizeWords(k, sym)}: ` +
        `transposing $${a}$ puts that axis inside the product, where it is summed over, and leaves ${dimText(step.shape)}` +
        (rows === step.shape[0] ? `, the shape of $${latexName(step.wrt)}$.` : "."),
    );
  }
  return notes;
}

/** Sentences for the broadcasts a step sums back: a value added to every row gets the row sums. */
function broadcastNotes(chain: ChainStep, sym: Symbols): string[] {
  const notes: string[] = [];
  const n = chain.node;
  for (const c of chain.contributions) {
    const via = sym.net.has(c.from) ? c.from : sym.owner.get(c.from) ?? c.from;
    const user = c.from;
    // only an element-wise user (or a loss) broadcasts; a lookup, product or reduction of another shape does not
    if (!isEntrywise(user.op) && getOp(user.op).kind !== "loss") continue;
    if (user.shape.length === 0 || (user.shape.length === n.shape.length && user.shape.every((d, i) => d === n.shape[i]))) continue;
    const lead = user.shape.length - n.shape.length;
    const summed: number[] = [];
    user.shape.forEach((d, i) => {
      if (i < lead || (n.shape[i - lead] === 1 && d !== 1)) summed.push(i);
    });
    if (summed.length === 0) continue;
    const over = summed.map((i) => (i === 0 && user.shape.length === 2 ? `the ${sizeWords(user.shape[0]!, sym)} rows` : `axis ${i} (${sizeWords(user.shape[i]!, sym)})`)).join(" and ");
    const viaLatex = sym.latex.get(via) ?? "its user";
    const name = latexName(chain.wrt);
    const what = n.shape.length === 0 ? `the scalar $${name}$ was added to every entry of` : `$${name}$ ${dimText(n.shape)} was broadcast over ${over} of`;
    notes.push(`${what[0]!.toUpperCase()}${what.slice(1)} $${viaLatex}$ ${dimText(user.shape)}: its gradient sums the incoming gradient over ${n.shape.length === 0 ? "all entries" : over}.`);
  }
  return notes;
}

/** `(∂L/∂W)_{ij} = Σ_n a_{ni} δ_{nj}` for a product of two named matrices. */
function indexForm(root: Node, step: ExplainStep, sym: Symbols): string | undefined {
  if (root.op !== "matmul" || root.shape.length !== 2) return undefined;
  const [A, B] = root.args as [Node, Node];
  const a = symbolLatex(A, sym);
  const b = symbolLatex(B, sym);
  if (a === undefined || b === undefined || A.shape.length !== 2 || B.shape.length !== 2) return undefined;
  const k = root.attrs.transA ? A.shape[0]! : A.shape[1]!;
  const dim = sym.dims.get(k);
  const c = dim !== undefined && /^[A-Za-z]$/.test(dim) && !/[ijIJ]/.test(dim) ? dim.toLowerCase() : "k";
  const sub = (s: string, idx: string) => (/^[A-Za-z]$/.test(s) || /^\\hat\{[A-Za-z]\}$/.test(s) ? `${s}_{${idx}}` : `\\left(${s}\\right)_{${idx}}`);
  const ai = root.attrs.transA ? `${c}i` : `i${c}`;
  const bi = root.attrs.transB ? `j${c}` : `${c}j`;
  return `${sub(step.label, "ij")} = \\sum_{${c}} ${sub(a, ai)} \\, ${sub(b, bi)}`;
}

export function stepNotes(step: ExplainStep, root: Node, chain: ChainStep, sym: Symbols): { notes: string[]; index?: string } {
  const notes: string[] = [];
  for (const m of topoOrder([root])) if (m.op === "matmul") notes.push(...transposeNote(m, step, sym));
  notes.push(...broadcastNotes(chain, sym));
  const index = indexForm(root, step, sym);
  return index ? { notes, index } : { notes };
}
