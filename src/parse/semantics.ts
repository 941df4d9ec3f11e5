// Ohm semantics: turns a successful match of one chunk into AST statements (src/parse/ast.ts),
// with absolute source spans. `base` is the chunk's offset in the whole file.
import type * as ohm from "ohm-js";
import type { Span } from "../diagnostics.ts";
import type { BinaryOp, Expr, Ident, IndexItem, KwArg, ShapeDim, Stmt, TrainEntry } from "./ast.ts";
import type { LineIndex } from "./lines.ts";
import { netGrammar } from "./grammar.ts";

interface Context {
  base: number;
  lines: LineIndex;
}
let ctx: Context = { base: 0, lines: null as unknown as LineIndex };

function spanOf(node: ohm.Node): Span {
  const start = ctx.base + node.source.startIdx;
  return ctx.lines.span(start, ctx.base + node.source.endIdx);
}

function join(a: Span, b: Span): Span {
  return { start: a.start, end: b.end, line: a.line, col: a.col };
}

const optional = <T>(node: ohm.Node, f: (n: ohm.Node) => T): T | null =>
  node.children.length > 0 ? f(node.children[0]!) : null;

/** Folds `first (op rest)*` to the left. */
function foldLeft(first: ohm.Node, ops: ohm.Node, rests: ohm.Node): Expr {
  let left: Expr = first.ast();
  // `children` builds fresh wrappers on every access: read it once.
  const opNodes = ops.children;
  const restNodes = rests.children;
  for (let i = 0; i < opNodes.length; i++) {
    const opNode = opNodes[i]!;
    const right: Expr = restNodes[i]!.ast();
    left = { kind: "binary", op: opNode.sourceString as BinaryOp, left, right, opSpan: spanOf(opNode), span: join(left.span, right.span) };
  }
  return left;
}

let semantics: ohm.Semantics | null = null;

