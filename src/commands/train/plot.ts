// Pictures of a training run: the loss curve as SVG (loss.svg), the decision boundary of a model
// with two input features and one output (decision.svg, seed 003's picture), and a small terminal
// chart of the loss (asciichart). The SVG is written by hand: a few rects, a polyline and text.
import asciichart from "asciichart";

const W = 640;
const H = 380;
const M = { left: 70, right: 20, top: 30, bottom: 50 };

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const num = (x: number) => String(Math.round(x * 100) / 100);

/** At most `max` points: the mean of each run of consecutive values. */
export function downsample(values: readonly number[], max: number): number[] {
  if (values.length <= max) return values.slice();
  const out: number[] = [];
  for (let i = 0; i < max; i++) {
    const a = Math.floor((i * values.length) / max);
    const b = Math.floor(((i + 1) * values.length) / max);
    let s = 0;
    for (let j = a; j < b; j++) s += values[j]!;
    out.push(s / (b - a));
  }
  return out;
}

function tickLabel(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

/** The loss per step (thin line) and per epoch (dots, when there are several steps per epoch). */
export function lossSvg(stepLosses: readonly number[], epochLosses: readonly { step: number; loss: number }[], title: string): string {
  const finite = stepLosses.filter((v) => Number.isFinite(v));
  const lo = Math.min(...finite, ...epochLosses.map((e) => e.loss));
  const hi = Math.max(...finite, ...epochLosses.map((e) => e.loss));
  const log = lo > 0 && hi / lo > 100;
  const f = (v: number) => (log ? Math.log10(v) : v);
  const ylo = f(lo);
  const yhi = f(hi) === ylo ? ylo + 1 : f(hi);
  const n = Math.max(stepLosses.length, 1);
  const px = (step: number) => M.left + ((W - M.left - M.right) * step) / n;
  const py = (v: number) => H - M.bottom - ((H - M.top - M.bottom) * (f(v) - ylo)) / (yhi - ylo);
  const pts = downsample(stepLosses, 2000);
  const line = pts.map((v, i) => `${num(px(((i + 0.5) * n) / pts.length))},${num(py(v))}`).join(" ");
  const ticks: string[] = [];
  for (let k = 0; k <= 4; k++) {
    const yv = ylo + ((yhi - ylo) * k) / 4;
    const v = log ? Math.pow(10, yv) : yv;
    const y = py(v);
    ticks.push(`<line x1="${M.left}" y1="${num(y)}" x2="${W - M.right}" y2="${num(y)}" stroke="#eee"/>`);
    ticks.push(`<text x="${M.left - 6}" y="${num(y + 4)}" text-anchor="end">${tickLabel(v)}</text>`);
  }
  for (let k = 0; k <= 4; k++) {
    const s = Math.round((n * k) / 4);
    ticks.push(`<text x="${num(px(s))}" y="${H - M.bottom + 18}" text-anchor="middle">${s}</text>`);
  }
  const dots = epochLosses.map((e) => `<circle cx="${num(px(e.step))}" cy="${num(py(e.loss))}" r="3" fill="#d62728"/>`).join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-size="14">${esc(title)}</text>
${ticks.join("\n")}
<polyline fill="none" stroke="#1f77b4" stroke-width="1.2" points="${line}"/>
${dots}
<line x1="${M.left}" y1="${H - M.bottom}" x2="${W - M.right}" y2="${H - M.bottom}" stroke="black"/>
<line x1="${M.left}" y1="${M.top}" x2="${M.left}" y2="${H - M.bottom}" stroke="black"/>
<text x="${(W + M.left) / 2}" y="${H - 12}" text-anchor="middle">step</text>
<text x="16" y="${H / 2}" text-anchor="middle" transform="rotate(-90 16 ${H / 2})">loss${log ? " (log scale)" : ""}</text>
</svg>
`;
}

export interface DecisionGrid {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  /** Grid points per side; value[j * n + i] is the output at (x0 + i·dx, y0 + j·dy). */
  n: number;
  values: ArrayLike<number>;
}

/** The output over a grid (≥ 0.5 green, < 0.5 blue, shaded by distance from 0.5) and the data points. */
export function decisionSvg(grid: DecisionGrid, points: readonly { x: number; y: number; label: number }[], title: string): string {
  const S = 400;
  const m = 50;
  const size = S + 2 * m;
  const sx = (x: number) => m + (S * (x - grid.x0)) / (grid.x1 - grid.x0);
  const sy = (y: number) => m + S - (S * (y - grid.y0)) / (grid.y1 - grid.y0);
  const cell = S / grid.n;
  const rects: string[] = [];
  for (let j = 0; j < grid.n; j++) {
    for (let i = 0; i < grid.n; i++) {
      const v = grid.values[j * grid.n + i]!;
      const strength = Math.min(1, Math.abs(v - 0.5) * 2);
      const color = v >= 0.5 ? "#2ca02c" : "#1f77b4";
      rects.push(`<rect x="${num(m + i * cell)}" y="${num(m + S - (j + 1) * cell)}" width="${num(cell)}" height="${num(cell)}" fill="${color}" fill-opacity="${num(0.15 + 0.5 * strength)}"/>`);
    }
  }
  const dots = points
    .map((p) => `<circle cx="${num(sx(p.x))}" cy="${num(sy(p.y))}" r="9" fill="${p.label >= 0.5 ? "#2ca02c" : "#1f77b4"}" stroke="black" stroke-width="2"/>`)
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" font-family="sans-serif" font-size="12">
<rect width="${size}" height="${size}" fill="white"/>
<text x="${size / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>
<g shape-rendering="crispEdges">
${rects.join("\n")}
</g>
${dots}
<rect x="${m}" y="${m}" width="${S}" height="${S}" fill="none" stroke="black"/>
<text x="${m}" y="${m + S + 18}" text-anchor="middle">${tickLabel(grid.x0)}</text>
<text x="${m + S}" y="${m + S + 18}" text-anchor="middle">${tickLabel(grid.x1)}</text>
<text x="${m - 6}" y="${m + S}" text-anchor="end">${tickLabel(grid.y0)}</text>
<text x="${m - 6}" y="${m + 4}" text-anchor="end">${tickLabel(grid.y1)}</text>
<text x="${size / 2}" y="${size - 12}" text-anchor="middle">x1</text>
<text x="16" y="${size / 2}" text-anchor="middle" transform="rotate(-90 16 ${size / 2})">x2</text>
</svg>
`;
}

/** A small terminal chart of the loss (at most 60 columns), or null with fewer than two points. */
export function lossChart(losses: readonly number[]): string | null {
  const finite = losses.filter((v) => Number.isFinite(v));
  if (finite.length < 2) return null;
  const series = downsample(finite, 60);
  return asciichart.plot(series, { height: 8, format: (x) => tickLabel(x).padStart(10) });
}
