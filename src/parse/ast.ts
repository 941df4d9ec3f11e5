// The AST of a .net file as parsed: statements and expressions, each with its source span.
// Produced by src/parse, consumed by src/check. Nothing here is checked yet.
import type { Span } from "../diagnostics.ts";

export type BinaryOp = "+" | "-" | "*" | "/" | "^" | "@";

export type Expr =
  | { kind: "num"; value: number; text: string; span: Span }
  | { kind: "name"; name: string; span: Span }
  | { kind: "unary"; op: "-"; arg: Expr; span: Span }
  | { kind: "binary"; op: BinaryOp; left: Expr; right: Expr; opSpan: Span; span: Span }
  | { kind: "call"; callee: string; calleeSpan: Span; args: Expr[]; kwargs: KwArg[]; span: Span }
  /** `[B, 784]`: a list of expressions, as the shape argument of reshape. */
  | { kind: "list"; items: Expr[]; span: Span }
  /** `x[:, 0:2]`, `x[1]`: constant slicing and indexing, one item per leading axis. */
  | { kind: "index"; target: Expr; items: IndexItem[]; span: Span };

/** One axis of `x[...]`: an integer index (drops the axis) or a range `a:b` (either end optional). */
export type IndexItem = { kind: "at"; index: Expr; span: Span } | { kind: "range"; start: Expr | null; end: Expr | null; span: Span };

export interface KwArg {
  name: string;
  value: Expr;
  span: Span;
}

/** One dimension of a declared shape: an integer literal or a `dim` name. */
export type ShapeDim = { kind: "int"; value: number; span: Span } | { kind: "dim"; name: string; span: Span };

export interface Ident {
  name: string;
  span: Span;
}

export type Stmt =
  | { kind: "model"; name: Ident; span: Span }
  | { kind: "dim"; name: Ident; value: number; valueSpan: Span; span: Span }
  | {
      kind: "data";
      role: "input" | "target";
      name: Ident;
      shape: ShapeDim[] | null; // null: a scalar
      default: Expr | null; // a number (possibly negated)
      span: Span;
    }
  | { kind: "param"; name: Ident; shape: ShapeDim[] | null; init: Expr; span: Span }
  | { kind: "bind"; role: "plain" | "output" | "loss"; name: Ident; expr: Expr; span: Span }
  | { kind: "def"; name: Ident; params: Ident[]; body: Expr; span: Span }
  | { kind: "grad"; of: Ident; wrt: Ident[]; span: Span }
  | { kind: "train"; entries: TrainEntry[]; span: Span };

export interface TrainEntry {
  key: Ident;
  value: Expr; // numbers, names (true/false/constant), calls (sgd(lr = 0.1))
  span: Span;
}

export interface Program {
  file: string;
  source: string;
  statements: Stmt[];
}