function build(): ohm.Semantics {
  const s = netGrammar().createSemantics();
  s.addOperation("ast", {
    Program(stmts) {
      return stmts.children.map((c) => c.ast()).filter((x: Stmt | null) => x !== null);
    },
    Stmt(inner) {
      return inner.sourceString === ";" ? null : inner.ast();
    },
    ModelStmt(_kw, name): Stmt {
      return { kind: "model", name: name.ast(), span: spanOf(this) };
    },
    DimStmt(_kw, name, _eq, value): Stmt {
      return { kind: "dim", name: name.ast(), value: value.ast(), valueSpan: spanOf(value), span: spanOf(this) };
    },
    DataStmt(role, name, shape, dflt): Stmt {
      return {
        kind: "data",
        role: role.sourceString as "input" | "target",
        name: name.ast(),
        shape: optional(shape, (n) => n.ast()),
        default: optional(dflt, (n) => n.ast()),
        span: spanOf(this),
      };
    },
    ParamStmt(_kw, name, shape, init): Stmt {
      const nameId: Ident = name.ast();
      // A missing initializer is reported by the checker; the AST holds an empty name there.
      const missing: Expr = { kind: "name", name: "", span: ctx.lines.span(ctx.base + this.source.endIdx) };
      return {
        kind: "param",
        name: nameId,
        shape: optional(shape, (n) => n.ast()),
        init: optional(init, (n) => n.ast()) ?? missing,
        span: spanOf(this),
      };
    },
    TypeAnn(_colon, shape) {
      return shape.ast();
    },
    Default(_eq, e) {
      return e.ast();
    },
    DefStmt(_kw, name, _open, params, _close, _eq, body): Stmt {
      return { kind: "def", name: name.ast(), params: params.asIteration().children.map((p) => p.ast()), body: body.ast(), span: spanOf(this) };
    },
    OutputStmt(_kw, name, _eq, e): Stmt {
      return { kind: "bind", role: "output", name: name.ast(), expr: e.ast(), span: spanOf(this) };
    },
    LossStmt(_kw, name, _eq, e): Stmt {
      return { kind: "bind", role: "loss", name: name.ast(), expr: e.ast(), span: spanOf(this) };
    },
    BindStmt(name, _eq, e): Stmt {
      return { kind: "bind", role: "plain", name: name.ast(), expr: e.ast(), span: spanOf(this) };
    },
    GradStmt(_kw, of, _wrt, names): Stmt {
      return { kind: "grad", of: of.ast(), wrt: names.asIteration().children.map((n) => n.ast()), span: spanOf(this) };
    },
    TrainStmt(_kw, _open, entries, _close): Stmt {
      return { kind: "train", entries: entries.children.map((e) => e.ast()), span: spanOf(this) };
    },
    TrainEntry(key, _eq, value, _semi): TrainEntry {
      return { key: key.ast(), value: value.ast(), span: spanOf(this) };
    },
    Shape(_open, dims, _close): ShapeDim[] {
      return dims.asIteration().children.map((d) => d.ast());
    },
    ShapeDim(d): ShapeDim {
      const span = spanOf(d);
      return d.ctorName === "int" ? { kind: "int", value: Number(d.sourceString), span } : { kind: "dim", name: d.sourceString, span };
    },
    SignedNumber_neg(_minus, n) {
      return -Number(n.sourceString);
    },
    SignedNumber(n) {
      return n.ctorName === "number" ? Number(n.sourceString) : n.ast();
    },
    Exp(first, ops, rests) {
      return foldLeft(first, ops, rests);
    },
    MulExp(first, ops, rests) {
      return foldLeft(first, ops, rests);
    },
    UnaryExp_neg(_minus, arg): Expr {
      return { kind: "unary", op: "-", arg: arg.ast(), span: spanOf(this) };
    },
    PostfixExp(primary, indexes): Expr {
      let e: Expr = primary.ast();
      for (const ix of indexes.children) {
        const items: IndexItem[] = ix.children[1]!.asIteration().children.map((c) => c.ast());
        e = { kind: "index", target: e, items, span: join(e.span, spanOf(ix)) };
      }
      return e;
    },
    IndexItem_range(start, _colon, end): IndexItem {
      return { kind: "range", start: optional(start, (n) => n.ast()), end: optional(end, (n) => n.ast()), span: spanOf(this) };
    },
    IndexItem_at(e): IndexItem {
      return { kind: "at", index: e.ast(), span: spanOf(this) };
    },
    PowExp(base, carets, exps): Expr {
      const left: Expr = base.ast();
      if (carets.children.length === 0) return left;
      const right: Expr = exps.children[0]!.ast();
      return { kind: "binary", op: "^", left, right, opSpan: spanOf(carets.children[0]!), span: spanOf(this) };
    },
    NameOrCall(name, callArgs): Expr {
      if (callArgs.children.length === 0) return { kind: "name", name: name.sourceString, span: spanOf(name) };
      const positional: Expr[] = [];
      const kwargs: KwArg[] = [];
      const argsOpt = callArgs.children[0]!.children[1]!;
      const args: ohm.Node[] = argsOpt.children.length > 0 ? argsOpt.children[0]!.args() : [];
      for (const a of args) {
        const inner = a.children[0]!;
        if (inner.ctorName === "KwArg") kwargs.push(inner.ast());
        else positional.push(inner.ast());
      }
      return { kind: "call", callee: name.sourceString, calleeSpan: spanOf(name), args: positional, kwargs, span: spanOf(this) };
    },
    Paren(_open, e, _close): Expr {
      // Parentheses only group; the span of the inner expression widens to include them so that
      // messages quote `(a + b)` as written.
      const inner: Expr = e.ast();
      return { ...inner, span: spanOf(this) };
    },
    List(_open, items, _close): Expr {
      return { kind: "list", items: items.asIteration().children.map((c) => c.ast()), span: spanOf(this) };
    },
    GradCall(kw, _open, f, _comma, x, _close): Expr {
      return { kind: "call", callee: "grad", calleeSpan: spanOf(kw), args: [f.ast(), x.ast()], kwargs: [], span: spanOf(this) };
    },
    KwArg(name, _eq, value): KwArg {
      return { name: name.sourceString, value: value.ast(), span: spanOf(this) };
    },
    ident(_start, _rest): Ident {
      return { name: this.sourceString, span: spanOf(this) };
    },
    number(_n): Expr {
      return { kind: "num", value: Number(this.sourceString), text: this.sourceString, span: spanOf(this) };
    },
    _iter(...children) {
      return children.map((c) => c.ast());
    },
  });
  s.addOperation("args", {
    Args(first, _commas, rest) {
      return [first, ...rest.children];
    },
  });
  return s;
}

/** The statements of one successfully matched chunk. */
export function toAst(match: ohm.MatchResult, base: number, lines: LineIndex): Stmt[] {
  semantics ??= build();
  ctx = { base, lines };
  return semantics(match).ast();
}
