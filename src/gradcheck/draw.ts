// The point a gradient check runs at, when the user gives none (`netc check` without `--at`):
//   params                 their initializers, with the seed (as `netc train` would start);
//   inputs/targets with a default value: the default;
//   inputs                 N(0, 1) in every element (row numbers for take: integers below its rows);
//   targets of rank 2      one-hot rows (a random class per row), as classification labels;
//   other targets          U(0, 1) in every element.
// When the function is not finite there (log or sqrt of a negative input), `positiveInputs`
// redraws the inputs from U(0.5, 2).
import type { CheckedModel } from "../check/model.ts";
import { size } from "../graph/node.ts";
import { initTensor } from "../runtime/init.ts";
import { createRng } from "../runtime/rng.ts";

export type Point = Map<string, Float64Array>;

export function drawPoint(model: CheckedModel, seed: number): Point {
  const point: Point = new Map();
  for (const p of model.params) {
    const t = new Float64Array(size(p.shape));
    initTensor(p.init, p.shape, t, seed, p.name);
    point.set(p.name, t);
  }
  for (const d of model.data) {
    const t = new Float64Array(size(d.shape));
    const rng = createRng(seed, `check:${d.name}`);
    if (d.default !== null) t.fill(d.default);
    else if (d.indexRows !== undefined) for (let i = 0; i < t.length; i++) t[i] = rng.int(0, d.indexRows - 1);
    else if (d.role === "input") for (let i = 0; i < t.length; i++) t[i] = rng.normal();
    else if (d.shape.length === 2) {
      const [rows, classes] = d.shape as [number, number];
      for (let r = 0; r < rows; r++) t[r * classes + rng.int(0, classes - 1)] = 1;
    } else for (let i = 0; i < t.length; i++) t[i] = rng.uniform();
    point.set(d.name, t);
  }
  return point;
}

/** The same point with every input that has no default redrawn from U(0.5, 2). */
export function positiveInputs(model: CheckedModel, point: Point, seed: number): Point {
  const out: Point = new Map(point);
  for (const d of model.data) {
    if (d.role !== "input" || d.default !== null || d.indexRows !== undefined) continue;
    const rng = createRng(seed, `check+:${d.name}`);
    out.set(d.name, Float64Array.from(point.get(d.name)!, () => 0.5 + 1.5 * rng.uniform()));
  }
  return out;
}
