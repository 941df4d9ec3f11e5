// The prettier plugin for .net files: language `netc`, parser `netc`, printer `netc`. `netc fmt`
// runs it through prettier's standalone core (src/fmt/index.ts); a project's own prettier picks
// it up from its config (`plugins: ["netc/prettier-plugin"]`). The parse is netc's own
// (src/parse), so the formatter reads exactly what the compiler reads. The AST keeps no comments,
// so comments.ts finds them in the text: those inside an expression go through prettier's comment
// attachment (`comments`, `canAttachComment`, `getCommentChildNodes`, `printComment`), the others
// are laid out with the statements by layout.ts, which aligns them in columns.
import type { AstPath, Doc, Parser, ParserOptions, Plugin, Printer, SupportLanguage } from "prettier";
import { builders, printer as docPrinter } from "prettier/doc";
import type { Program, Stmt } from "../parse/ast.ts";
import { parse } from "../parse/index.ts";
import { type Comment, ExprTree, expressionRoots, placeExpressionComment, scanComments, splitComments } from "./comments.ts";
import { type BlockItem, layoutBlock } from "./layout.ts";
import { type ExprNode, exprChildren, printAt, printExpr } from "./print-expr.ts";
import { statementHeads } from "./statements.ts";
import { stringWidth } from "./width.ts";

const { breakParent, hardline, join, lineSuffix } = builders;

interface Root {
  kind: "program";
  statements: Stmt[];
  /** Comments inside expressions: prettier attaches and prints these. */
  comments: Comment[];
  /** Every other comment: printed by layout.ts. */
  lineComments: Comment[];
  source: string;
  span: { start: number; end: number };
  tree: ExprTree;
}

type Node = Root | Stmt | ExprNode | Comment;
type Print = (path: AstPath<Node>) => Doc;

/** Every node that is not the file, a statement or a comment is part of an expression. */
const OTHER_KINDS = new Set(["program", "comment", "model", "dim", "data", "param", "bind", "def", "grad", "train"]);
const isExpression = (node: Node): node is ExprNode => !OTHER_KINDS.has(node.kind);

export const languages: SupportLanguage[] = [{ name: "netc", parsers: ["netc"], extensions: [".net"], vscodeLanguageIds: ["netc"] }];

/** The AST without source positions, for comparing two parses. */
export function shapeOfProgram(program: Program): string {
  return JSON.stringify(program.statements, (key, value) => (key === "span" || key.endsWith("Span") ? undefined : value));
}

/** The shape of the last file parsed (read by index.ts to check that formatting kept the meaning). */
export const lastParse: { shape: string | null } = { shape: null };

const netcParser: Parser<Node> = {
  parse(text: string, options: ParserOptions<Node>): Root {
    const program = parse(text, options.filepath ?? "<input>");
    lastParse.shape = shapeOfProgram(program);
    const { expression, line } = splitComments(program, scanComments(text));
    const tree = new ExprTree(program.statements.flatMap(expressionRoots));
    return { kind: "program", statements: program.statements, comments: expression, lineComments: line, source: text, span: { start: 0, end: text.length }, tree };
  },
  astFormat: "netc",
  locStart: (node: Node) => node.span.start,
  locEnd: (node: Node) => node.span.end,
};

export const parsers: Record<string, Parser<Node>> = { netc: netcParser };

/** Statement heads of the file being printed, aligned (statements.ts). */
const heads = new WeakMap<Stmt, string>();

/** A doc rendered alone, as lines (statements sit at column 0, so nothing is lost). */
function render(doc: Doc, options: ParserOptions<Node>, width = options.printWidth): string[] {
  return docPrinter.printDocToString(doc, { ...options, printWidth: width, endOfLine: "lf" } as ParserOptions<Node>).formatted.split("\n");
}

function printProgram(path: AstPath<Node>, options: ParserOptions<Node>, print: Print): Doc {
  const root = path.node as Root;
  const dimText = (s: Extract<Stmt, { kind: "dim" }>) => root.source.slice(s.valueSpan.start, s.valueSpan.end).replace(/#[^\n]*/g, "").replace(/\s+/g, "");
  for (const [stmt, head] of statementHeads(root.statements, root.source, dimText)) heads.set(stmt, head);
  const docs = path.map(print, "statements");
  const items: BlockItem[] = root.statements.map((s, i) => ({ span: s.span, lines: render(docs[i]!, options) }));
  // Comments inside a train block are laid out by the block itself.
  const trains = root.statements.filter((s) => s.kind === "train");
  const outside = root.lineComments.filter((c) => !trains.some((t) => t.span.start < c.span.start && c.span.start < t.span.end));
  const lines = layoutBlock(items, outside, root.source, "");
  return lines.length === 0 ? "" : [join(hardline, lines), hardline];
}

/** Where the `{` of a train block is (the first one outside a comment). */
function openBrace(source: string, from: number): number {
  const re = /#[^\n]*|\{/g;
  re.lastIndex = from;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) if (m[0] === "{") return m.index;
  return from;
}

