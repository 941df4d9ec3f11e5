// The training loop on a batched model (the softmax fixture): every row once per epoch, a
// reshuffle per epoch from the seed, the last partial batch through a module compiled for its
// size, bit-identical reruns, exact resumption, and stopping on a non-finite loss.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TrainConfig } from "../../src/train-spec.ts";
import type { GeneratedModule } from "../../src/runtime/contract.ts";
import { RESTORE_EVERY } from "../../src/runtime/trainer.ts";
import { loadParams } from "../../src/commands/params-file.ts";
import { simpleModule } from "./fixtures/simple-module.ts";
import { softmaxModule } from "./fixtures/softmax-module.ts";
import { blobs, blobX } from "./fixtures/two-blobs.ts";
import { tempDir, trainCaptured } from "./helpers/run.ts";

/** The softmax fixture, recording the batch size and first x value of every step it takes. */
function recorded(train: Partial<TrainConfig> = {}) {
  const calls: { batch: number; rows: string[] }[] = [];
  const make = (B: number): GeneratedModule => {
    const m = softmaxModule(B, train);
    return {
      ...m,
      step(params, data, hyper, state) {
        const x = data[0]!;
        calls.push({ batch: B, rows: Array.from({ length: B }, (_, r) => `${x[2 * r]},${x[2 * r + 1]}`) });
        return m.step(params, data, hyper, state);
      },
    };
  };
  return { calls, main: make(4), specialize: async (dim: string, b: number) => (expect(dim).toBe("B"), make(b)) };
}

const key = (row: number[]) => `${row[0]},${row[1]}`;

describe("minibatches", () => {
  it("visits every row once per epoch, the last 2 through a module compiled with B=2", async () => {
    const r = recorded({ epochs: 10 });
    const run = await trainCaptured(r.main, { specialize: r.specialize, data: blobs() });
    expect(run.outcome.kind).toBe("done");
    expect(r.calls.map((c) => c.batch)).toEqual(Array.from({ length: 10 }, () => [4, 4, 2]).flat());
    const epochs = [0, 1, 2].map((e) => r.calls.slice(3 * e, 3 * e + 3).flatMap((c) => c.rows));
    for (const rows of epochs) expect([...rows].sort()).toEqual(blobX.map(key).sort());
    // Reshuffled every epoch.
    expect(epochs[0]).not.toEqual(epochs[1]);
    expect(epochs[1]).not.toEqual(epochs[2]);
    expect(run.output).toContain("the last batch of each epoch has 2 examples");
    expect(run.output).toMatch(/epoch 10\/10 {2}loss [\d.]+ {2}train acc 100\.00%/);
  });

  it("keeps the data order when shuffle = false", async () => {
    const r = recorded({ epochs: 2, shuffle: false });
    await trainCaptured(r.main, { specialize: r.specialize, data: blobs() });
    const rows = r.calls.flatMap((c) => c.rows);
    expect(rows).toEqual([...blobX.map(key), ...blobX.map(key)]);
  });

  it("counts --steps across epochs and --epochs in whole passes", async () => {
    const r = recorded();
    const run = await trainCaptured(r.main, { specialize: r.specialize, data: blobs(), steps: 4 });
    expect(run.steps.map((s) => [s.epoch, s.batch])).toEqual([[0, 0], [0, 1], [0, 2], [1, 0]]);
    const r2 = recorded();
    await trainCaptured(r2.main, { specialize: r2.specialize, data: blobs(), epochs: 2 });
    expect(r2.calls).toHaveLength(6);
  });
});

