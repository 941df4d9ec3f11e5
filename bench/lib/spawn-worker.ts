// The parent's side of bench/worker.ts: start one child per engine, then drive them epoch by
// epoch, round-robin, so that all engines of a workload share the machine's conditions. The C
// reference is such a child too (lib/c-reference.ts), driven over its stdin.
import { fork, type ChildProcess } from "node:child_process";
import type { ParentMessage, WorkerMessage, WorkerReady, WorkerSpec } from "../worker.ts";
import type { EpochTime } from "./train-loop.ts";
import { median } from "./stats.ts";
import type { EngineName } from "../workloads.ts";
import { CReferenceChild } from "./c-reference.ts";

export interface EngineResult {
  workload: string;
  engine: EngineName;
  note: string;
  examplesPerEpoch: number;
  epochs: EpochTime[];
  medianEpochMs: number;
  medianEpochCpuMs: number;
  examplesPerSec: number;
  accuracy: number;
  setupMs: number;
  baseRssMB: number;
  peakRssMB: number;
}

/** An engine that did not run: `na` when it does not apply to the workload (no C CNN), else it failed. */
export type EngineOutcome = EngineResult | { workload: string; engine: EngineName; error: string; na?: boolean };

/** One engine's process, answering the parent's requests (bench/worker.ts's protocol). */
export interface EngineChild {
  next(cmd?: ParentMessage, timeoutMs?: number): Promise<WorkerMessage>;
  kill(): void;
}

/** Pause between two engines' epochs. */
const SETTLE_MS = 100;

class Worker implements EngineChild {
  private stderr = "";
  private waiting: ((m: WorkerMessage) => void) | null = null;
  private readonly child: ChildProcess;

  constructor(readonly spec: WorkerSpec) {
    this.child = fork("bench/worker.ts", [JSON.stringify(spec)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "pipe", "ipc"] });
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.child.on("message", (m: WorkerMessage) => this.resolve(m));
    this.child.on("exit", (code) => this.resolve({ kind: "error", message: this.why(code) }));
  }

  private why(code: number | null): string {
    const lines = this.stderr.split("\n").filter((l) => l.trim() && !/^=+$|Hi, looks like|npm warn/.test(l));
    return lines.slice(0, 3).join(" / ") || `worker exited with status ${code}`;
  }

  private resolve(m: WorkerMessage): void {
    const w = this.waiting;
    this.waiting = null;
    w?.(m);
  }

  next(cmd?: ParentMessage, timeoutMs = 600_000): Promise<WorkerMessage> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill();
        this.resolve({ kind: "error", message: `timed out after ${timeoutMs / 1000} s` });
      }, timeoutMs);
      this.waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      if (cmd) this.child.send(cmd);
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Runs every spec's engine: `warmup` untimed epochs then `epochs` timed ones, interleaved. */
export async function runEngines(specs: readonly WorkerSpec[], warmup: number, epochs: number, timeoutMs: number, onProgress: (s: string) => void): Promise<EngineOutcome[]> {
  type Live = { w: EngineChild; ready: WorkerReady; times: EpochTime[] };
  const live: (Live | { error: string })[] = [];
  // Start the children one at a time so their start-up does not overlap anyone's timed epoch.
  for (const spec of specs) {
    const w: EngineChild = spec.engine === "c-reference" ? new CReferenceChild(spec) : new Worker(spec);
    const m = await w.next(undefined, timeoutMs);
    live.push(m.kind === "ready" ? { w, ready: m, times: [] } : { error: m.kind === "error" ? m.message : `unexpected ${m.kind}` });
    if (m.kind !== "ready") w.kill();
  }
  for (let e = 0; e < warmup + epochs; e++) {
    onProgress(`epoch ${e + 1}/${warmup + epochs}${e < warmup ? " (warm-up)" : ""}`);
    for (let k = 0; k < live.length; k++) {
      const l = live[k]!;
      if ("error" in l) continue;
      // Let the previous engine's background threads (GC, JIT) go quiet before timing the next one.
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const m = await l.w.next({ cmd: "epoch" }, timeoutMs);
      if (m.kind === "epoch") {
        if (e >= warmup) l.times.push({ ms: m.ms, cpuMs: m.cpuMs });
      } else {
        l.w.kill();
        live[k] = { error: m.kind === "error" ? m.message : `unexpected ${m.kind}` };
      }
    }
  }
  const out: EngineOutcome[] = [];
  for (let k = 0; k < live.length; k++) {
    const l = live[k]!;
    const { workload, engine } = specs[k]!;
    if ("error" in l) {
      out.push({ workload, engine, error: l.error });
      continue;
    }
    const m = await l.w.next({ cmd: "finish" }, timeoutMs);
    l.w.kill();
    if (m.kind !== "finished") {
      out.push({ workload, engine, error: m.kind === "error" ? m.message : `unexpected ${m.kind}` });
      continue;
    }
    const medianEpochMs = median(l.times.map((t) => t.ms));
    out.push({
      workload,
      engine,
      note: l.ready.note,
      examplesPerEpoch: l.ready.examplesPerEpoch,
      epochs: l.times,
      medianEpochMs,
      medianEpochCpuMs: median(l.times.map((t) => t.cpuMs)),
      examplesPerSec: l.ready.examplesPerEpoch / (medianEpochMs / 1000),
      accuracy: m.accuracy,
      setupMs: l.ready.setupMs,
      baseRssMB: l.ready.baseRssMB,
      peakRssMB: m.peakRssMB,
    });
  }
  return out;
}
