// Turns worker results into the printed tables: one per workload with examples/second, time per
// epoch, peak RSS, test accuracy and each engine's speed relative to netc f64, then the issue's
// targets with the measured ratios.
import type { EngineOutcome as Outcome, EngineResult } from "./spawn-worker.ts";
import type { EngineName, Workload } from "../workloads.ts";
import { fmt, table } from "./table.ts";

export const isOk = (o: Outcome): o is EngineResult => !("error" in o);

export function workloadTable(w: Workload, outcomes: readonly Outcome[]): string {
  const base = outcomes.find((o) => o.engine === "netc-f64" && isOk(o)) as EngineResult | undefined;
  const rows = outcomes.map((o) => {
    if (!isOk(o)) return [o.engine, "failed", "", "", "", "", "", "", o.error.slice(0, 160)];
    return [
      o.engine,
      fmt.int(o.examplesPerSec),
      fmt.fixed(o.medianEpochMs, 1),
      fmt.fixed(o.medianEpochCpuMs, 1),
      fmt.fixed(o.peakRssMB, 0),
      fmt.fixed(o.peakRssMB - o.baseRssMB, 0),
      fmt.pct(o.accuracy),
      base ? fmt.ratio(base.examplesPerSec / o.examplesPerSec) : "—",
      o.note,
    ];
  });
  return table(
    ["engine", "examples/s", "ms/epoch", "CPU ms/epoch", "peak RSS MB", "RSS over data MB", "test acc", "netc-f64 speed-up", "notes"],
    rows,
    ["l", "r", "r", "r", "r", "r", "r", "r", "l"],
  );
}

interface Target {
  workload: string;
  engine: EngineName;
  min: number;
}

const TARGETS: Target[] = [
  { workload: "w1", engine: "tfjs-cpu", min: 5 },
  { workload: "w1", engine: "tfjs-wasm", min: 1.5 },
  { workload: "w1", engine: "reference", min: 0.8 },
  { workload: "w3", engine: "tfjs-cpu", min: 5 },
  { workload: "w3", engine: "tfjs-wasm", min: 1.0 },
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
    const netc = get(t.workload, "netc-f64");
    const other = get(t.workload, t.engine);
    if (!netc || !other) continue;
    const measured = netc.examplesPerSec / other.examplesPerSec;
    const measuredCpu = other.medianEpochCpuMs / netc.medianEpochCpuMs;
    out.push({ what: `${t.workload}: netc-f64 speed ÷ ${t.engine} speed`, measured, measuredCpu, target: `≥ ${t.min}×`, met: measured >= t.min });
  }
  for (const w of workloads) {
    const accs = outcomes.filter((o): o is EngineResult => o.workload === w.id && isOk(o)).map((o) => o.accuracy);
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
