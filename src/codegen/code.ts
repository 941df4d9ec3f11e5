// A line buffer with indentation for emitting source text. Prettier has the last word on layout;
// this only keeps the unformatted text readable too (`--emit ts` with formatting off, debugging).
import { lineComment } from "./literals.ts";

export class Code {
  private readonly lines: string[] = [];
  private depth = 0;

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
