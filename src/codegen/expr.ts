// Scalar expressions for one element of a node, at a symbolic index: the heart of fusion. A
// materialized node is read from its buffer; an inlined node is expanded in place through its op's
// `scalar` code, with NumPy broadcasting, `expand` and `transpose` turned into index arithmetic
// specialized for the literal shapes. Values a template uses twice are bound to a `const` first,
// and so is every fused node the user named (so `dL_dyhat` is visible inside the loop).
import type { Attrs, Node, Shape } from "../graph/node.ts";
import type { Plan } from "./plan.ts";
import { opOf, sameShape } from "./plan.ts";
import { numberLiteral } from "./literals.ts";
import { elementAt, type Lang } from "./code.ts";

/** One element of a tensor: an index expression per axis, and the flat offset when known. */
export interface Index {
  axes: readonly string[];
  flat: string | null;
}

export const scalarIndex: Index = { axes: [], flat: null };

/** A value the kernel supplies itself for a node (a matmul's accumulator in its epilogue). */
export type Override = (idx: Index) => string;

/** What the writer needs from the module being emitted: names and fresh locals. */
export interface NameSource {
  /** The identifier of a leaf, buffer, scalar or named fused node. */
  nameOf(node: Node): string;
  /** Whether a fused node has a user-facing name (it then becomes a named `const`). */
  hasName(node: Node): boolean;
  /** A new local identifier. */
  local(base: string): string;
  /** The module-level mask of a dropout site (1 everywhere outside training). */
  maskOf(site: number): string;
}

/** `a * 15 + b` from (term, stride) pairs, dropping zero terms and unit strides. */
export function linear(terms: readonly (readonly [string, number])[]): string {
  const parts: string[] = [];
  for (const [v, stride] of terms) {
    if (v === "0" || stride === 0) continue;
    parts.push(stride === 1 ? v : `${/^[\p{ID_Continue}$]+$/u.test(v) ? v : `(${v})`} * ${stride}`);
  }
  return parts.length === 0 ? "0" : parts.join(" + ");
}

export { strides } from "../ops/shared.ts";
import { strides } from "../ops/shared.ts";

/** A generated identifier (names.ts keeps Unicode letters: `σ`, `ŷ`). */
const IDENTIFIER = /^[\p{ID_Start}_$][\p{ID_Continue}$]*$/u;

