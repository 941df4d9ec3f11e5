// The README's benchmark table, rendered from one `npm run bench -- --json FILE` run (its results
// file, bench/results/latest.json by convention): every engine of every workload with its median
// examples/s, the spread of its timed epochs, its speed ÷ TF.js-WASM and ÷ the C reference (wall
// and CPU time), and its test accuracy; then the zero-skip's share. scripts/docs-figures.ts writes
// it into README.md (region readme-bench), so the table is never copied by hand.
import type { EngineOutcome, EngineResult } from "./spawn-worker.ts";
import { WORKLOADS, type EngineName } from "../workloads.ts";
import { fmt } from "./table.ts";

/** What renderBenchTable reads of a results file (bench/run.ts writes it with --json). */
export interface BenchResults {
  date?: string;
  machine: { cores: number; cpu: string; memGB: number; node: string; platform: string };
  /** Load average (1 min) when the run started and when it ended. */
  load?: { start: number; end: number };
  options: { quick: boolean; epochs: number; skipScaling: boolean };
  results: EngineOutcome[];
}

const ok = (o: EngineOutcome): o is EngineResult => !("error" in o);

/** Engines in the order the table lists them: netc's four, the references, then TF.js. */
const ORDER: EngineName[] = ["netc-f64", "netc-f64-w2", "netc-f32", "netc-f32-dense", "netc-wasm-f32", "netc-wasm-f32-dense", "c-reference", "reference", "tfjs-cpu", "tfjs-wasm"];

/** (max − min) / 2 of the timed epochs' wall times, as a share of the median. */
const spread = (o: EngineResult): string => {
  const ms = o.epochs.map((e) => e.ms);
  return `±${((50 * (Math.max(...ms) - Math.min(...ms))) / o.medianEpochMs).toFixed(0)}%`;
};

/** `a ÷ b` by wall time, and by CPU time in parentheses when they differ by more than 10%. */
function ratio(a: EngineResult, b: EngineResult | undefined): string {
  if (!b) return "—";
  const wall = a.examplesPerSec / b.examplesPerSec;
  const cpu = b.medianEpochCpuMs / a.medianEpochCpuMs;
  const both = Math.abs(cpu / wall - 1) > 0.1 ? ` (${fmt.ratio(cpu)} CPU)` : "";
  return `${fmt.ratio(wall)}${both}`;
}

export function renderBenchTable(r: BenchResults): string {
  const m = r.machine;
  const out: string[] = [];
  const when = r.date ? ` at ${r.date.replace("T", " ").replace(/:\d\d\.\d+Z$/, " UTC")}` : "";
  const load = r.load ? `; load average ${r.load.start.toFixed(1)} at the start, ${r.load.end.toFixed(1)} at the end` : "";
  out.push(
    `One \`npm run bench${r.options.quick ? " -- --quick" : ""}\` run${when} (${m.cores} cores, ${m.cpu}, ${m.memGB} GB, Node ${m.node}, ${m.platform}${load}): ` +
      `median of ${r.options.epochs} timed epochs per engine, the engines of a workload taking turns epoch by epoch. ` +
      "Ratios by wall time, with the CPU-time ratio beside it where the two differ by more than 10%.",
    "",
    "| workload | engine | examples/s | spread | ÷ TF.js-WASM | ÷ C | test acc |",
    "|---|---|---:|---:|---:|---:|---:|",
  );
  const shares: string[] = [];
  const threads: string[] = [];
  for (const w of WORKLOADS) {
    const rows = r.results.filter((o) => o.workload === w.id);
    if (rows.length === 0) continue;
    const get = (e: EngineName) => rows.find((o): o is EngineResult => o.engine === e && ok(o));
    const tfw = get("tfjs-wasm");
    const c = get("c-reference");
    const sorted = [...rows].sort((a, b) => ORDER.indexOf(a.engine) - ORDER.indexOf(b.engine));
    sorted.forEach((o, k) => {
      const label = k === 0 ? `${w.id}: ${w.title}` : "";
      if (!ok(o)) out.push(`| ${label} | ${o.engine} | ${o.na ? "n/a" : "failed"} | | | | ${o.error.slice(0, 80).replace(/\|/g, "/")} |`);
      else out.push(`| ${label} | ${o.engine} | ${fmt.int(o.examplesPerSec)} | ${spread(o)} | ${o === tfw ? "1.00×" : ratio(o, tfw)} | ${o === c ? "1.00×" : ratio(o, c)} | ${Number.isFinite(o.accuracy) ? fmt.pct(o.accuracy) : "—"} |`);
    });
    const skip = get("netc-f32");
    const dense = get("netc-f32-dense");
    if (skip && dense) shares.push(`${w.id} ${ratio(skip, dense)}`);
    const two = get("netc-f64-w2");
    const one = get("netc-f64");
    // CPU time per epoch of both threads against one thread's: what the speed-up costs
    if (two && one) threads.push(`${w.id} ${fmt.ratio(two.examplesPerSec / one.examplesPerSec)} by wall time, for ${fmt.ratio(two.medianEpochCpuMs / one.medianEpochCpuMs)} the CPU time`);
  }
  const missing = WORKLOADS.filter((w) => !r.results.some((o) => o.workload === w.id)).map((w) => w.id);
  if (missing.length > 0) out.push("", `Not in this run: ${missing.join(", ")} (\`--only\`).`);
  if (threads.length > 0) {
    out.push(
      "",
      `**Both cores** (netc-f64-w2 ÷ netc-f64: \`netc train --workers 2\` against one thread, the same generated code; the threads wait for each other and add up their gradients, hence the extra CPU time): ${threads.join(", ")}.`,
    );
  }
  if (shares.length > 0) {
    out.push(
      "",
      `**The zero-skip's share** (netc-f32 ÷ netc-f32-dense: the JS target with and without skipping the zeros of inputs and relu outputs): ${shares.join(", ")}.`,
    );
  }
  return out.join("\n");
}
