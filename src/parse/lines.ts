// Fast offset → (line, column) lookup for one source text: line starts are indexed once, and each
// lookup is a binary search (diagnostics.lineCol scans from the start, too slow for big files).
// Line breaks are `\n`, `\r\n` (one break) and a lone `\r` (old Mac files). A byte-order mark at
// the very start is not counted: columns on line 1 count from the first real character.
import type { Span } from "../diagnostics.ts";

export class LineIndex {
  private readonly starts: number[];
  constructor(readonly source: string) {
    this.starts = [source.charCodeAt(0) === 0xfeff ? 1 : 0];
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }
  /** 1-based line and column of a 0-based offset. */
  lineCol(offset: number): { line: number; col: number } {
    const o = Math.max(0, Math.min(offset, this.source.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: Math.max(1, o - this.starts[lo]! + 1) };
  }
  span(start: number, end: number = start): Span {
    const { line, col } = this.lineCol(start);
    return { start, end, line, col };
  }
}
