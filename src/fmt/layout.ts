// The layout of a block of lines (the statements of a file, the entries of a `train { }` block)
// with their line comments, which prettier never sees (comments.ts):
//   - a comment after code on the same line stays after that line; the trailing comments of
//     consecutive lines are aligned in one column, two spaces past the longest of those lines;
//   - a comment on a line of its own under a trailing comment, in the same column, continues it
//     and stays aligned under it (xor.net's `seed = 0` note);
//   - any other comment keeps a line of its own, before the statement it preceded; a comment
//     that sat inside a statement but outside its expression (`param W: [2] # …` then `= zeros`
//     on the next line) moves to a line of its own just above that statement, or after it when
//     comments.ts says so (a comment at the very end of the expression, inside parentheses);
//   - blank lines between statements are kept, several in a row as one.
import type { Comment } from "./comments.ts";
import { stringWidth } from "./width.ts";

export interface BlockItem {
  span: { start: number; end: number };
  /** The item's printed lines, each with its indentation. */
  lines: string[];
  /** No blank line may follow this item (an opening `train {`) or precede it (a closing `}`). */
  noBlankAfter?: boolean;
  noBlankBefore?: boolean;
}

type Element =
  | { kind: "item"; item: BlockItem; after: Comment[]; blank: boolean }
  | { kind: "comment"; comment: Comment; blank: boolean };

/** Whether the text between two offsets holds an empty line. */
const hasBlankLine = (source: string, from: number, to: number) => /\n[ \t]*\n/.test(source.slice(from, to));
const sameLine = (source: string, from: number, to: number) => !/[\n\r]/.test(source.slice(from, to));
const columnOf = (source: string, offset: number) => offset - (source.lastIndexOf("\n", offset - 1) + 1);

function elements(items: BlockItem[], comments: Comment[], source: string): Element[] {
  const out: Element[] = [];
  let prevEnd = -1; // end of the previous element in the source (-1: none yet)
  let c = 0;
  /** Whether a blank line goes before an element starting at `start` (none after an opening `{`). */
  const blankBefore = (start: number) => {
    const last = out[out.length - 1];
    if (last?.kind === "item" && last.item.noBlankAfter) return false;
    return prevEnd >= 0 && hasBlankLine(source, prevEnd, start);
  };
  const placeComment = (comment: Comment) => {
    const last = out[out.length - 1];
    if (last?.kind === "item" && sameLine(source, last.item.span.end, comment.span.start)) {
      last.after.push(comment);
    } else if (last?.kind === "item" && last.after.length > 0 && isContinuation(source, last.after[last.after.length - 1]!, comment)) {
      last.after.push(comment);
    } else {
      out.push({ kind: "comment", comment, blank: blankBefore(comment.span.start) });
    }
    prevEnd = comment.span.end;
  };
  for (const item of items) {
    while (c < comments.length && comments[c]!.span.start < item.span.start) placeComment(comments[c++]!);
    // Comments inside the item (outside its expressions) go on their own lines just above it.
    const blank = !item.noBlankBefore && blankBefore(item.span.start);
    let first = true;
    const after: Comment[] = [];
    while (c < comments.length && comments[c]!.span.start < item.span.end) {
      const comment = comments[c++]!;
      if (comment.after) {
        after.push(comment);
        continue;
      }
      out.push({ kind: "comment", comment, blank: first && blank });
      first = false;
    }
    out.push({ kind: "item", item, after, blank: first && blank });
    prevEnd = item.span.end;
  }
  while (c < comments.length) placeComment(comments[c++]!);
  return out;
}

/** A comment alone on the line right under `prev`, starting in the same column. */
function isContinuation(source: string, prev: Comment, comment: Comment): boolean {
  const between = source.slice(prev.span.end, comment.span.start);
  return /^[ \t]*(\r\n|\n|\r)[ \t]*$/.test(between) && columnOf(source, prev.span.start) === columnOf(source, comment.span.start);
}

/** The block's lines: items, comments and blank lines, with trailing comments aligned. */
export function layoutBlock(items: BlockItem[], comments: Comment[], source: string, commentIndent: string): string[] {
  const els = elements(items, comments, source);
  const lines: string[] = [];
  for (let i = 0; i < els.length; i++) {
    const el = els[i]!;
    if (el.blank && lines.length > 0) lines.push("");
    if (el.kind === "comment") {
      lines.push(commentIndent + el.comment.value);
      el.comment.printed = true;
      continue;
    }
    if (el.after.length === 0) {
      lines.push(...el.item.lines);
      continue;
    }
    // A run of consecutive lines with trailing comments shares one comment column.
    let j = i;
    while (j + 1 < els.length && !els[j + 1]!.blank && els[j + 1]!.kind === "item" && (els[j + 1] as { after: Comment[] }).after.length > 0) j++;
    const run = els.slice(i, j + 1) as Extract<Element, { kind: "item" }>[];
    const column = Math.max(...run.map((r) => stringWidth(r.item.lines[r.item.lines.length - 1] ?? ""))) + 2;
    for (const r of run) {
      if (r !== el && r.blank) lines.push("");
      const body = r.item.lines.slice(0, -1);
      const last = r.item.lines[r.item.lines.length - 1] ?? "";
      lines.push(...body);
      // A last line that already ends in a comment (from inside the expression) cannot take one more.
      const afterLines = r.after.map((c) => " ".repeat(column) + c.value);
      if (last.includes("#")) lines.push(last, ...afterLines);
      else lines.push(last + " ".repeat(column - stringWidth(last)) + r.after[0]!.value, ...afterLines.slice(1));
      r.after.forEach((c) => (c.printed = true));
    }
    i = j;
  }
  return lines;
}
