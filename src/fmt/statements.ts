// The part of each statement before its expression ("head"), with the columns aligned across a
// run of like statements, as in examples/*.net:
//   input  x: [B, 784]              param W1: [784, 15] = xavier       f2 = 5 * x^3 - x + 1
//   target y: [B, 10]               param b1: [15]      = zeros        f  = 4 * f1^2
// A run is a stretch of consecutive statements of one class with no blank line between them
// (comment lines do not break it). Heads hold no comments: those are placed by layout.ts.
import type { ShapeDim, Stmt } from "../parse/ast.ts";
import { stringWidth } from "./width.ts";

/** Statements whose heads line up: declarations, `dim`s, plain bindings. */
type AlignClass = "decl" | "dim" | "bind";

function alignClass(s: Stmt): AlignClass | null {
  if (s.kind === "data" || s.kind === "param") return "decl";
  if (s.kind === "dim") return "dim";
  if (s.kind === "bind" && s.role === "plain") return "bind";
  return null;
}

export const shapeText = (shape: ShapeDim[]) => `[${shape.map((d) => (d.kind === "int" ? String(d.value) : d.name)).join(", ")}]`;

const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - stringWidth(text)));

/** A declaration's columns: keyword, name (with `:` when a shape follows), shape, and whether `=` follows. */
function declFields(s: Extract<Stmt, { kind: "data" | "param" }>): { keyword: string; name: string; shape: string; hasValue: boolean } {
  const keyword = s.kind === "data" ? s.role : "param";
  const value = s.kind === "data" ? s.default : s.init.kind === "name" && s.init.name === "" ? null : s.init;
  return { keyword, name: s.name.name + (s.shape ? ":" : ""), shape: s.shape ? shapeText(s.shape) : "", hasValue: value !== null };
}

/** The head of one statement given the widths of its run's columns (all 0: no alignment). */
function head(s: Stmt, widths: number[], dimText: (s: Extract<Stmt, { kind: "dim" }>) => string): string {
  switch (s.kind) {
    case "model":
      return `model ${s.name.name}`;
    case "dim":
      return `dim ${pad(s.name.name, widths[0] ?? 0)} = ${dimText(s)}`;
    case "data":
    case "param": {
      const f = declFields(s);
      const cols = [pad(f.keyword, widths[0] ?? 0), pad(f.name, widths[1] ?? 0)];
      if ((widths[2] ?? 0) > 0 || f.shape) cols.push(pad(f.shape, widths[2] ?? 0));
      return f.hasValue ? `${cols.join(" ")} = ` : cols.join(" ").trimEnd();
    }
    case "bind": {
      const keyword = s.role === "plain" ? "" : `${s.role} `;
      return `${keyword}${pad(s.name.name, widths[0] ?? 0)} = `;
    }
    case "def":
      return `def ${s.name.name}(${s.params.map((p) => p.name).join(", ")}) = `;
    case "grad":
      return `grad ${s.of.name} wrt ${s.wrt.map((w) => w.name).join(", ")}`;
    case "train":
      return "train {";
  }
}

function widthsOf(cls: AlignClass, run: Stmt[]): number[] {
  const max = (xs: string[]) => Math.max(0, ...xs.map(stringWidth));
  if (cls === "decl") {
    const fields = run.map((s) => declFields(s as Extract<Stmt, { kind: "data" | "param" }>));
    // The shape column is padded only when some line of the run goes on to `= value`.
    const anyValue = fields.some((f) => f.hasValue);
    return [max(fields.map((f) => f.keyword)), max(fields.map((f) => f.name)), anyValue ? max(fields.map((f) => f.shape)) : 0];
  }
  return [max(run.map((s) => (s as { name: { name: string } }).name.name))];
}

/** The head of every statement, aligned within runs. */
export function statementHeads(statements: Stmt[], source: string, dimText: (s: Extract<Stmt, { kind: "dim" }>) => string): Map<Stmt, string> {
  const heads = new Map<Stmt, string>();
  for (let i = 0; i < statements.length; ) {
    const cls = alignClass(statements[i]!);
    let j = i + 1;
    while (
      cls !== null &&
      j < statements.length &&
      alignClass(statements[j]!) === cls &&
      !/\n[ \t]*\n/.test(source.slice(statements[j - 1]!.span.end, statements[j]!.span.start))
    ) {
      j++;
    }
    const run = statements.slice(i, j);
    const widths = cls === null ? [] : widthsOf(cls, run);
    for (const s of run) heads.set(s, head(s, widths, dimText));
    i = j;
  }
  return heads;
}
