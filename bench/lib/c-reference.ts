// The C reference (bench/reference/mlp.c): compiled with gcc -O3 -march=native -ffast-math when a
// C compiler is present, then run on the workload's data and initial weights in its own process.
// It is the physical-limit row: vectorized float32 loops with no runtime around them. The bench
// drives it like any other engine (lib/spawn-worker.ts): one epoch per request, taking turns with
// the other engines, on the same shuffled order (written to a file before each epoch), and its
// final weights are evaluated on the test set by the same code as everyone else's.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createRng, permutation, type Rng } from "../../src/runtime/rng.ts";
import { loadMnist } from "./data.ts";
import { accuracy } from "./evaluate.ts";
import { initialParams } from "./init.ts";
import { paramShapes, workloadById, type Workload } from "../workloads.ts";
import type { ParentMessage, WorkerMessage, WorkerSpec } from "../worker.ts";
import type { EngineChild } from "./spawn-worker.ts";

export const C_FLAGS = ["-O3", "-march=native", "-ffast-math"];

const binaries = new Map<string, string | null>();

/** Why the workload has no C row (the row then reads "n/a"), or null when it has one. */
export function cReferenceMissing(w: Workload): string | null {
  if (w.convs) return "no C CNN: bench/reference/mlp.c is fully connected only";
  return cReferenceBinary(w) ? null : "no C compiler (gcc) found";
}

/**
 * Compiles mlp.c for the workload's layer widths (compile-time constants, as netc's shapes are);
 * null when there is no C compiler.
 */
export function cReferenceBinary(w: Workload): string | null {
  const key = w.layers.join(",");
  if (binaries.has(key)) return binaries.get(key)!;
  const dir = mkdtempSync(join(tmpdir(), "netc-c-"));
  const out = join(dir, "mlp");
  const r = spawnSync(process.env.CC ?? "gcc", [...C_FLAGS, `-DLAYERS={${key}}`, "-o", out, "bench/reference/mlp.c", "-lm"], { encoding: "utf8" });
  binaries.set(key, r.status === 0 ? out : null);
  return binaries.get(key)!;
}

/** The C program as one of runEngines' children: it answers ready, epoch and finish as bench/worker.ts does. */
export class CReferenceChild implements EngineChild {
  private readonly child: ChildProcess;
  private readonly lines: string[] = [];
  private waiting: (() => void) | null = null;
  private exited: string | null = null;
  private stderr = "";
  private readonly dir = mkdtempSync(join(tmpdir(), "netc-c-data-"));
  private readonly rng: Rng;
  private readonly n: number;
  private readonly w: Workload;
  private readonly t0 = performance.now();

  constructor(spec: WorkerSpec) {
    this.w = workloadById(spec.workload);
    const bin = cReferenceBinary(this.w);
    if (!bin) throw new Error("no C compiler");
    const { train } = loadMnist();
    this.n = Math.min(train.n, spec.trainLimit);
    this.rng = createRng(spec.shuffleSeed, "bench-shuffle");
    const nIn = this.w.layers[0]!;
    const nOut = this.w.layers[this.w.layers.length - 1]!;
    const file = (name: string, parts: ArrayLike<number>[]) => {
      const path = join(this.dir, name);
      writeFileSync(path, Buffer.concat(parts.map(f32)));
      return path;
    };
    const data = file("data.bin", [train.x.subarray(0, this.n * nIn), train.y.subarray(0, this.n * nOut)]);
    const weights = file("weights.bin", initialParams(this.w, spec.initSeed));
    const args = [this.w.hidden, this.w.head, String(this.w.batch), String(this.w.lr), String(this.n), data, weights, join(this.dir, "order.bin"), ...this.w.layers.map(String)];
    this.child = spawn(bin, args, { stdio: ["pipe", "pipe", "pipe"] });
    createInterface({ input: this.child.stdout! }).on("line", (l) => this.push(l));
    this.child.stderr!.on("data", (d: Buffer) => (this.stderr += d.toString()));
    this.child.on("exit", (code) => {
      this.exited = `C reference exited with status ${code}${this.stderr ? `: ${this.stderr.trim().slice(0, 200)}` : ""}`;
      this.push(null);
    });
  }

  private push(line: string | null): void {
    if (line !== null) this.lines.push(line);
    const w = this.waiting;
    this.waiting = null;
    w?.();
  }

  /** The next line the program prints (null when it has exited). */
  private async line(timeoutMs: number): Promise<string | null> {
    const deadline = Date.now() + timeoutMs;
    while (this.lines.length === 0 && this.exited === null) {
      const left = deadline - Date.now();
      if (left <= 0) {
        this.kill();
        throw new Error(`timed out after ${timeoutMs / 1000} s`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.lines.shift() ?? null;
  }

  async next(cmd?: ParentMessage, timeoutMs = 600_000): Promise<WorkerMessage> {
    try {
      if (cmd?.cmd === "epoch") {
        // the epoch's order, drawn from the same seeded stream as EpochRunner's
        const order = permutation(this.n, this.rng);
        writeFileSync(join(this.dir, "order.bin"), Buffer.from(order.buffer, order.byteOffset, order.byteLength));
        this.child.stdin!.write("epoch\n");
      } else if (cmd?.cmd === "finish") this.child.stdin!.write(`finish ${join(this.dir, "trained.bin")}\n`);
      const text = await this.line(timeoutMs);
      if (text === null) return { kind: "error", message: this.exited ?? "C reference stopped" };
      const m = JSON.parse(text) as { ready?: boolean; ms?: number; cpuMs?: number; finished?: boolean; maxRssKB?: number };
      if (m.ready) {
        const examplesPerEpoch = Math.floor(this.n / this.w.batch) * this.w.batch;
        return { kind: "ready", note: `C, float32, gcc ${C_FLAGS.join(" ")}`, examplesPerEpoch, setupMs: performance.now() - this.t0, baseRssMB: NaN };
      }
      if (m.finished) return { kind: "finished", accuracy: accuracy(this.w, this.trained(), loadMnist().test), peakRssMB: m.maxRssKB! / 1024 };
      return { kind: "epoch", ms: m.ms!, cpuMs: m.cpuMs! };
    } catch (err) {
      return { kind: "error", message: err instanceof Error ? err.message : String(err) };
    }
  }

  /** The weights the program wrote at finish, as float64 arrays in netc's layout. */
  private trained(): Float64Array[] {
    const bytes = readFileSync(join(this.dir, "trained.bin"));
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    let at = 0;
    return paramShapes(this.w).map((s) => {
      const size = s.reduce((a, b) => a * b, 1);
      const p = Float64Array.from(all.subarray(at, at + size));
      at += size;
      return p;
    });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

function f32(a: ArrayLike<number>): Buffer {
  const t = Float32Array.from(a);
  return Buffer.from(t.buffer, t.byteOffset, t.byteLength);
}