/** True for text that needs no parentheses as an operand: names, reads, calls, literals, (...). */
export function isAtomic(text: string): boolean {
  if (IDENTIFIER.test(text)) return true;
  if (/^\d+(\.\d+)?(e[+-]?\d+)?$/.test(text)) return true;
  const m = /^([\p{ID_Start}_$][\p{ID_Continue}$.]*)?(?=[[(])/u.exec(text);
  if (!m) return false;
  // From the first bracket on, the text must be bracket groups back to back: `x[i]`, `f(a)`, `(…)`,
  // an index group perhaps asserted non-null (`x[i]!`, TypeScript).
  let depth = 0;
  for (let i = m[0].length; i < text.length; i++) {
    const c = text[i];
    if (depth === 0 && c === "!" && text[i - 1] === "]") continue;
    if (depth === 0 && c !== "(" && c !== "[") return false;
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
  }
  return depth === 0;
}

/** A name, a literal or one plain array read (`h[i * 15 + j]`, `h[i * 15 + j]!` in TypeScript): cheap to write twice. */
const isRead = (text: string): boolean => /^[\p{ID_Start}_$][\p{ID_Continue}$]*(\[[^[\]()]*\]!?)?$/u.test(text) || /^\(?-?\d+(\.\d+)?(e[+-]?\d+)?\)?$/.test(text);

const paren = (text: string): string => (isAtomic(text) ? text : `(${text})`);

const templateUses = new Map<string, number[]>();

/** How many times an op's scalar template uses each operand. */
function usesPerOperand(node: Node): number[] {
  const cached = templateUses.get(node.op);
  if (cached) return cached;
  const op = opOf(node);
  const marks = node.args.map((_, i) => `\u0001${i}\u0001`);
  const text = op.scalar!(marks, node.attrs);
  const counts = marks.map((m) => text.split(m).length - 1);
  templateUses.set(node.op, counts);
  return counts;
}

/**
 * Writes the scalar expression of nodes at an index. Statements it needs first (temporaries) are
 * collected in `stmts`; `usedAxes` records whether any read needed per-axis index arithmetic
 * (when not, the caller can use one flat loop).
 */
export class ExprWriter {
  readonly stmts: string[] = [];
  usedAxes = false;
  /**
   * Named fused nodes already bound in `stmts`, by node and index: a node reached twice (from two
   * operands, or from the kernel and its epilogue) reuses its `const` instead of declaring it again.
   */
  private readonly bound = new Map<Node, Map<string, string>>();

  constructor(
    private readonly plan: Plan,
    private readonly names: NameSource,
    /** The language written: reads of stored elements carry TypeScript's `!` (see Code.at). */
    private readonly lang: Lang,
    /** Values supplied by the kernel itself (a matmul's accumulator in its epilogue). */
    private readonly overrides: ReadonlyMap<Node, Override> = new Map(),
  ) {}

  /** The flat offset of `idx` in a row-major tensor of `shape`. */
  flatOf(idx: Index, shape: Shape): string {
    if (idx.flat !== null) return idx.flat;
    const st = strides(shape);
    const terms = idx.axes.map((a, i) => [shape[i] === 1 ? "0" : a, st[i]!] as const);
    const text = linear(terms);
    if (text !== "0") this.usedAxes = true;
    return text;
  }

  value(node: Node, idx: Index): string {
    const given = this.overrides.get(node);
    if (given !== undefined) return given(idx);
    const st = this.plan.storage.get(node);
    if (!st) throw new Error(`internal error: codegen has no plan for node ${node.id} (${node.op})`);
    if (st.kind === "leaf" || st.kind === "buffer" || st.kind === "scalar") {
      const name = this.names.nameOf(node);
      return node.shape.length === 0 ? name : elementAt(this.lang, name, this.flatOf(idx, node.shape));
    }
    return this.compute(node, idx);
  }

  /** The expression that computes `node` itself at `idx` (not a read of its storage). */
  define(node: Node, idx: Index): string {
    const st = this.plan.storage.get(node);
    if (st?.kind === "leaf") return this.value(node, idx);
    return this.compute(node, idx);
  }

  private compute(node: Node, idx: Index): string {
    switch (opOf(node).kind) {
      case "leaf":
        return numberLiteral(node.attrs.value ?? NaN);
      case "expand":
        return this.value(node.args[0]!, expandIndex(node, idx));
      case "transpose":
        return this.value(node.args[0]!, { axes: [idx.axes[1]!, idx.axes[0]!], flat: null });
      case "slice":
        return this.value(node.args[0]!, { axes: sliceAxes(node.attrs, idx.axes), flat: null });
      case "reshape": {
        // the same row-major offset in the (stored) operand
        const arg = node.args[0]!;
        if (arg.shape.length === 0) return this.value(arg, scalarIndex);
        return this.value(arg, { axes: [], flat: node.shape.length === 0 ? "0" : this.flatOf(idx, node.shape) });
      }
      case "elementwise":
        return this.elementwise(node, idx);
      case "dropout": {
        // x times the site's mask: 0 or 1/(1 - p) per entry while training, else 1
        const x = this.value(node.args[0]!, idx);
        const m = elementAt(this.lang, this.names.maskOf(node.attrs.site!), node.shape.length === 0 ? "0" : this.flatOf(idx, node.shape));
        return `${paren(x)} * ${m}`;
      }
      default:
        throw new Error(`internal error: ${node.op} node ${node.id} is not computed before it is read`);
    }
  }

  private elementwise(node: Node, idx: Index): string {
    const named = this.plan.storage.get(node)?.kind === "inline" && this.names.hasName(node) && node.shape.length > 0;
    const key = `${idx.axes.join(",")}|${idx.flat ?? ""}`;
    const known = named ? this.bound.get(node)?.get(key) : undefined;
    if (known !== undefined) return known;
    const counts = usesPerOperand(node);
    const args = node.args.map((a, i) => {
      let text = this.value(a, broadcastIndex(a.shape, node.shape, idx));
      if (!isRead(text) && (counts[i]! > 1 || isSquare(node))) text = this.bind(this.names.local("t"), text);
      return paren(text);
    });
    const text = isSquare(node) ? `${args[0]} * ${args[0]}` : opOf(node).scalar!(args, node.attrs);
    return named ? this.bindNamed(node, key, text) : text;
  }

  /** Binds a named fused node at one index: its own name the first time, a fresh variant at another index. */
  private bindNamed(node: Node, key: string, text: string): string {
    let byIndex = this.bound.get(node);
    if (!byIndex) this.bound.set(node, (byIndex = new Map()));
    const name = byIndex.size === 0 ? this.names.nameOf(node) : this.names.local(this.names.nameOf(node));
    byIndex.set(key, name);
    return this.bind(name, text);
  }

  private bind(name: string, text: string): string {
    this.stmts.push(`const ${name} = ${text};`);
    return name;
  }
}

/** pow(x, 2) is written x * x: exact, and cheaper than Math.pow. */
const isSquare = (node: Node): boolean => node.op === "pow" && node.args[1]!.op === "const" && node.args[1]!.attrs.value === 2;

/** The index of an operand broadcast (trailing alignment) to `out`. */
export function broadcastIndex(arg: Shape, out: Shape, idx: Index): Index {
  if (arg.length === 0) return { axes: [], flat: null };
  if (sameShape(arg, out)) return idx;
  const lead = out.length - arg.length;
  return { axes: arg.map((d, i) => (d === 1 ? "0" : idx.axes[i + lead]!)), flat: null };
}

/** The index of an `expand` node's operand (attrs.dims maps operand axes to output axes). */
function expandIndex(node: Node, idx: Index): Index {
  const arg = node.args[0]!;
  const out = node.shape;
  const dims = node.attrs.dims ?? arg.shape.map((_, i) => out.length - arg.shape.length + i);
  if (sameShape(arg.shape, out) && dims.every((d, i) => d === i)) return idx;
  return { axes: arg.shape.map((d, i) => (d === 1 ? "0" : idx.axes[dims[i]!]!)), flat: null };
}

/** `a + b` for an index expression shifted by a constant (`a` when b is 0). */
export const shifted = (a: string, b: number): string => (b === 0 ? a : a === "0" ? String(b) : `${a} + ${b}`);

/**
 * The index, in the whole tensor, of an element of a slice's region: the region's axes shifted by
 * where it begins, and the dropped axes (indexed by an integer) at their index.
 */
export function sliceAxes(attrs: Readonly<Attrs>, regionAxes: readonly string[]): string[] {
  const drop = new Set(attrs.drop ?? []);
  let k = 0;
  return attrs.begin!.map((b, d) => (drop.has(d) ? String(b) : shifted(regionAxes[k++] ?? "0", b)));
}
