// Random re-layouts of a model's text for the formatter's property test.

/**
 * The same tokens with other whitespace between them: nothing, blanks, a line break, or a comment
 * and a line break — except where a line break would start a new statement.
 */
export function relayout(source: string, gaps: number[]): string {
  const tokens = source.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d*)?(?:e[+-]?\d+)?|\n|\S/g) ?? [];
  let out = "";
  let k = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === "\n") {
      out += k % 3 === 0 ? "  # note\n\n" : "\n";
      continue;
    }
    const next = tokens[i + 1];
    const after = tokens[i + 2];
    const gap = gaps[k++ % gaps.length]!;
    out += t;
    // A line break is safe after an operator, a comma or an open bracket (the statement goes on).
    const breakable = /^[-+*/@(,=]$/.test(t) && tokens[i - 1] !== "^" && next !== "\n" && !(after === "=" && t !== ",");
    if (next === undefined || next === "\n") continue;
    const wordy = /\w$/.test(t) && /^\w/.test(next);
    if (breakable && gap === 5) out += "\n   ";
    else if (breakable && gap === 6) out += " # why\n";
    else out += gap >= 3 || wordy ? " ".repeat(1 + (gap % 3)) : "";
  }
  return out;
}
