// Plain-text tables for the terminal and for docs/bench.md (GitHub markdown).
export function table(header: string[], rows: string[][], align: ("l" | "r")[] = []): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? "").length)));
  const cell = (s: string, c: number) => (align[c] === "r" ? s.padStart(widths[c]!) : s.padEnd(widths[c]!));
  const line = (r: string[]) => `| ${r.map((s, c) => cell(s, c)).join(" | ")} |`;
  const sep = `|${widths.map((w, c) => (align[c] === "r" ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), sep, ...rows.map(line)].join("\n");
}

export const fmt = {
  int: (n: number) => Math.round(n).toLocaleString("en-US"),
  fixed: (n: number, d: number) => (Number.isFinite(n) ? n.toFixed(d) : "—"),
  ratio: (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "—"),
  pct: (n: number) => `${(100 * n).toFixed(1)}%`,
};
