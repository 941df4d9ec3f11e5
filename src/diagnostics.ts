// Diagnostics: source spans, errors and warnings, and their one fixed format
// `FILE:LINE:COL: error: MESSAGE`, then the source line and a caret under the column.

/** A place in a source file. `line` and `col` are 1-based; `start`/`end` are 0-based offsets. */
export interface Span {
  start: number;
  end: number;
  line: number;
  col: number;
}

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  message: string;
  span: Span;
}

/** Thrown by any stage that finds a problem in the model file; carries every diagnostic found. */
export class NetcError extends Error {
  constructor(
    readonly diagnostics: Diagnostic[],
    readonly file: string,
    readonly source: string,
  ) {
    super(diagnostics.map((d) => formatDiagnostic(d, file, source)).join("\n"));
    this.name = "NetcError";
  }
}

/**
 * What a UsageError is about, when a command-line flag gave it: the command layer adds the flag's
 * wording (`--dim B=0: …`, `… : give data with --data …`), lower layers never name flags.
 */
export type UsageSubject = { kind: "dim"; name: string; value: number } | { kind: "no-data" } | { kind: "workers"; value: number };

/**
 * Bad use of netc that is not a problem inside the model file: a missing file, a malformed value,
 * an override the model does not declare. Exit status 2. Raised at any layer; its message speaks of
 * the model and the data, and the command layer adds the flag wording (src/commands/common.ts).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly subject?: UsageSubject,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

/** A problem in a data, values or params file that has no model-file position: exit status 1. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

/**
 * Line and column (1-based) of a 0-based offset. Line breaks are `\n`, `\r\n` (one break) and a
 * lone `\r`; a byte-order mark at the very start is not counted in line 1's columns.
 */
export function lineCol(source: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = source.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = Math.max(0, Math.min(offset, source.length));
  for (let i = 0; i < end; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: Math.max(1, end - lineStart + 1) };
}

export function spanAt(source: string, start: number, end = start): Span {
  const { line, col } = lineCol(source, start);
  return { start, end, line, col };
}

/** Renders one diagnostic: header line, the source line, and a caret under the column. */
export function formatDiagnostic(d: Diagnostic, file: string, source: string): string {
  const lines = source.split(/\r\n|\r|\n/);
  let text = lines[d.span.line - 1] ?? "";
  if (d.span.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Keep the echoed line printable: control characters, invisible format characters (U+200B,
  // a BOM) and binary garbage become '?', one per UTF-16 unit so the caret stays in its column.
  const shown = text
    .replace(/\t/g, " ")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\ufffd]/gu, (m) => "?".repeat(m.length));
  const caretCol = Math.max(1, Math.min(d.span.col, shown.length + 1));
  return `${file}:${d.span.line}:${d.span.col}: ${d.severity}: ${d.message}\n${shown}\n${" ".repeat(caretCol - 1)}^`;
}

/** Collects diagnostics during a pass; `throwIfErrors` raises a NetcError when any error was added. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = [];
  constructor(
    readonly file: string,
    readonly source: string,
  ) {}
  error(message: string, span: Span): void {
    this.items.push({ severity: "error", message, span });
  }
  warning(message: string, span: Span): void {
    this.items.push({ severity: "warning", message, span });
  }
  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "error");
  }
  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === "warning");
  }
  throwIfErrors(): void {
    const errors = this.errors;
    if (errors.length > 0) throw new NetcError(errors, this.file, this.source);
  }
}
