// Probes of one derivative: which directions to test (every coordinate of a small tensor, a few
// random unit directions of a large one, as JAX's check_grads does) and the central difference
// of a scalar node along each, through the float64 reference interpreter, skipping kink crossings.
// The step starts at h·max(1, |x|); where that step is too large for the point (sqrt(x) at
// x = 2e-5, a step that leaves log's domain or crosses a kink 1e-7 away) the probe shrinks it
// until two successive estimates agree (see `settledDifference`), so the step fits the point.
import { topoOrder, type Node } from "../graph/node.ts";
import { interpret } from "../ir/interpret.ts";
import type { Rng } from "../runtime/rng.ts";
import { crossesKink, kinkNodes, switches } from "./kinks.ts";
import { TOLERANCES } from "./tolerance.ts";

/** Leaf values by user name (inputs, targets, params), flat row-major float64. */
export type LeafValues = ReadonlyMap<string, Float64Array>;

/** Tensors up to this many elements are probed coordinate by coordinate. */
export const MAX_COORDINATES = 64;
/** Random directions per larger tensor. */
export const DIRECTIONS = 4;

export type Direction = { kind: "coordinate"; index: number } | { kind: "direction"; number: number; v: Float64Array };

export interface Evaluation {
  value: number;
  /** The kink switches (kinks.ts) along the way. */
  switches: Float64Array[];
}

/** The scalar `root` as a function of the leaf values, with the kink switches along the way. */
export class ScalarFunction {
  private readonly order: Node[];
  private readonly kinks: Node[];
  constructor(readonly root: Node) {
    this.order = topoOrder([root]);
    this.kinks = kinkNodes(this.order);
  }

  at(leaves: LeafValues): Evaluation {
    const values = interpret([this.root], leaves);
    return { value: values.get(this.root)![0]!, switches: switches(this.kinks, values) };
  }

  /**
   * The function of one leaf's value around `point`: every node that does not depend on that leaf
   * keeps its value at `point` (an interpreter override), so a perturbation recomputes only what
   * it changes, and only the kinks it can move are watched.
   */
  around(point: LeafValues, leaf: string): (x: Float64Array) => Evaluation {
    const base = interpret([this.root], point);
    const dependent = new Set<Node>();
    for (const n of this.order) {
      if (n.args.length === 0 ? n.attrs.name === leaf : n.args.some((a) => dependent.has(a))) dependent.add(n);
    }
    const overrides = new Map(this.order.filter((n) => !dependent.has(n)).map((n) => [n, base.get(n)!]));
    const kinks = this.kinks.filter((k) => dependent.has(k));
    return (x) => {
      const values = interpret([this.root], new Map(point).set(leaf, x), { overrides });
      return { value: values.get(this.root)![0]!, switches: switches(kinks, values) };
    };
  }
}

export function randomUnit(n: number, rng: Rng): Float64Array {
  const v = new Float64Array(n);
  let norm = 0;
  while (norm === 0) {
    for (let i = 0; i < n; i++) v[i] = rng.normal();
    norm = norm2(v);
  }
  for (let i = 0; i < n; i++) v[i]! /= norm;
  return v;
}

function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** ⟨g, direction⟩ */
export function project(g: ArrayLike<number>, d: Direction): number {
  if (d.kind === "coordinate") return g[d.index]!;
  let s = 0;
  for (let i = 0; i < d.v.length; i++) s += g[i]! * d.v[i]!;
  return s;
}

/** At most this many smaller steps (each a quarter of the last) are tried after h itself. */
export const REFINEMENTS = 8;

export interface Difference {
  numeric: number;
  /** The ±h step crossed a kink: no derivative measured. */
  skipped: boolean;
}

/**
 * The central difference at steps h, h/4, h/16, … until two successive estimates agree within
 * `settled` (the truncation error of a central difference falls 16× per step, so the later one is
 * then accurate to far better than that), or REFINEMENTS steps have been tried; then the estimate
 * that changed least from the one before it. Kink crossings and non-finite values at a step are
 * passed over (a smaller step may stay on one side, or inside the domain); `skipped` only when
 * every step crosses a kink. The estimate never depends on the analytic value.
 */
export function settledDifference(
  f: (x: Float64Array) => Evaluation,
  x: Float64Array,
  d: Direction,
  h: number,
  settled: (previous: number, next: number) => boolean,
): Difference {
  let previous: number | null = null;
  let best: { numeric: number; change: number } | null = null;
  let crossedEveryStep = true;
  for (let k = 0, step = h; k <= REFINEMENTS; k++, step /= 4) {
    const diff = centralDifference(f, x, d, step);
    if (diff.skipped) continue;
    crossedEveryStep = false;
    if (!Number.isFinite(diff.numeric)) continue;
    if (previous !== null) {
      if (settled(previous, diff.numeric)) return diff;
      const change = Math.abs(diff.numeric - previous);
      if (best === null || change < best.change) best = { numeric: diff.numeric, change };
    }
    previous = diff.numeric;
  }
  if (best !== null) return { numeric: best.numeric, skipped: false };
  if (previous !== null) return { numeric: previous, skipped: false };
  return { numeric: NaN, skipped: crossedEveryStep };
}

