// A line buffer with indentation for emitting source text. Prettier has the last word on layout;
// this only keeps the unformatted text readable too (`--emit ts` with formatting off, debugging).
// A buffer emits one language: TypeScript, or the same module as JavaScript (every type
// annotation, type declaration and non-null assertion left out), so generated modules load in
// plain Node without a TypeScript toolchain.
import { lineComment } from "./literals.ts";

export type Lang = "ts" | "js";

/** `a[i]!` in TypeScript, `a[i]` in JavaScript: see Code.at. */
export function elementAt(lang: Lang, array: string, index: string | number): string {
  return `${array}[${index}]${lang === "ts" ? "!" : ""}`;
}

export class Code {
  private readonly lines: string[] = [];
  private depth = 0;

  constructor(readonly lang: Lang = "ts") {}

  /** `text` in TypeScript, `js` (default nothing) in JavaScript: for type-only syntax. */
  ts(text: string, js = ""): string {
    return this.lang === "ts" ? text : js;
  }

  /**
   * An element of an array read as an operand, or the target of `+=`: `a[i]!` in TypeScript, where
   * `noUncheckedIndexedAccess` types `a[i]` as possibly undefined (every index netc emits is in
   * bounds), `a[i]` in JavaScript. A plain store `a[i] = v` needs no assertion.
   */
  at(array: string, index: string | number): string {
    return elementAt(this.lang, array, index);
  }

  /** `head(a: A, b: B): R {` and one level deeper; the types only in TypeScript. */
  openFunction(head: string, params: readonly (readonly [name: string, type: string])[], returns: string): this {
    const list = params.map(([name, type]) => name + this.ts(`: ${type}`)).join(", ");
    return this.open(`${head}(${list})${this.ts(`: ${returns}`)}`);
  }

  line(text: string): this {
    this.lines.push(text === "" ? "" : "  ".repeat(this.depth) + text);
    return this;
  }

  addLines(texts: readonly string[]): this {
    for (const t of texts) this.line(t);
    return this;
  }

  blank(): this {
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== "") this.lines.push("");
    return this;
  }

  comment(text: string): this {
    return this.line(lineComment(text));
  }

  /** `head {` and one level deeper. */
  open(head: string): this {
    this.line(head === "" ? "{" : `${head} {`);
    this.depth++;
    return this;
  }

  close(tail = ""): this {
    this.depth--;
    return this.line(`}${tail}`);
  }

  /** A `for (let v = 0; v < n; v++)` loop; `init` and `update` add to those clauses. */
  loop(v: string, n: number, init?: string, update?: string): this {
    const i = init ? `let ${v} = 0, ${init}` : `let ${v} = 0`;
    const u = update ? `${v}++, ${update}` : `${v}++`;
    return this.open(`for (${i}; ${v} < ${n}; ${u})`);
  }

  toString(): string {
    return this.lines.join("\n") + "\n";
  }
}

const SIGNATURE = /^((?:\/\*\*.*\*\/\n)?function [A-Za-z_$][\w$]*)\(([^)]*)\): [\w[\]]+ \{\n/;

/**
 * A helper function written as TypeScript text (an op's prelude, the sparse path's helper) in
 * `lang`. Such text is the compiler's own, never the model's, and keeps its types to the
 * signature `function f(a: A, b: B): R {` and to non-null assertions after an index (`a[p]!`):
 * for JavaScript both are left out. Anything else is an internal error, caught by the tests that
 * load every op's code.
 */
export function helperIn(lang: Lang, text: string): string {
  if (lang === "ts") return text;
  const m = SIGNATURE.exec(text);
  if (!m) throw new Error(`internal error: helper does not start with a typed function signature:\n${text}`);
  const params = m[2]!.split(",").map((p) => p.trim().replace(/:.*$/, "")).filter((p) => p !== "");
  const body = text.slice(m[0].length).replace(/\]!/g, "]");
  return `${m[1]}(${params.join(", ")}) {\n${body}`;
}