describe("reproducibility", () => {
  it("gives byte-identical parameter files for the same seed, and different ones for another", async () => {
    const dir = tempDir();
    const files = [0, 1, 2].map((i) => join(dir, `p${i}.json`));
    for (const [i, seed] of [1, 1, 2].entries()) {
      await trainCaptured(softmaxModule(4, { optimizer: { kind: "adam", lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }), {
        specialize: async (_d, b) => softmaxModule(b, { optimizer: { kind: "adam", lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }),
        data: blobs(),
        seed,
        out: files[i]!,
      });
    }
    const [a, b, c] = files.map((f) => readFileSync(f, "utf8"));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(JSON.parse(a!).seed).toBe(1);
  });

  it("resumes from any step exactly as if it had never stopped (adam state included)", async () => {
    const adam: Partial<TrainConfig> = { optimizer: { kind: "adam", lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 }, epochs: 4 };
    const spec = async (_d: string, b: number) => softmaxModule(b, adam);
    const dir = tempDir();
    const straight = join(dir, "straight.json");
    await trainCaptured(softmaxModule(4, adam), { specialize: spec, data: blobs(), out: straight });

    // Stop after step 5 (mid-epoch: epoch 2, batch 2), then resume to the end.
    const part = join(dir, "part.json");
    let steps = 0;
    const first = await trainCaptured(softmaxModule(4, adam), { specialize: spec, data: blobs(), out: part, shouldStop: () => ++steps >= 5 });
    expect(first.outcome).toEqual({ kind: "stopped", step: 5 });
    const mid = JSON.parse(readFileSync(part, "utf8"));
    expect([mid.step, mid.epoch, mid.batch]).toEqual([5, 1, 2]);
    expect(Object.keys(mid.state)).toEqual(["W", "b"]);

    const module = softmaxModule(4, adam);
    const saved = loadParams(part, module.meta);
    const resumed = await trainCaptured(module, { specialize: spec, data: blobs(), out: part, resume: { file: part, saved } });
    expect(resumed.steps[0]!.step).toBe(6);
    expect(readFileSync(part, "utf8")).toBe(readFileSync(straight, "utf8"));
  });
});

describe("a loss that is not finite", () => {
  it("stops training and keeps the last parameters with a finite loss", async () => {
    const out = join(tempDir(), "p.json");
    const run = await trainCaptured(simpleModule(), { lr: 1.0, steps: 2000, out });
    expect(run.outcome.kind).toBe("diverged");
    if (run.outcome.kind !== "diverged") return;
    // w grows by −7× per step: (2w − 1)² overflows near w ≈ 1e154, after about 180 steps.
    expect(run.outcome.failedStep).toBeGreaterThan(150);
    expect(run.outcome.failedStep).toBeLessThan(200);
    // back at the last restore point (one every RESTORE_EVERY steps) whose own loss was finite
    expect(run.outcome.step).toBeLessThanOrEqual(run.outcome.failedStep - 2);
    expect(run.outcome.step).toBeGreaterThanOrEqual(run.outcome.failedStep - 1 - RESTORE_EVERY);
    expect(run.outcome.step % RESTORE_EVERY).toBe(0);
    const saved = JSON.parse(readFileSync(out, "utf8"));
    expect(saved.step).toBe(run.outcome.step);
    expect(Number.isFinite(saved.params.w)).toBe(true);
    const w = saved.params.w as number;
    expect(Number.isFinite((2 * w - 1) ** 2)).toBe(true);
    expect(saved.params.w).toBe(run.history[run.outcome.step - 1]![0]![0]);
  });
});

describe("checkpoints", () => {
  it("--checkpoint-every N saves the params after every N epochs while training goes on", async () => {
    const out = join(tempDir(), "ck.json");
    const seen: number[] = [];
    const r = recorded({ epochs: 5 });
    const run = await trainCaptured(r.main, {
      specialize: r.specialize,
      data: blobs(),
      out,
      checkpointEvery: 2,
      // Read the file after every step: it holds the last checkpoint.
      onStep: () => {
        try {
          seen.push(JSON.parse(readFileSync(out, "utf8")).step);
        } catch {
          seen.push(-1);
        }
      },
    });
    expect(run.output).toContain("saved checkpoint (epoch 2)");
    expect(run.output).toContain("saved checkpoint (epoch 4)");
    expect(run.output).not.toContain("saved checkpoint (epoch 5)");
    // After steps 1..15 (onStep runs before the epoch's end is handled): nothing until the end
    // of epoch 2 (step 6), then 6 until the end of epoch 4 (step 12).
    expect(seen).toEqual([-1, -1, -1, -1, -1, -1, 6, 6, 6, 6, 6, 6, 12, 12, 12]);
    expect(JSON.parse(readFileSync(out, "utf8")).step).toBe(15);
  });
});
