// Prints one expression as a prettier doc: canonical spacing (`a + b`, `x^2`, `f(a, k = 1)`),
// only the parentheses the grammar needs (the AST keeps none), and long expressions broken after
// their operators and between call arguments (prettier's group/indent/line). A new expression
// kind needs a case in `printExpr`, a precedence in `LEVEL` and its children in `exprChildren`.
import type { AstPath, Doc } from "prettier";
import { builders } from "prettier/doc";
import type { BinaryOp, Expr, KwArg } from "../parse/ast.ts";
import { ADD, ATOM, MUL, NEG, POW } from "../ops/notation.ts";
import { STATEMENT_KEYWORDS } from "../parse/segment.ts";

const { group, indent, join, line, softline } = builders;

/** A node prettier walks: an expression, or a keyword argument of a call. */
export type ExprNode = Expr | KwArgNode;
export type KwArgNode = KwArg & { kind: "kwarg" };

/** Binding strength, loosest first: the levels of the one notation table (src/ops/notation.ts). */
const LEVEL = { add: ADD, mul: MUL, unary: NEG, pow: POW, atom: ATOM } as const;
const OP_LEVEL: Record<BinaryOp, number> = { "+": LEVEL.add, "-": LEVEL.add, "*": LEVEL.mul, "/": LEVEL.mul, "@": LEVEL.mul, "^": LEVEL.pow };

function level(e: Expr): number {
  switch (e.kind) {
    case "binary":
      return OP_LEVEL[e.op];
    case "unary":
      return LEVEL.unary;
    default:
      return LEVEL.atom;
  }
}

/** The arguments of a call in source order (positional and keyword ones may interleave). */
export function callItems(e: Extract<Expr, { kind: "call" }>): ExprNode[] {
  const kw = e.kwargs.map((k) => Object.assign(k, { kind: "kwarg" as const }));
  return [...e.args, ...kw].sort((a, b) => a.span.start - b.span.start);
}

/** The child nodes of a node, for prettier's comment attachment. */
export function exprChildren(node: ExprNode): ExprNode[] {
  switch (node.kind) {
    case "unary":
      return [node.arg];
    case "binary":
      return [node.left, node.right];
    case "call":
      return callItems(node);
    case "kwarg":
      return [node.value];
    case "list":
      return node.items;
    case "index":
      return [node.target, ...node.items.flatMap((i) => (i.kind === "at" ? [i.index] : [i.start, i.end].filter((x): x is Expr => x !== null)))];
    default:
      return [];
  }
}

/** Whether prettier attached comments to the node (then it is printed through `print`, which prints them). */
const hasComments = (node: object) => ((node as { comments?: unknown[] }).comments?.length ?? 0) > 0;

type AnyPrint = (path: AstPath) => Doc;
/** `print` at a child path (prettier's `path.call`, without its over-narrow typing of property names). */
export function printAt(path: AstPath, print: AnyPrint, ...names: (string | number)[]): Doc {
  return (path as unknown as { call(cb: AnyPrint, ...names: (string | number)[]): Doc }).call(print, ...names);
}

const parens = (doc: Doc, needed: boolean): Doc => (needed ? ["(", doc, ")"] : doc);

/**
 * The operands of a left-leaning chain of operators of one level (`a - b + c`), flattened so the
 * whole chain breaks at once. `^` is never broken: it stays tight (`x^2`).
 */
function printChain(path: AstPath<Expr>, print: (p: AstPath<Expr>) => Doc): Doc {
  const node = path.node as Extract<Expr, { kind: "binary" }>;
  const lvl = OP_LEVEL[node.op];
  const left = node.left;
  const head: Doc[] =
    left.kind === "binary" && OP_LEVEL[left.op] === lvl && lvl !== LEVEL.pow && !hasComments(left)
      ? (path.call((p) => printChain(p, print), "left") as Doc[])
      : [parens(path.call(print, "left"), level(left) < lvl)];
  // Left-associative: an operand of the same level on the right keeps its parentheses.
  const right = parens(path.call(print, "right"), level(node.right) <= lvl);
  return [...head, [" ", node.op, line, right]];
}

export function printExpr(path: AstPath<ExprNode>, print: (p: AstPath<ExprNode>) => Doc): Doc {
  const node = path.node;
  switch (node.kind) {
    case "num":
      return node.text;
    case "name":
      return node.name;
    case "unary":
      // `-x^2` is `-(x^2)`; an operand looser than unary minus needs parentheses.
      return ["-", parens(path.call(print, "arg"), level(node.arg) < LEVEL.unary)];
    case "binary": {
      if (node.op === "^") {
        // The base is a primary; the exponent may be negated (`2^-x`) and is right-associative.
        const base = parens(path.call(print, "left"), level(node.left) < LEVEL.atom);
        const exponent = parens(path.call(print, "right"), level(node.right) < LEVEL.unary);
        return [base, "^", exponent];
      }
      const [first, ...rest] = printChain(path as AstPath<Expr>, print as (p: AstPath<Expr>) => Doc) as Doc[];
      return group([first!, indent(rest)]);
    }
    case "call":
      return printCall(path as AstPath<Extract<Expr, { kind: "call" }>>, print);
    case "kwarg":
      return [node.name, " = ", printAt(path, print as AnyPrint, "value")];
    case "list": {
      // a shape list, `[B, 1, 28, 28]`
      const docs = node.items.map((_, i) => printAt(path, print as AnyPrint, "items", i));
      return group(["[", indent([softline, join([",", line], docs)]), softline, "]"]);
    }
    case "index": {
      // x[:, 0:2]: the target binds tighter than anything but an atom
      const target = parens(printAt(path, print as AnyPrint, "target"), level(node.target) < LEVEL.atom);
      const items = node.items.map((item, i) =>
        item.kind === "at"
          ? printAt(path, print as AnyPrint, "items", i, "index")
          : [item.start ? printAt(path, print as AnyPrint, "items", i, "start") : "", ":", item.end ? printAt(path, print as AnyPrint, "items", i, "end") : ""],
      );
      // one item per line when they do not fit or a comment ends a line inside (as a call's arguments)
      return group([target, "[", indent([softline, join([",", line], items)]), softline, "]"]);
    }
  }
}

/**
 * `f(a, b, k = 1)`, or one argument per line when it does not fit. A keyword argument named like
 * a statement keyword (`sum(x, dim = 1)`) never starts a line: the parser would read a statement.
 */
function printCall(path: AstPath<Extract<Expr, { kind: "call" }>>, print: (p: AstPath<ExprNode>) => Doc): Doc {
  const node = path.node;
  const items = callItems(node);
  if (items.length === 0) return [node.callee, "()"];
  const docs = items.map((item) =>
    item.kind === "kwarg"
      ? printAt(path, print as AnyPrint, "kwargs", node.kwargs.indexOf(item))
      : printAt(path, print as AnyPrint, "args", node.args.indexOf(item)),
  );
  const mayStartLine = (item: ExprNode) => !(item.kind === "kwarg" && STATEMENT_KEYWORDS.includes(item.name));
  const body: Doc[] = [mayStartLine(items[0]!) ? softline : "", docs[0]!];
  for (let i = 1; i < items.length; i++) body.push(",", mayStartLine(items[i]!) ? line : " ", docs[i]!);
  return group([node.callee, "(", indent(body), softline, ")"]);
}
