// The decision boundary of a model with two input features and one output per sample (seed 003's
// XOR picture): the output over a grid covering the training inputs (10% margin; [0, 1]² without
// data), for models fed in rows — one input of width 2 (`x: [B, 2]`) or two inputs of width 1 —
// with an output of one value per row (`[B]` or `[B, 1]`).
import type { ModelMeta, Tensor } from "../../runtime/contract.ts";
import type { DataSource, DataTensor } from "../../runtime/dataset.ts";
import { asArray, forEachChunk } from "../../runtime/evaluate.ts";
import { bindData, type Feed } from "../../runtime/feed.ts";
import type { ModuleSet } from "../../runtime/modules.ts";
import type { DecisionGrid } from "./plot.ts";
import { sizeOf } from "../../runtime/tensors.ts";

export const GRID = 41;

interface Layout {
  /** Input names fed the first and second feature, and the feature offset within each. */
  features: [{ name: string; offset: number; width: number }, { name: string; offset: number; width: number }];
  output: number;
}

function rowWidth(shape: readonly number[]): number {
  return sizeOf(shape.slice(1));
}

function layoutOf(meta: ModelMeta): Layout | null {
  const inputs = meta.data.filter((d) => d.role === "input" && d.batchDim !== null && d.default === null);
  let features: Layout["features"];
  if (inputs.length === 1 && rowWidth(inputs[0]!.shape) === 2) {
    const name = inputs[0]!.name;
    features = [{ name, offset: 0, width: 2 }, { name, offset: 1, width: 2 }];
  } else if (inputs.length === 2 && inputs.every((d) => rowWidth(d.shape) === 1)) {
    features = [{ name: inputs[0]!.name, offset: 0, width: 1 }, { name: inputs[1]!.name, offset: 0, width: 1 }];
  } else return null;
  const B = inputs[0]!.shape[0]!;
  const output = meta.outputs.findIndex((o) => o.shape[0] === B && o.shape.length >= 1 && rowWidth(o.shape) === 1);
  return output < 0 ? null : { features, output };
}

export function canPlotDecision(meta: ModelMeta): boolean {
  return layoutOf(meta) !== null;
}

export async function decisionGrid(
  modules: ModuleSet,
  params: readonly Tensor[],
  train: Feed | null,
): Promise<{ grid: DecisionGrid; points: { x: number; y: number; label: number }[] } | null> {
  const meta = modules.main.meta;
  const layout = layoutOf(meta);
  if (!layout) return null;

  // The training points, and the square they span.
  const points: { x: number; y: number; label: number }[] = [];
  const slotOf = (name: string) => train?.slots.find((s) => s.meta.name === name);
  const fa = slotOf(layout.features[0].name);
  const fb = slotOf(layout.features[1].name);
  const target = train?.slots.find((s) => s.meta.role === "target");
  if (train?.n && fa?.kind === "rows" && fb?.kind === "rows" && target?.kind === "rows" && target.width === 1) {
    for (let r = 0; r < train.n; r++) {
      points.push({ x: fa.data[r * fa.width + layout.features[0].offset]!, y: fb.data[r * fb.width + layout.features[1].offset]!, label: target.data[r]! });
    }
  }
  let [x0, x1, y0, y1] = points.length ? [Infinity, -Infinity, Infinity, -Infinity] : [0, 1, 0, 1];
  for (const p of points) {
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x);
    y0 = Math.min(y0, p.y);
    y1 = Math.max(y1, p.y);
  }
  const padX = (x1 - x0 || 1) * 0.1;
  const padY = (y1 - y0 || 1) * 0.1;
  [x0, x1, y0, y1] = [x0 - padX, x1 + padX, y0 - padY, y1 + padY];

  // The grid as rows of data; targets are zeros (only the output is read).
  const n = GRID * GRID;
  const tensors = new Map<string, DataTensor>();
  for (const d of meta.data) {
    if (d.batchDim === null) continue;
    tensors.set(d.name, { name: d.name, data: new Float64Array(n * rowWidth(d.shape)), shape: [n, ...d.shape.slice(1)] });
  }
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      const r = j * GRID + i;
      const [a, b] = layout.features;
      tensors.get(a.name)!.data[r * a.width + a.offset] = x0 + ((x1 - x0) * i) / (GRID - 1);
      tensors.get(b.name)!.data[r * b.width + b.offset] = y0 + ((y1 - y0) * j) / (GRID - 1);
    }
  }
  const source: DataSource = { origin: "decision grid", tensors, positional: false };
  const feed = bindData(meta, source);
  const values = new Float64Array(n);
  await forEachChunk(feed, modules, params, n, (result, _m, _d, from, count) => {
    const out = asArray(result.outputs[layout.output]!);
    for (let r = 0; r < count; r++) values[from + r] = out[r]!;
  });
  return { grid: { x0, x1, y0, y1, n: GRID, values }, points };
}
