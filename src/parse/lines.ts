// Fast offset → (line, column) lookup for one source text: line starts are indexed once, and each
// lookup is a binary search (diagnostics.lineCol scans from the start, too slow for big files).
import type { Span } from "../diagnostics.ts";

export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly source: string) {
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) this.starts.push(i + 1);
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
    return { line: lo + 1, col: o - this.starts[lo]! + 1 };
  }
  span(start: number, end: number = start): Span {
    const { line, col } = this.lineCol(start);
    return { start, end, line, col };
  }
}
