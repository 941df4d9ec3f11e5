// How the checker names things in messages: an operand by its source text (shortened when long)
// and its shape, e.g. `x: [32, 784]`, or `(a + b): [3]`.
import type { Span } from "../diagnostics.ts";
import type { Shape } from "./model.ts";

export const MAX_OPERAND_TEXT = 32;

export function shapeText(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** The source text of a span on one line, whitespace collapsed and shortened to fit a message. */
export function sourceText(source: string, span: Span, max = MAX_OPERAND_TEXT): string {
  const text = cleanText(source.slice(span.start, span.end));
  return text.length <= max ? text : `${text.slice(0, max - 3).trimEnd()}...`;
}

/** Source text with comments removed and whitespace runs collapsed to one space. */
export function cleanText(text: string): string {
  return text
    .replace(/#[^\r\n]*/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** `text: [shape]`, how an operand appears in a message. */
export function operand(text: string, shape: Shape): string {
  return `${text}: ${shapeText(shape)}`;
}

/** Replaces `$0`, `$1` in an op's message with `TEXT: [shape]` of the operands. */
export function fillOperands(message: string, operands: readonly { text: string; shape: Shape }[]): string {
  return message.replace(/\$(\d+)/g, (m, i: string) => {
    const o = operands[Number(i)];
    return o ? operand(o.text, o.shape) : m;
  });
}

/** Damerau-free Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** ` (did you mean 'sigmoid'?)` when a candidate is close enough, else "". */
export function suggestion(name: string, candidates: Iterable<string>): string {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = name.length <= 3 ? 1 : 2;
  return best !== null && bestD <= limit ? ` (did you mean '${best}'?)` : "";
}
