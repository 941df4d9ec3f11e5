// Turns a failed grammar match into one readable diagnostic: where (the end of the last good
// token when the statement was cut off at a line end), what was expected, and what was found.
import type * as ohm from "ohm-js";
import type { Diagnostic } from "../diagnostics.ts";
import type { LineIndex } from "./lines.ts";
import { STATEMENT_KEYWORDS, type Chunk } from "./segment.ts";

const CLOSERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const EXPRESSION_STARTS = ["a name", "a number", "(", "-", "grad"];
/** Also starts an expression (a shape list, `[B, 784]`), but is not worth naming on its own. */
const LIST_START = "[";

function quote(text: string): string {
  return `'${text}'`;
}

/** The expected alternatives, merged into words a user reads. */
/** The parts of ohm's failure API used here (public at run time, missing from its typings). */
interface Failure {
  getText(): string;
  isFluffy(): boolean;
}
interface FailedMatch {
  getRightmostFailurePosition(): number;
  getRightmostFailures(): Failure[];
}

function expectedList(failures: Failure[]): string[] {
  const seen = new Set<string>();
  for (const f of failures) if (!f.isFluffy()) seen.add(f.getText());
  const items = [...seen];
  if (EXPRESSION_STARTS.every((e) => items.includes(e))) {
    const rest = items.filter((e) => !EXPRESSION_STARTS.includes(e) && e !== LIST_START);
    return ["an expression", ...rest.map((e) => (e.startsWith("a") && e.includes(" ") ? e : e === "end of input" ? e : quote(e)))];
  }
  return items.map((e) => (/^(a|an|end) /.test(e) ? e : quote(e)));
}

/** Operators, `(` and `=` are possible almost everywhere; name them only when nothing else fits. */
function trimAlternatives(items: string[]): string[] {
  const noise = ["'+'", "'-'", "'*'", "'/'", "'@'", "'^'", "'('", "'='", "'['"];
  const kept = items.filter((e) => !noise.includes(e));
  return kept.length > 0 ? kept : items;
}

const KEYWORD_WORDS = new Set([...STATEMENT_KEYWORDS, "wrt"]);

/** A message for a reserved word used as a name (`loss = 3`, `x = input`), or null. */
function reservedWordNote(source: string, chunk: Chunk, pos: number, found: string): { message: string; pos: number } | null {
  const word = /^'([a-z]+)'$/.exec(found)?.[1];
  if (word && KEYWORD_WORDS.has(word)) return { message: `'${word}' is a reserved word and cannot be used as a name here`, pos };
  const head = /^([a-z]+)\s*=/.exec(source.slice(chunk.start, chunk.end));
  if (head && KEYWORD_WORDS.has(head[1]!) && pos <= chunk.start + head[0].length) {
    return { message: `'${head[1]}' is a reserved word and cannot be used as a name`, pos: chunk.start };
  }
  return null;
}

function orList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "something else";
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

const INVISIBLE = /^[\p{C}\p{Z}]$/u;
/** A character that can start no token, comment or blank: it is wrong wherever it stands. */
const FOREIGN = /^[^A-Za-z0-9_.()[\]{},;=:+\-*/^@# \t\n\r]/;

/** The token at an offset, as a user would name it. */
function foundAt(source: string, offset: number): string {
  const rest = source.slice(offset);
  const word = /^(?:[\p{L}_][\p{L}\p{M}0-9_]*|[0-9.][0-9\p{L}\p{M}_.]*)/u.exec(rest);
  if (word) return quote(word[0]);
  const cp = rest.codePointAt(0)!;
  const ch = String.fromCodePoint(cp);
  // Control and invisible characters (NUL, U+200B, U+00A0, ...) are named by code point.
  if ((INVISIBLE.test(ch) && ch !== " ") || cp === 0xfffd) return `the character U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
  return quote(ch);
}

/** The end of the last token before `offset`, skipping whitespace and comments. */
function endOfPreviousToken(source: string, from: number, offset: number): number {
  // Walk forward, remembering where the last non-space, non-comment character ended.
  let last = from;
  let i = from;
  while (i < offset) {
    const c = source[i]!;
    if (c === "#") {
      while (i < offset && source[i] !== "\n" && source[i] !== "\r") i++;
    } else {
      if (c !== " " && c !== "\t" && c !== "\n" && c !== "\r") last = i + 1;
      i++;
    }
  }
  return last;
}

export function syntaxError(match: ohm.MatchResult, chunk: Chunk, source: string, lines: LineIndex): Diagnostic {
  const failed = match as unknown as FailedMatch;
  let pos = chunk.start + failed.getRightmostFailurePosition();
  const expected = expectedList(failed.getRightmostFailures());
  // How the chunk continues after the failure point (whitespace and comments skipped).
  const tail = endOfPreviousToken(source, pos, chunk.end);
  const atChunkEnd = tail <= pos;
  const lastGood = endOfPreviousToken(source, chunk.start, pos);
  const gap = source.slice(lastGood, pos);
  let found: string;
  if (atChunkEnd || (/[\n\r]/.test(gap) && !FOREIGN.test(source.slice(pos, pos + 1)))) {
    // The statement was cut off: point just after its last token. (A character foreign to the
    // language at the start of the next line is reported where it stands, not as a cut-off.)
    const eof = endOfPreviousToken(source, pos, source.length) <= pos;
    found = atChunkEnd && eof ? "end of file" : "end of line";
    pos = lastGood;
  } else {
    found = foundAt(source, pos);
  }
  let message: string;
  const reserved = reservedWordNote(source, chunk, pos, found);
  const closer = [...chunk.unclosed].reverse().find((t) => expected.includes(quote(CLOSERS[t.text]!)));
  if (closer) {
    const { line, col } = lines.lineCol(closer.start);
    message = `expected ${quote(CLOSERS[closer.text]!)} to close the ${quote(closer.text)} at ${line}:${col}, found ${found}`;
  } else if (expected.includes("end of input") || expected.includes(quote("model"))) {
    // The failure is where a new statement (or an operator continuing the last one) could start.
    const what = found.replace(/^the /, "");
    const operators = expected.some((e) => ["'+'", "'*'", "'^'"].includes(e));
    const closing = [")", "]", "}"].map(quote).includes(found);
    message = closing
      ? `unexpected ${what}: nothing to close`
      : what.startsWith("character")
        ? `unexpected ${what}`
        : `unexpected ${what}: expected ${operators ? "an operator or " : ""}the start of a statement`;
  } else {
    message = `expected ${orList(trimAlternatives(expected))}, found ${found}`;
  }
  if (reserved) {
    message = reserved.message;
    pos = reserved.pos;
  }
  return { severity: "error", message, span: lines.span(pos) };
}