/**
 * `train { k = v  k = v }` on one line when it was written on one line, has no comments and fits;
 * otherwise one entry per line, indented by two, with comments laid out like statements.
 */
function printTrain(path: AstPath<Node>, options: ParserOptions<Node>, print: Print): Doc {
  const stmt = path.node as Extract<Stmt, { kind: "train" }>;
  const root = path.root as Root;
  const source = root.source;
  const entries: Doc[] = stmt.entries.map((e, i) => [e.key.name, " = ", printAt(path, print, "entries", i, "value")]);
  const comments = root.lineComments.filter((c) => stmt.span.start < c.span.start && c.span.start < stmt.span.end);
  const flat = entries.map((e) => render(e, options));
  const oneLine = `train { ${flat.map((l) => l[0]).join("  ")} }`;
  const wasOneLine = !/[\n\r]/.test(source.slice(stmt.span.start, stmt.span.end));
  if (wasOneLine && comments.length === 0 && entries.length > 0 && flat.every((l) => l.length === 1 && !l[0]!.includes("#")) && stringWidth(oneLine) <= options.printWidth) {
    return oneLine;
  }
  if (entries.length === 0 && comments.length === 0) return "train {}";
  const brace = openBrace(source, stmt.span.start);
  const items: BlockItem[] = [
    { span: { start: stmt.span.start, end: brace + 1 }, lines: ["train {"], noBlankAfter: true },
    ...stmt.entries.map((e, i) => ({ span: e.span, lines: render(entries[i]!, options, options.printWidth - 2).map((l) => (l ? `  ${l}` : l)) })),
    { span: { start: stmt.span.end - 1, end: stmt.span.end }, lines: ["}"], noBlankBefore: true },
  ];
  return join(hardline, layoutBlock(items, comments, source, "  "));
}

function printStatement(path: AstPath<Node>, print: Print): Doc {
  const stmt = path.node as Stmt;
  const head = heads.get(stmt) ?? "";
  const roots = expressionRoots(stmt);
  if (roots.length === 0) return head;
  const key = stmt.kind === "bind" ? "expr" : stmt.kind === "def" ? "body" : stmt.kind === "param" ? "init" : "default";
  return [head, printAt(path, print, key)];
}

/** Comments prettier found inside a node with no children around them (`(a # …\n)`): after it. */
function withDangling(node: ExprNode, doc: Doc): Doc {
  const dangling = ((node as { comments?: (Comment & { leading?: boolean; trailing?: boolean })[] }).comments ?? []).filter((c) => !c.leading && !c.trailing);
  if (dangling.length === 0) return doc;
  for (const c of dangling) c.printed = true;
  return [doc, ...dangling.map((c) => [lineSuffix(` ${c.value}`), breakParent])];
}

const handle = (comment: unknown, ast: unknown) => placeExpressionComment((ast as Root).tree, ast as Root)(comment as Parameters<ReturnType<typeof placeExpressionComment>>[0]);

const netcPrinter: Printer<Node> = {
  print(path, options, print) {
    const node = path.node;
    if (node.kind === "program") return printProgram(path, options as ParserOptions<Node>, print);
    if (node.kind === "train") return printTrain(path, options as ParserOptions<Node>, print);
    if (isExpression(node)) return withDangling(node, printExpr(path as AstPath<ExprNode>, print as (p: AstPath<ExprNode>) => Doc));
    if (node.kind === "comment") return node.value;
    return printStatement(path, print);
  },
  printComment: (path) => (path.node as Comment).value,
  isBlockComment: () => false,
  handleComments: {
    ownLine: (comment, _text, _options, ast) => handle(comment, ast),
    endOfLine: (comment, _text, _options, ast) => handle(comment, ast),
    remaining: (comment, _text, _options, ast) => handle(comment, ast),
  },
  canAttachComment: (node) => isExpression(node),
  getCommentChildNodes(node) {
    if (node.kind === "program") return node.statements;
    if (isExpression(node)) return exprChildren(node);
    if (node.kind === "comment") return [];
    return expressionRoots(node);
  },
};

export const printers: Record<string, Printer<Node>> = { netc: netcPrinter };

const plugin: Plugin<Node> = { languages, parsers, printers };
export default plugin;
