// The WebAssembly text format read as S-expressions: atoms (keywords, $names, numbers, strings)
// and parenthesized lists, each with its line and column, comments (`;; …` and nested `(; … ;)`)
// skipped. The structure of a module (fields, instructions) is read from this tree by encode.ts.

export interface Pos {
  line: number;
  col: number;
}

export type SAtom = Pos & { kind: "atom"; text: string };
/** A string literal's bytes (the format's strings are byte strings, UTF-8 for names). */
export type SString = Pos & { kind: "string"; bytes: Uint8Array };
export type SList = Pos & { kind: "list"; items: SExpr[] };
export type SExpr = SAtom | SString | SList;

/** An error in the text (syntax, an unknown instruction or name), at a position. */
export class WatError extends Error {
  constructor(
    readonly detail: string,
    readonly pos: Pos,
  ) {
    super(detail);
  }
}

/** Characters that make up an atom (the format's idchar), by character code. */
const ATOM = new Uint8Array(128);
for (const c of "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz!#$%&'*+-./:<=>?@\\^_`|~") ATOM[c.charCodeAt(0)] = 1;

/** The top-level S-expressions of `text`. */
export function readSExprs(text: string): SExpr[] {
  return new Reader(text).all();
}

class Reader {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  all(): SExpr[] {
    const out: SExpr[] = [];
    for (;;) {
      this.skip();
      if (this.i >= this.text.length) return out;
      if (this.text[this.i] === ")") throw new WatError("unexpected ')'", this.pos());
      out.push(this.expr());
    }
  }

  private pos(): Pos {
    return { line: this.line, col: this.i - this.lineStart + 1 };
  }

  private advance(): string {
    const c = this.text[this.i++]!;
    if (c === "\n") {
      this.line++;
      this.lineStart = this.i;
    }
    return c;
  }

  /** Skips white space and comments. */
  private skip(): void {
    const t = this.text;
    while (this.i < t.length) {
      const c = t.charCodeAt(this.i);
      if (c === 10) {
        this.line++;
        this.lineStart = ++this.i;
      } else if (c === 32 || c === 9 || c === 13) this.i++;
      else if (c === 59 /* ; */ && t.charCodeAt(this.i + 1) === 59) {
        const end = t.indexOf("\n", this.i);
        this.i = end < 0 ? t.length : end;
      } else if (c === 40 /* ( */ && t.charCodeAt(this.i + 1) === 59) this.blockComment();
      else return;
    }
  }

  private blockComment(): void {
    const start = this.pos();
    let depth = 0;
    while (this.i < this.text.length) {
      if (this.text.startsWith("(;", this.i)) {
        depth++;
        this.i += 2;
      } else if (this.text.startsWith(";)", this.i)) {
        depth--;
        this.i += 2;
        if (depth === 0) return;
      } else this.advance();
    }
    throw new WatError("unterminated block comment", start);
  }

  private expr(): SExpr {
    const line = this.line;
    const col = this.i - this.lineStart + 1;
    const c = this.text.charCodeAt(this.i);
    if (c === 40 /* ( */) {
      const pos = { line, col };
      this.advance();
      const items: SExpr[] = [];
      for (;;) {
        this.skip();
        if (this.i >= this.text.length) throw new WatError("unclosed '('", pos);
        if (this.text[this.i] === ")") {
          this.advance();
          return { kind: "list", items, line, col };
        }
        items.push(this.expr());
      }
    }
    if (c === 34 /* " */) return { kind: "string", bytes: this.string(), line, col };
    const start = this.i;
    while (ATOM[this.text.charCodeAt(this.i)] === 1) this.i++;
    if (this.i === start) throw new WatError(`unexpected character '${this.text[this.i]}'`, { line, col });
    return { kind: "atom", text: this.text.slice(start, this.i), line, col };
  }

  /** A string literal's bytes: escapes \t \n \r \" \' \\ \hh \u{h…}, other characters as UTF-8. */
  private string(): Uint8Array {
    const start = this.pos();
    this.advance();
    const bytes: number[] = [];
    const utf8 = new TextEncoder();
    for (;;) {
      if (this.i >= this.text.length || this.text[this.i] === "\n") throw new WatError("unterminated string", start);
      const c = this.advance();
      if (c === '"') return Uint8Array.from(bytes);
      if (c !== "\\") {
        const cp = this.text.codePointAt(this.i - 1)!;
        if (cp > 0xffff) this.i++;
        bytes.push(...utf8.encode(String.fromCodePoint(cp)));
        continue;
      }
      const e = this.advance();
      const simple: Record<string, number> = { t: 9, n: 10, r: 13, '"': 34, "'": 39, "\\": 92 };
      if (e in simple) bytes.push(simple[e]!);
      else if (e === "u" && this.text[this.i] === "{") {
        const close = this.text.indexOf("}", this.i);
        const hex = this.text.slice(this.i + 1, close);
        if (close < 0 || !/^[0-9a-fA-F]+$/.test(hex)) throw new WatError("bad \\u{…} escape", this.pos());
        bytes.push(...utf8.encode(String.fromCodePoint(parseInt(hex, 16))));
        this.i = close + 1;
      } else if (/[0-9a-fA-F]/.test(e) && /[0-9a-fA-F]/.test(this.text[this.i] ?? "")) bytes.push(parseInt(e + this.advance(), 16));
      else throw new WatError(`bad escape '\\${e}' in a string`, this.pos());
    }
  }
}