/** (f(x + h·v) − f(x − h·v)) / 2h with the step actually taken (after rounding x ± h·v). */
export function centralDifference(f: (x: Float64Array) => Evaluation, x: Float64Array, d: Direction, h: number): Difference {
  const shifted = (sign: 1 | -1): Float64Array => {
    const y = Float64Array.from(x);
    if (d.kind === "coordinate") y[d.index] = x[d.index]! + sign * h * Math.max(1, Math.abs(x[d.index]!));
    else {
      const step = h * Math.max(1, rms(x));
      for (let i = 0; i < y.length; i++) y[i] = x[i]! + sign * step * d.v[i]!;
    }
    return y;
  };
  const xp = shifted(1);
  const xm = shifted(-1);
  const width = d.kind === "coordinate" ? xp[d.index]! - xm[d.index]! : 2 * h * Math.max(1, rms(x));
  const plus = f(xp);
  const minus = f(xm);
  if (crossesKink(minus.switches, plus.switches)) return { numeric: NaN, skipped: true };
  return { numeric: (plus.value - minus.value) / width, skipped: false };
}

function rms(x: Float64Array): number {
  return x.length === 0 ? 0 : norm2(x) / Math.sqrt(x.length);
}

export interface ProbeOutcome {
  /** `[i, j]` for a coordinate, `direction k` for a random direction. */
  where: string;
  analytic: number;
  numeric: number;
  rel: number;
}

/** The probe with the largest relative error (null for none). */
export function worstOf(probes: readonly ProbeOutcome[]): ProbeOutcome | null {
  let worst: ProbeOutcome | null = null;
  for (const p of probes) if (!worst || !(p.rel <= worst.rel)) worst = p;
  return worst;
}

export interface ProbeSummary {
  probes: ProbeOutcome[];
  skipped: number;
}

/** Index path of a flat index in a shape: `[3, 1]`. */
export function indexText(index: number, shape: readonly number[]): string {
  const parts: number[] = [];
  for (let a = shape.length - 1; a >= 0; a--) {
    parts.unshift(index % shape[a]!);
    index = Math.floor(index / shape[a]!);
  }
  return `[${parts.join(", ")}]`;
}

/**
 * Compares the analytic gradient `g` of `f` w.r.t. `leaf` (shape `shape`) with central differences:
 * every coordinate when it has at most MAX_COORDINATES elements, else DIRECTIONS random unit
 * directions (redrawing a direction whose step crosses a kink, a few times at most).
 */
export function probeGradient(
  f: ScalarFunction,
  point: LeafValues,
  leaf: string,
  shape: readonly number[],
  g: ArrayLike<number>,
  opts: {
    h: number;
    /** The largest relative error that passes (default: float64's); a probe above it refines its step. */
    tol?: number;
    rng: Rng;
    relError: (a: number, n: number) => number;
    maxCoordinates?: number;
    directions?: number;
  },
): ProbeSummary {
  const n = g.length;
  const probes: ProbeOutcome[] = [];
  let skipped = 0;
  const fx = f.around(point, leaf);
  const x = point.get(leaf)!;
  const tol = opts.tol ?? TOLERANCES.f64.tol;
  const run = (d: Direction, where: string): boolean => {
    const analytic = project(g, d);
    let diff = centralDifference(fx, x, d, opts.h);
    // The first step disagrees or measured nothing: find the step that fits this point. (The
    // refined estimate is judged on its own convergence, not by the analytic value.)
    if (diff.skipped || !(opts.relError(analytic, diff.numeric) < tol)) {
      diff = settledDifference(fx, x, d, opts.h, (a, b) => opts.relError(a, b) < tol / 10);
    }
    if (diff.skipped) {
      skipped++;
      return false;
    }
    probes.push({ where, analytic, numeric: diff.numeric, rel: opts.relError(analytic, diff.numeric) });
    return true;
  };
  if (n <= (opts.maxCoordinates ?? MAX_COORDINATES)) {
    for (let i = 0; i < n; i++) run({ kind: "coordinate", index: i }, shape.length === 0 ? "" : indexText(i, shape));
  } else {
    const want = opts.directions ?? DIRECTIONS;
    for (let k = 0, tries = 0; k < want && tries < 3 * want; tries++) {
      if (run({ kind: "direction", number: k + 1, v: randomUnit(n, opts.rng) }, `direction ${k + 1}`)) k++;
    }
  }
  return { probes, skipped };
}
