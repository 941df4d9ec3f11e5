// Symbolic expressions: IR nodes printed in .net syntax with the user's names and correct
// operator precedence, so a printed scalar expression re-parses as a .net expression. Used by
// `netc grad` (with `where` lines for shared subexpressions) and for the chain-rule steps that
// differentiation records. Iterative, and every text is capped in length, so deep or huge graphs
// print in linear time.
import type { Node } from "../graph/node.ts";
import { topoOrder } from "../graph/node.ts";
import { builtinName, getOp } from "../ops/registry.ts";
import { ATOM, INFIX, infix, negation, numberText, type Printed } from "../ops/notation.ts";
import { attrArgs } from "../ops/shared.ts";
import { slicePrinted } from "../ops/slicing.ts";

export interface ExprOptions {
  /** Nodes printed as these names instead of being expanded (the root is always expanded). */
  names?: ReadonlyMap<Node, string>;
  /** Longer texts are replaced by "…" (default: unlimited). */
  maxLength?: number;
  /**
   * The .net text of an op that is not a built-in (heaviside, expand…), given its operands' text;
   * undefined prints the op's name. Lets `netc explain` print formulas that re-parse as .net.
   */
  spell?: (n: Node, args: readonly string[]) => string | undefined;
}

/** Whether an `expand` can be left out: NumPy broadcasting in an element-wise user does the same. */
const implicitExpand = (n: Node): boolean => n.op === "expand" && n.attrs.dims === undefined;

function printNode(n: Node, arg: (i: number) => Printed, spell?: ExprOptions["spell"]): Printed {
  const a = arg;
  const inf = INFIX[n.op];
  if (inf && n.op !== "matmul") return infix(inf, a(0), a(1));
  switch (n.op) {
    case "const":
      return numberText(n.attrs.value!);
    case "input":
    case "param":
      return { text: n.attrs.name!, level: ATOM };
    case "neg":
      // -(x^2), not -x^2: the same in .net, and unambiguous to a reader (or to JavaScript's **)
      return negation(a(0));
    case "matmul": {
      const l = n.attrs.transA ? { text: `transpose(${a(0).text})`, level: ATOM } : a(0);
      const r = n.attrs.transB ? { text: `transpose(${a(1).text})`, level: ATOM } : a(1);
      return infix(inf!, l, r);
    }
    case "slice":
      return slicePrinted(a(0), n.args[0]!.shape, n.attrs);
    case "expand": {
      const spelled = spell?.(n, [a(0).text]);
      if (spelled !== undefined) return spelled === a(0).text ? a(0) : { text: spelled, level: ATOM };
      const dims = n.attrs.dims ? `, dims = [${n.attrs.dims.join(", ")}]` : "";
      return { text: `expand(${a(0).text}, [${n.shape.join(", ")}]${dims})`, level: ATOM };
    }
    default: {
      // built-ins print as written in .net (`softmax(x, 1)`); internal ops by their op name
      const parts = n.args.map((_, i) => a(i).text);
      const spelled = spell?.(n, parts);
      if (spelled !== undefined) return { text: spelled, level: ATOM };
      parts.push(...attrArgs(getOp(n.op), n.attrs));
      return { text: `${builtinName(n.op, n.shape.length) ?? n.op}(${parts.join(", ")})`, level: ATOM };
    }
  }
}

/** Whether n is the constant v, or v spread over a tensor. */
const isNum = (n: Node, v: number): boolean => (n.op === "const" && n.attrs.value === v) || (n.op === "expand" && isNum(n.args[0]!, v));

/** The operand an operation by a unit leaves unchanged (same shape only), if any. */
function trivialOperand(n: Node): Node | undefined {
  const [x, y] = n.args;
  const keep = (a: Node | undefined) => (a && a.shape.length === n.shape.length && a.shape.every((d, i) => d === n.shape[i]) ? a : undefined);
  if (n.op === "mul") return isNum(x!, 1) ? keep(y) : isNum(y!, 1) ? keep(x) : undefined;
  if (n.op === "div") return isNum(y!, 1) ? keep(x) : undefined;
  if (n.op === "add") return isNum(x!, 0) ? keep(y) : isNum(y!, 0) ? keep(x) : undefined;
  if (n.op === "sub") return isNum(y!, 0) ? keep(x) : undefined;
  if (n.op === "pow") return isNum(y!, 1) ? keep(x) : undefined;
  return undefined;
}


