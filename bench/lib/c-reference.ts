// The C reference (bench/reference/mlp.c): compiled with gcc -O3 -march=native -ffast-math when a
// C compiler is present, then run on the workload's data and initial weights in its own process.
// It is the physical-limit row: scalar-free, vectorized float32 loops with no runtime around them.
// Its epochs are not interleaved with the other engines' (it is one process start per run), so the
// bench runs it RUNS times between the workload's other engines and reports median and spread.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Workload } from "../workloads.ts";

export const C_FLAGS = ["-O3", "-march=native", "-ffast-math"];

const binaries = new Map<string, string | null>();

/**
 * Compiles mlp.c for the workload's layer widths (compile-time constants, as netc's shapes are);
 * null when there is no C compiler (the row is then left out).
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

export interface CRun {
  /** Wall and CPU milliseconds of each timed epoch (the warm-up epoch left out). */
  epochMs: number[];
  epochCpuMs: number[];
  examplesPerEpoch: number;
  loss: number;
}

/** One run: a warm-up epoch and `epochs` timed ones on the first `n` digits. */
export function runCReference(w: Workload, train: { x: Float64Array; y: Float64Array }, n: number, initial: readonly Float64Array[], epochs: number): CRun {
  const bin = cReferenceBinary(w);
  if (!bin) throw new Error("no C compiler");
  const dir = mkdtempSync(join(tmpdir(), "netc-c-data-"));
  const nIn = w.layers[0]!;
  const nOut = w.layers[w.layers.length - 1]!;
  const data = join(dir, "data.bin");
  const weights = join(dir, "weights.bin");
  writeFileSync(data, Buffer.concat([f32(train.x.subarray(0, n * nIn)), f32(train.y.subarray(0, n * nOut))]));
  writeFileSync(weights, Buffer.concat(initial.map(f32)));
  const args = [w.hidden, w.head, String(w.batch), String(w.lr), String(epochs + 1), String(n), data, weights, ...w.layers.map(String)];
  const r = spawnSync(bin, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`C reference failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as { epoch: number; ms: number; cpuMs: number; loss: number });
  const timed = lines.slice(1);
  return { epochMs: timed.map((l) => l.ms), epochCpuMs: timed.map((l) => l.cpuMs), examplesPerEpoch: Math.floor(n / w.batch) * w.batch, loss: timed[timed.length - 1]!.loss };
}

function f32(a: ArrayLike<number>): Buffer {
  const t = Float32Array.from(a);
  return Buffer.from(t.buffer, t.byteOffset, t.byteLength);
}
