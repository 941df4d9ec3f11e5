// Step sizes, tolerances and the relative-error formula of the gradient check.
//
// The numeric side is always a central difference in float64 through the reference evaluator:
//   n = (f(x + h·v) − f(x − h·v)) / 2h
// for a unit coordinate v (small tensors) or a random unit direction v (large ones), and the
// analytic side is ⟨∇f(x), v⟩ from the generated code in the model's dtype. They are compared with
//   rel = |a − n| / max(|a|, |n|, floor),   floor = FLOOR · max(1, |f(x)|)
// The floor keeps central-difference round-off (about ε₆₄·|f|/h ≈ 2e-11·|f| for h = 1e-5) from
// counting as an error on components that are zero or tiny next to f: below it, differences are
// judged in absolute terms (|a − n| < tol · floor).
import type { Dtype } from "../runtime/contract.ts";

export interface Tolerance {
  /**
   * The first central-difference step (scaled by max(1, |x|) per coordinate, max(1, rms(x)) per
   * direction); probe.ts shrinks it where it does not fit the point.
   */
  h: number;
  /** The largest relative error that passes. */
  tol: number;
  /** Relative to max(1, |f(x)|): the smallest denominator of the relative error. */
  floor: number;
}

export const TOLERANCES: Record<Dtype, Tolerance> = {
  f64: { h: 1e-5, tol: 1e-6, floor: 1e-3 },
  f32: { h: 1e-5, tol: 1e-2, floor: 1e-3 },
};

export function relativeError(analytic: number, numeric: number, floor: number): number {
  if (Number.isNaN(analytic) || Number.isNaN(numeric)) return Infinity;
  if (analytic === numeric) return 0;
  const diff = Math.abs(analytic - numeric);
  if (!Number.isFinite(diff)) return Infinity;
  return diff / Math.max(Math.abs(analytic), Math.abs(numeric), floor);
}
