// Turns worker results into the printed tables: one per workload with examples/second, time per
// epoch, peak RSS, test accuracy and each engine's speed relative to netc f64, then the issue's
// targets with the measured ratios.
import type { EngineOutcome as Outcome, EngineResult } from "./spawn-worker.ts";
import type { EngineName, Workload } from "../workloads.ts";
import { fmt, table } from "./table.ts";

export const isOk = (o: Outcome): o is EngineResult => !("error" in o);

/** (max - min) / median of the epochs' wall times: how much the timed epochs of one engine differ. */
function spread(o: EngineResult): number {
  const ms = o.epochs.map((e) => e.ms);
  return (Math.max(...ms) - Math.min(...ms)) / o.medianEpochMs;
}

export function workloadTable(w: Workload, outcomes: readonly Outcome[]): string {
  const find = (e: EngineName) => outcomes.find((o): o is EngineResult => o.engine === e && isOk(o));
  const base = find("netc-f64");
  const tfw = find("tfjs-wasm");
  const c = find("c-reference");
  const num = (n: number, digits: number): string => (Number.isFinite(n) ? fmt.fixed(n, digits) : "—");
  const rows = outcomes.map((o) => {
    if (!isOk(o)) return [o.engine, o.na ? "n/a" : "failed", "", "", "", "", "", "", "", "", "", o.error.slice(0, 160)];
    return [
      o.engine,
      fmt.int(o.examplesPerSec),
      `±${(50 * spread(o)).toFixed(0)}%`,
      fmt.fixed(o.medianEpochMs, 1),
      fmt.fixed(o.medianEpochCpuMs, 1),
      num(o.peakRssMB, 0),
      num(o.peakRssMB - o.baseRssMB, 0),
      Number.isFinite(o.accuracy) ? fmt.pct(o.accuracy) : "—",
      base ? fmt.ratio(base.examplesPerSec / o.examplesPerSec) : "—",
      tfw ? fmt.ratio(o.examplesPerSec / tfw.examplesPerSec) : "—",
      c ? fmt.ratio(o.examplesPerSec / c.examplesPerSec) : "—",
      o.note,
    ];
  });
  return table(
    ["engine", "examples/s", "spread", "ms/epoch", "CPU ms/epoch", "peak RSS MB", "RSS over data MB", "test acc", "netc-f64 speed-up", "÷ tfjs-wasm", "÷ C", "notes"],
    rows,
    ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r", "l"],
  );
}

interface Target {
  workload: string;
  /** The engine whose speed is divided by `engine`'s (default netc-f64). */
  by?: EngineName;
  engine: EngineName;
  /** The ratio wanted; with `info`, a ratio the table reports without a goal. */
  min: number;
  info?: boolean;
}

const TARGETS: Target[] = [
  { workload: "w1", engine: "tfjs-cpu", min: 5 },
  { workload: "w1", engine: "tfjs-wasm", min: 1.5 },
  { workload: "w1", engine: "reference", min: 0.8 },
  { workload: "w3", engine: "tfjs-cpu", min: 5 },
  { workload: "w3", engine: "tfjs-wasm", min: 1.0 },
  // issue 14: the wasm target against the C reference and against TF.js-WASM (dense against dense)
  { workload: "w1", by: "netc-wasm-f32", engine: "c-reference", min: 0.6 },
  { workload: "w3", by: "netc-wasm-f32", engine: "c-reference", min: 0.6 },
  { workload: "w1", by: "netc-wasm-f32-dense", engine: "tfjs-wasm", min: 4 },
  { workload: "w3", by: "netc-wasm-f32-dense", engine: "tfjs-wasm", min: 2.5 },
  // the zero-skip's share of the JS and wasm targets' speed
  { workload: "w1", by: "netc-f32", engine: "netc-f32-dense", min: 1, info: true },
  { workload: "w3", by: "netc-f32", engine: "netc-f32-dense", min: 1, info: true },
  { workload: "w1", by: "netc-wasm-f32", engine: "netc-wasm-f32-dense", min: 1, info: true },
  { workload: "w3", by: "netc-wasm-f32", engine: "netc-wasm-f32-dense", min: 1, info: true },
  // issue 14: `--workers 2` against one thread, the same engine otherwise
  { workload: "w3", by: "netc-f64-w2", engine: "netc-f64", min: 1.6 },
  // issue 13: the CNN against TF.js's CPU backend
  { workload: "w4", engine: "tfjs-cpu", min: 3 },
  // issue 14: the CNN on the wasm target against TF.js-WASM
  { workload: "w4", by: "netc-wasm-f32", engine: "tfjs-wasm", min: 1.5 },
];

export interface TargetResult {
  what: string;
  measured: number;
  /** The same ratio from median CPU time per epoch instead of wall time. */
  measuredCpu: number;
  target: string;
  met: boolean;
}

export function targetResults(workloads: readonly Workload[], outcomes: readonly Outcome[]): TargetResult[] {
  const get = (w: string, e: EngineName) => outcomes.find((o): o is EngineResult => o.workload === w && o.engine === e && isOk(o));
  const out: TargetResult[] = [];
  for (const t of TARGETS) {
    const by = t.by ?? "netc-f64";
    const netc = get(t.workload, by);
    const other = get(t.workload, t.engine);
    if (!netc || !other) continue;
    const measured = netc.examplesPerSec / other.examplesPerSec;
    const measuredCpu = other.medianEpochCpuMs / netc.medianEpochCpuMs;
    out.push({ what: `${t.workload}: ${by} speed ÷ ${t.engine} speed`, measured, measuredCpu, target: t.info ? "(info)" : `≥ ${t.min}×`, met: t.info ? true : measured >= t.min });
  }
  for (const w of workloads) {
    const accs = outcomes.filter((o): o is EngineResult => o.workload === w.id && isOk(o)).map((o) => o.accuracy).filter((a) => Number.isFinite(a));
    if (accs.length < 2) continue;
    const spread = 100 * (Math.max(...accs) - Math.min(...accs));
    out.push({ what: `${w.id}: test-accuracy spread across engines (points)`, measured: spread, measuredCpu: NaN, target: "≤ 1", met: spread <= 1 });
  }
  return out;
}

export function targetsTable(results: readonly TargetResult[]): string {
  return table(
    ["target", "measured (wall)", "by CPU time", "wanted", "met"],
    results.map((r) => [r.what, r.what.includes("spread") ? fmt.fixed(r.measured, 2) : fmt.ratio(r.measured), r.what.includes("spread") ? "" : fmt.ratio(r.measuredCpu), r.target, r.met ? "yes" : "NO"]),
    ["l", "r", "r", "r", "l"],
  );
}
