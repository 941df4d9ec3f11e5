// Splits a source text into statement-sized chunks before the grammar sees it, so that a syntax
// error in one statement does not hide the errors in the next ones (recovery at statement
// boundaries), and so that each grammar match stays small. A chunk starts at a statement keyword,
// or at `NAME =` where a new statement must begin (at the start of a line, or right after a
// complete expression). The scan also finds what the grammar cannot explain well: malformed
// numbers (`1.2.3`, `1e`, `2x`) and absurdly deep nesting.

export const STATEMENT_KEYWORDS = ["model", "dim", "input", "target", "param", "def", "output", "loss", "grad", "train"];
const KEYWORDS = new Set([...STATEMENT_KEYWORDS, "wrt"]);
/** Deeper nesting than this is refused before matching (protects the stack). */
export const MAX_NESTING = 200;

export interface Token {
  kind: "ident" | "number" | "badnumber" | "punct" | "other";
  text: string;
  start: number;
  end: number;
  /** A line break (or the start of the file) lies between this token and the previous one. */
  lineStart: boolean;
}

export interface Chunk {
  /** From the start of the first token to the end of the last one. */
  start: number;
  end: number;
  /** Brackets opened in this chunk and never closed, innermost last. */
  unclosed: Token[];
  /** Why the chunk cannot be matched at all, if so. */
  lexError?: { message: string; start: number; end: number };
}

/** The classes of grammar/net.ohm's `identStart` and `identPart`, by code point. */
const LETTER = /^\p{L}$/u;
const COMBINING = /^[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F]$/u;
const isAsciiIdentStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isIdentStart = (c: number) => isAsciiIdentStart(c) || (c >= 128 && LETTER.test(String.fromCodePoint(c)));
const isDigit = (c: number) => c >= 48 && c <= 57;
const isIdentPart = (c: number) => isIdentStart(c) || isDigit(c) || (c >= 0x300 && COMBINING.test(String.fromCodePoint(c)));
/** The length in code units of the identifier that starts at `i` (0 if none does). */
export function identLength(source: string, i: number): number {
  const first = source.codePointAt(i);
  if (first === undefined || !isIdentStart(first)) return 0;
  let j = i;
  for (let c = first; j < source.length && isIdentPart(c); c = source.codePointAt(j) ?? -1) j += c > 0xffff ? 2 : 1;
  return j - i;
}
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const WORDISH = /[\p{L}\p{M}0-9_.]*/uy;

/** The tokens of a source text (comments and whitespace dropped). */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let lineStart = true;
  const n = source.length;
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === 10 || c === 13) {
      lineStart = true; // `\n`, `\r\n` and a lone `\r` (old Mac files) all end a line
      i++;
    } else if (c === 32 || c === 9 || (c === 0xfeff && i === 0)) {
      i++; // blanks, and a byte-order mark at the very start
    } else if (c === 35) {
      while (i < n && source.charCodeAt(i) !== 10 && source.charCodeAt(i) !== 13) i++;
    } else if (identLength(source, i) > 0) {
      const s = i;
      i += identLength(source, i);
      tokens.push({ kind: "ident", text: source.slice(s, i), start: s, end: i, lineStart });
      lineStart = false;
    } else if (isDigit(c) || (c === 46 && isDigit(source.charCodeAt(i + 1)))) {
      const s = i;
      NUMBER.lastIndex = i;
      NUMBER.exec(source);
      i = NUMBER.lastIndex;
      let kind: Token["kind"] = "number";
      if (i < n && (isIdentPart(source.codePointAt(i)!) || source.charCodeAt(i) === 46)) {
        kind = "badnumber";
        WORDISH.lastIndex = i;
        WORDISH.exec(source);
        i = WORDISH.lastIndex;
      }
      tokens.push({ kind, text: source.slice(s, i), start: s, end: i, lineStart });
      lineStart = false;
    } else {
      const ch = String.fromCodePoint(source.codePointAt(i)!);
      const kind = "()[]{},;=:+-*/^@".includes(ch) ? "punct" : "other";
      tokens.push({ kind, text: ch, start: i, end: i + ch.length, lineStart });
      i += ch.length;
      lineStart = false;
    }
  }
  return tokens;
}

const endsExpression = (t: Token | undefined) =>
  t !== undefined &&
  ((t.kind === "ident" && !KEYWORDS.has(t.text)) || t.kind === "number" || t.text === ")" || t.text === "]");

const OPEN: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSE: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

/** Splits the tokens into chunks of whole statements. */
export function segment(source: string): Chunk[] {
  const tokens = tokenize(source);
  const chunks: Chunk[] = [];
  let current: Chunk | null = null;
  let stack: Token[] = [];
  let parens = 0; // ( and [ open
  let braces = 0; // { open
  const begin = (t: Token) => {
    current = { start: t.start, end: t.end, unclosed: [] };
    chunks.push(current);
    stack = [];
    parens = 0;
    braces = 0;
  };
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    let split = current === null;
    if (!split && t.kind === "ident" && STATEMENT_KEYWORDS.includes(t.text)) {
      // A keyword starts a statement, unless it sits where an operand belongs (`x = input`):
      // then the grammar reports it there.
      const operandPlace = !t.lineStart && prev !== undefined && !endsExpression(prev) && prev.text !== ";" && prev.text !== "}";
      split = !(t.text === "grad" && next?.text === "(") && !operandPlace;
    } else if (!split && t.kind === "ident" && next?.text === "=" && tokens[k + 2]?.text !== "=") {
      if (braces === 0 && parens === 0) split = t.lineStart || endsExpression(prev);
      else if (braces === 0) split = t.lineStart && prev?.text !== "," && prev?.text !== "(";
    }
    if (split) begin(t);
    const chunk = current!;
    // A chunk ends with its last token: trailing comments and blank lines are never matched.
    chunk.end = t.end;
    if (t.kind === "badnumber" && !chunk.lexError) {
      chunk.lexError = { message: `malformed number '${t.text}'`, start: t.start, end: t.end };
    }
    if (t.text in OPEN) {
      stack.push(t);
      if (t.text === "{") braces++;
      else parens++;
      if (stack.length > MAX_NESTING && !chunk.lexError) {
        chunk.lexError = { message: `expression nested too deeply (more than ${MAX_NESTING} levels)`, start: t.start, end: t.end };
      }
    } else if (t.text in CLOSE) {
      const top = stack[stack.length - 1];
      if (top && top.text === CLOSE[t.text]) {
        stack.pop();
        if (t.text === "}") braces--;
        else parens--;
      }
    }
    chunk.unclosed = stack;
  }
  return chunks;
}