/** The text of `root` as a .net expression. */
export function exprText(root: Node, options: ExprOptions = {}): string {
  const names = options.names ?? new Map<Node, string>();
  const cap = options.maxLength ?? Infinity;
  const printed = new Map<Node, Printed>();
  const folded = new Map<Node, number>();
  // Walk only what the root needs, stopping at named nodes.
  const order: Node[] = [];
  const seen = new Set<Node>();
  const stack: { node: Node; next: number }[] = [{ node: root, next: 0 }];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const args = top.node !== root && names.has(top.node) ? [] : top.node.args;
    if (top.next < args.length) {
      const child = args[top.next++]!;
      if (!seen.has(child)) {
        seen.add(child);
        stack.push({ node: child, next: 0 });
      }
    } else {
      order.push(top.node);
      stack.pop();
    }
  }
  // nodes made of constants only (a uniform value, whatever their shape)
  const uniform = new Set<Node>();
  for (const n of order) {
    if (n.op === "const" || (n.args.length > 0 && n.args.every((a) => uniform.has(a)) && (n.op === "expand" || getOp(n.op).kind === "elementwise"))) uniform.add(n);
  }
  for (const n of order) {
    const name = n !== root ? names.get(n) : undefined;
    if (name !== undefined) {
      printed.set(n, { text: name, level: ATOM });
      continue;
    }
    // constant arithmetic prints as its value: 1/(2*4) as 0.125 (raw chain-rule steps have it)
    if (n.op !== "const" && n.args.length > 0 && n.shape.length === 0 && n.args.every((a) => folded.has(a)) && getOp(n.op).kind === "elementwise") {
      const v = getOp(n.op).eval(
        n.args.map((a) => Float64Array.of(folded.get(a)!)),
        n.args.map(() => []),
        n.attrs,
        [],
      )[0]!;
      folded.set(n, v);
      printed.set(n, numberText(v));
      continue;
    }
    if (n.op === "const") folded.set(n, n.attrs.value!);
    // x*1, 1*x, x/1, x+0, x-0, x^1 print as x (exact; raw chain-rule steps are full of them)
    const unit = trivialOperand(n);
    if (unit !== undefined) {
      printed.set(n, printed.get(unit)!);
      continue;
    }
    const p = printNode(n, (i) => {
      const child = n.args[i]!;
      // an element-wise user broadcasts by itself: print expand(x, shape) as x (and a constant
      // spread along any axes, expand(1/32, [32, 10], dims = [0]), as the constant)
      if (n.args.length === 2 && getOp(n.op).kind === "elementwise" && (implicitExpand(child) || (child.op === "expand" && uniform.has(child))) && !(child !== root && names.has(child)))
        return printed.get(child.args[0]!)!;
      return printed.get(child)!;
    }, options.spell);
    printed.set(n, p.text.length > cap ? { text: "…", level: ATOM } : p);
  }
  return printed.get(root)!.text;
}

export interface DerivativeText {
  /** The expression, with shared subexpressions replaced by the names of `where` lines. */
  expr: string;
  /** `name = expr` lines the expression uses, each defined before it is used. */
  where: { name: string; expr: string }[];
}

/** Several derivatives printed together: one expression each, over one shared list of `where` lines. */
export interface DerivativesText {
  exprs: string[];
  where: { name: string; expr: string }[];
}

/**
 * Readable expressions for `roots`: nodes used more than once (by any of them) and large named
 * bindings become `where` lines, each defined once, named after the user's binding when there is
 * one, else t1, t2, … `names` are readable names of nodes (bindings, adjoints); `taken` are names
 * not to invent. Every expression and `where` line is .net syntax.
 */
export function derivativesText(roots: readonly Node[], names: ReadonlyMap<Node, string>, taken: ReadonlySet<string>, bigNamed = 80, spell?: ExprOptions["spell"]): DerivativesText {
  const order = topoOrder(roots);
  const rootSet = new Set(roots);
  const uses = new Map<Node, number>();
  for (const n of order) for (const a of n.args) uses.set(a, (uses.get(a) ?? 0) + 1);
  const assigned = new Set<string>();
  const whereNames = new Map<Node, string>();
  let t = 0;
  const fresh = (): string => {
    let name: string;
    do name = `t${++t}`;
    while (taken.has(name) || assigned.has(name));
    return name;
  };
  const isShareable = (n: Node) => n.args.length > 0 && !(n.op === "expand" && n.args[0]!.args.length === 0) && !rootSet.has(n);
  // Tensor models read best in their bindings' names, as a person writes backprop by hand;
  // scalar ones inline what is used once.
  const tensors = order.some((n) => n.shape.length > 0);
  for (const n of order) {
    if (!isShareable(n)) continue;
    const shared = (uses.get(n) ?? 0) > 1;
    const named = names.get(n);
    const big = named !== undefined && !shared && (tensors || exprText(n, { names: whereNames, maxLength: bigNamed }).includes("…"));
    if (!shared && !big) continue;
    // the user's binding name when the node is one (or an adjoint's dL_dh name), else t1, t2, …
    const name = named !== undefined && /^[\p{L}_][\p{L}\p{M}0-9_]*$/u.test(named) && !assigned.has(named) ? named : fresh();
    assigned.add(name);
    whereNames.set(n, name);
  }
  // a zero (or other constant) broadcast to the result's shape prints as the constant
  const exprs = roots.map((root) => (root.op === "expand" && root.args[0]!.op === "const" ? exprText(root.args[0]!) : exprText(root, { names: whereNames, spell })));
  const where = order.filter((n) => whereNames.has(n)).map((n) => ({ name: whereNames.get(n)!, expr: exprText(n, { names: whereNames, spell }) }));
  return { exprs, where };
}

/** One derivative's expression and the `where` lines it uses (see derivativesText). */
export function derivativeText(root: Node, names: ReadonlyMap<Node, string>, taken: ReadonlySet<string>, bigNamed = 80, spell?: ExprOptions["spell"]): DerivativeText {
  const t = derivativesText([root], names, taken, bigNamed, spell);
  return { expr: t.exprs[0]!, where: t.where };
}
