// The gradient check of a compiled model: every derivative it defines (each `grad` request and
// the loss's implicit one) from the generated code, against central differences of the IR's
// forward pass in float64 (see tolerance.ts for the formula), with the source of the first
// disagreement located by blame.ts.
import type { CheckedModel } from "../check/model.ts";
import type { IRModel } from "../ir/model.ts";
import { size } from "../graph/node.ts";
import type { Dtype, GeneratedModule, Tensor } from "../runtime/contract.ts";
import { createRng } from "../runtime/rng.ts";
import { drawPoint, positiveInputs, type Point } from "./draw.ts";
import { toIR } from "../compile.ts";
import { probeGradient, ScalarFunction, worstOf, type ProbeOutcome } from "./probe.ts";
import { relativeError, TOLERANCES, type Tolerance } from "./tolerance.ts";
import { locate, type Location } from "./blame.ts";

export interface CompiledForCheck {
  model: CheckedModel;
  ir: IRModel;
  module: GeneratedModule;
}

export interface GradCheckOptions {
  /** From a checked model to the IR code is generated from (default: compile.ts's toIR). */
  toIR?: (model: CheckedModel) => IRModel;
  /** Seed of the drawn values and of the random directions (default 0). */
  seed?: number;
  /** Values of every input, target and param; drawn (draw.ts) when absent. */
  point?: Point;
  /** Locate the binding whose derivative disagrees (default true). */
  locate?: boolean;
}

export interface GradRow {
  key: string;
  of: string;
  wrt: string;
  shape: readonly number[];
  probes: number;
  skipped: number;
  worst: ProbeOutcome | null;
  ok: boolean;
}

export interface GradCheckResult {
  /** No derivative disagrees with finite differences. */
  ok: boolean;
  /** Every derivative was measured by at least one probe (false: some crossed a kink at every step). */
  verified: boolean;
  dtype: Dtype;
  tolerance: Tolerance;
  rows: GradRow[];
  /** Where the first failing derivative goes wrong (null when all pass or it was not asked for). */
  location: Location | null;
  point: Point;
  /** Remarks for the user (inputs redrawn, probes all skipped…). */
  notes: string[];
}

function toTensor(values: Float64Array, dtype: Dtype): Tensor {
  return dtype === "f32" ? Float32Array.from(values) : Float64Array.from(values);
}

/** The point with every value rounded to float32, so both sides see the same numbers. */
function roundTo(point: Point, dtype: Dtype): Point {
  if (dtype === "f64") return point;
  return new Map([...point].map(([k, v]) => [k, v.map(Math.fround)]));
}

/** Analytic gradients from the generated code, by key, as float64 copies. */
function analyticGradients(module: GeneratedModule, point: Point): Map<string, Float64Array> {
  const dtype = module.meta.dtype;
  const params = module.meta.params.map((p) => toTensor(point.get(p.name)!, dtype));
  const data = module.meta.data.map((d) => toTensor(point.get(d.name)!, dtype));
  const result = module.gradient(params, data);
  return new Map(
    module.meta.grads.map((g, i) => {
      const v = result.grads[i]!;
      return [g.key, typeof v === "number" ? Float64Array.of(v) : Float64Array.from(v)];
    }),
  );
}

/** A derivative no probe measured: every step of every probe crossed a kink. */
export const unmeasured = (r: GradRow): boolean => r.probes === 0 && r.skipped > 0;

export function runGradCheck(compiled: CompiledForCheck, options: GradCheckOptions = {}): GradCheckResult {
  const { model, ir, module } = compiled;
  const dtype = module.meta.dtype;
  const tolerance = TOLERANCES[dtype];
  const seed = options.seed ?? 0;
  const notes: string[] = [];
  const functions = new Map(ir.grads.map((g) => [g.of, new ScalarFunction(ir.bindings.get(g.of)!)]));
  const finiteAt = (p: Point) => [...functions.values()].every((f) => Number.isFinite(f.at(p).value));

  let point = options.point ?? drawPoint(model, seed);
  if (!options.point && !finiteAt(point)) {
    const positive = positiveInputs(model, point, seed);
    if (finiteAt(positive)) {
      point = positive;
      notes.push("the function is not finite at inputs drawn from N(0, 1); inputs drawn from U(0.5, 2) instead");
    }
  }
  point = roundTo(point, dtype);
  if (!finiteAt(point)) notes.push("the function is not finite at the values checked (choose values where it is finite)");

  const analytic = analyticGradients(module, point);
  const rows: GradRow[] = [];
  for (const g of ir.grads) {
    const f = functions.get(g.of)!;
    const scale = Math.max(1, Math.abs(f.at(point).value));
    const summary = probeGradient(f, point, g.wrt, g.node.shape, analytic.get(g.key)!, {
      h: tolerance.h,
      tol: tolerance.tol,
      rng: createRng(seed, `check:${g.key}`),
      relError: (a, n) => relativeError(a, n, tolerance.floor * scale),
    });
    const worst = worstOf(summary.probes);
    rows.push({
      key: g.key,
      of: g.of,
      wrt: g.wrt,
      shape: g.node.shape,
      probes: summary.probes.length,
      skipped: summary.skipped,
      worst,
      ok: worst === null || worst.rel < tolerance.tol,
    });
  }
  const ok = rows.every((r) => r.ok);
  const verified = rows.every((r) => !unmeasured(r));
  const failed = rows.find((r) => !r.ok);
  const location = failed && options.locate !== false ? locate(model, ir, failed.of, point, { toIR: options.toIR ?? ((m) => toIR(m).ir), seed }) : null;
  return { ok, verified, dtype, tolerance, rows, location, point, notes };
}
