// Number formatting for progress lines and summaries.

/** A loss or parameter value: up to 6 significant digits, exponent form for very large or small. */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-4) return x.toExponential(4);
  return String(Number(x.toPrecision(6)));
}

export function fmtPercent(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}

export function fmtCount(n: number): string {
  return n.toLocaleString("en-US");
}

export function fmtSeconds(ms: number): string {
  const s = ms / 1000;
  return s < 10 ? `${s.toFixed(2)} s` : s < 100 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

export function plural(n: number, word: string): string {
  return `${fmtCount(n)} ${word}${n === 1 ? "" : "s"}`;
}
