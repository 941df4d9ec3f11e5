// Where the comments of a .net file are, and who prints each one. The parser drops comments, so
// they are found here by a scan of the text: the language has no strings, so every `#` starts a
// comment that runs to the end of its line. A comment inside an expression is left to prettier's
// comment attachment (it ends up before or after a neighbouring node of that expression); every
// other comment is a "line comment" that the block layout (layout.ts) places itself: after a
// statement on its line, on a line of its own, or hoisted above the statement it sat inside.
import type { Expr, Program, Stmt } from "../parse/ast.ts";
import { type ExprNode, exprChildren } from "./print-expr.ts";

export interface Comment {
  kind: "comment";
  /** The comment's text from `#`, trailing blanks removed. */
  value: string;
  span: { start: number; end: number };
  /** Set by prettier (expression comments) or by layout.ts (line comments) once printed. */
  printed?: boolean;
  /** A line comment that goes after the statement it sits in (see `placeExpressionComment`). */
  after?: boolean;
}

/** Every comment of `source`, in order. */
export function scanComments(source: string): Comment[] {
  const comments: Comment[] = [];
  const re = /#[^\n\r]*/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    const value = m[0].trimEnd();
    comments.push({ kind: "comment", value, span: { start: m.index, end: m.index + value.length } });
  }
  return comments;
}

/** The expressions of a statement that are printed with prettier's docs (and get its comments). */
export function expressionRoots(stmt: Stmt): Expr[] {
  switch (stmt.kind) {
    case "bind":
      return [stmt.expr];
    case "def":
      return [stmt.body];
    case "param":
      return stmt.init.kind === "name" && stmt.init.name === "" ? [] : [stmt.init];
    case "data":
      return stmt.default ? [stmt.default] : [];
    case "train":
      return stmt.entries.map((e) => e.value);
    case "model":
    case "dim":
    case "grad":
      return [];
  }
}

const inside = (c: Comment, span: { start: number; end: number }) => span.start < c.span.start && c.span.start < span.end;

/** Splits the comments into those inside an expression (for prettier) and the line comments. */
export function splitComments(program: Program, comments: Comment[]): { expression: Comment[]; line: Comment[] } {
  const roots = program.statements.flatMap(expressionRoots);
  const expression: Comment[] = [];
  const line: Comment[] = [];
  let r = 0;
  for (const c of comments) {
    while (r < roots.length && roots[r]!.span.end <= c.span.start) r++;
    const root = roots[r];
    if (root && inside(c, root.span)) expression.push(c);
    else line.push(c);
  }
  return { expression, line };
}

/** What prettier's attachment tells a handler about a comment. */
interface Attaching extends Comment {
  placement: "ownLine" | "endOfLine" | "remaining";
  precedingNode?: ExprNode;
  followingNode?: ExprNode;
  enclosingNode?: ExprNode;
}

/** The parent of every expression node, and which of its children print first and last. */
export class ExprTree {
  private readonly parents = new WeakMap<ExprNode, ExprNode>();
  constructor(roots: Expr[]) {
    const visit = (node: ExprNode) => {
      for (const child of exprChildren(node)) {
        this.parents.set(child, node);
        visit(child);
      }
    };
    roots.forEach(visit);
  }
  /**
   * The outermost node that prints starting (side "first") or ending ("last") exactly where `node`
   * does: `a` in `a * b` prints first in the product. A comment before or after a node goes to the
   * outermost such node, so where it lands does not depend on parentheses the printer drops.
   */
  outermost(node: ExprNode, side: "first" | "last"): ExprNode {
    for (let parent = this.parents.get(node); parent !== undefined; parent = this.parents.get(node)) {
      const edge = side === "first" ? printsFirst(parent) : printsLast(parent);
      if (edge !== node) break;
      node = parent;
    }
    return node;
  }
  /**
   * Where a comment next to `node` is printed: before the outermost node starting there, or after
   * the outermost node ending there. `x^2` is never broken, so a comment inside it goes after it.
   */
  place(node: ExprNode, where: "leading" | "trailing"): { node: ExprNode; where: "leading" | "trailing" } {
    let target = this.outermost(node, where === "leading" ? "first" : "last");
    for (let parent = this.parents.get(target); isPow(parent); parent = this.parents.get(target)) {
      if (where === "leading" && parent.left === target) break;
      target = this.outermost(parent, "last");
      where = "trailing";
    }
    return { node: target, where };
  }
  isRoot(node: ExprNode): boolean {
    return !this.parents.has(node);
  }
}

const isPow = (node: ExprNode | undefined): node is Extract<Expr, { kind: "binary" }> => node?.kind === "binary" && node.op === "^";

function printsFirst(node: ExprNode): ExprNode | undefined {
  if (node.kind === "index") return node.target; // `x[1]` starts with x
  return node.kind === "binary" ? node.left : undefined; // `-x`, `f(x)`, `k = x` start with a token of their own
}

function printsLast(node: ExprNode): ExprNode | undefined {
  if (node.kind === "binary") return node.right;
  if (node.kind === "unary") return node.arg;
  if (node.kind === "kwarg") return node.value;
  return undefined; // a call ends with `)`
}

/**
 * prettier's `handleComments` for a comment inside an expression: it goes before the outermost node
 * that starts where the node after it starts, or after the outermost node that ends where the node
 * before it ends. When that is the whole expression, it becomes a line comment of the statement
 * (above it, or after it), which is where it will be found when the output is formatted again.
 */
export function placeExpressionComment(tree: ExprTree, root: { lineComments: Comment[] }) {
  return (comment: Attaching): boolean => {
    const { precedingNode: before, followingNode: next, enclosingNode: around } = comment;
    const trailing = before !== undefined && (comment.placement !== "ownLine" || next === undefined);
    const anchor = trailing ? before : (next ?? around);
    if (anchor === undefined) return false;
    const { node, where } = tree.place(anchor, trailing || next === undefined ? "trailing" : "leading");
    if (tree.isRoot(node)) {
      comment.after = where === "trailing";
      root.lineComments.push(comment);
      root.lineComments.sort((a, b) => a.span.start - b.span.start);
      return true;
    }
    addComment(node, comment, where);
    return true;
  };
}

/** What prettier's own `addLeadingComment`/`addTrailingComment` do (they are not exported). */
function addComment(node: ExprNode, comment: Comment, where: "leading" | "trailing"): void {
  const c = comment as Comment & { leading: boolean; trailing: boolean; printed: boolean; nodeDescription?: string };
  c.leading = where === "leading";
  c.trailing = where === "trailing";
  c.printed = false;
  const holder = node as ExprNode & { comments?: Comment[] };
  (holder.comments ??= []).push(comment);
}
