// Data-parallel training (`netc train --workers N`, src/runtime/parallel): the batch cut into
// shards, the shards' gradients adding up to the whole batch's (a mean over the batch, a sum, uneven
// shards, the last partial batch), the same N giving bit-identical params, stopping and resuming,
// the divergence guard, a loss that couples the rows refused, and a failing or dying worker
// reported instead of waited on.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, compileToText, type Target } from "../../src/compile.ts";
import { specializer } from "../../src/commands/specialize.ts";
import type { Dtype, GeneratedModule } from "../../src/runtime/contract.ts";
import type { DataSplit } from "../../src/runtime/dataset.ts";
import { bindData } from "../../src/runtime/feed.ts";
import { loadModule } from "../../src/runtime/load.ts";
import { ModuleSet } from "../../src/runtime/modules.ts";
import { cutBatch, shareTensors } from "../../src/runtime/parallel/index.ts";
import { train } from "../../src/runtime/trainer.ts";
import { UsageError } from "../../src/diagnostics.ts";
import { createRng } from "../../src/runtime/rng.ts";
import { tempDir, trainCaptured } from "./helpers/run.ts";
import { loadParams } from "../../src/commands/params-file.ts";
import { netc } from "./helpers/cli.ts";
import { writeFileSync } from "node:fs";

/** A small batched model: 23 rows in batches of 5 (shards of 3 and 2; the last batch has 3 rows). */
const model = (loss: string, optimizer = "adam(lr = 0.05)") => `model tiny
dim B = 5
input  x: [B, 3]
target y: [B, 2]
param W: [3, 2] = xavier
param b: [2] = zeros
output yhat = sigmoid(x @ W + b)
loss L = ${loss}
train {
  optimizer = ${optimizer}
  epochs = 3
  seed = 4
}
`;
const MEAN = "mean(sum((yhat - y)^2, 1))";

function data(n = 23): DataSplit {
  const rng = createRng(7, "test-data");
  const x = Float64Array.from({ length: n * 3 }, () => rng.normal());
  const y = Float64Array.from({ length: n * 2 }, (_, i) => (i % 2 === 0 ? (x[(i >> 1) * 3]! > 0 ? 1 : 0) : x[(i >> 1) * 3 + 1]! > 0 ? 1 : 0));
  const tensors = new Map([
    ["x", { name: "x", data: x, shape: [n, 3] }],
    ["y", { name: "y", data: y, shape: [n, 2] }],
  ]);
  return { train: { origin: "test data", tensors, positional: false }, test: null };
}

async function compiled(source: string, target: Target = "js", dtype: Dtype = "f64") {
  const { module } = await compile(source, { file: "tiny.net", dtype, format: false, target });
  return { module, specialize: specializer(source, "tiny.net", dtype, {}, target) };
}

async function run(source: string, workers: number, options: { target?: Target; dtype?: Dtype } = {}) {
  const { module, specialize } = await compiled(source, options.target, options.dtype);
  const out = join(tempDir(), "params.json");
  const result = await trainCaptured(module, { specialize, data: data(), workers, out });
  return { ...result, saved: readFileSync(out) };
}

describe("cutting a batch", () => {
  it("gives the first shards one row more, and never an empty shard", () => {
    expect(cutBatch(32, 2)).toEqual({ sizes: [16, 16], starts: [0, 16] });
    expect(cutBatch(5, 2)).toEqual({ sizes: [3, 2], starts: [0, 3] });
    expect(cutBatch(7, 3)).toEqual({ sizes: [3, 2, 2], starts: [0, 3, 5] });
    expect(cutBatch(2, 3)).toEqual({ sizes: [1, 1], starts: [0, 1] });
  });
});

describe("--workers 2", () => {
  it("follows one thread's training step by step (uneven shards, last partial batch, adam), and saves the same bytes twice", async () => {
    const one = await run(model(MEAN), 1);
    const two = await run(model(MEAN), 2);
    const again = await run(model(MEAN), 2);
    expect(two.steps.map((s) => s.batchSize)).toEqual(one.steps.map((s) => s.batchSize));
    expect(two.steps.map((s) => s.batchSize).slice(0, 5)).toEqual([5, 5, 5, 5, 3]);
    two.steps.forEach((s, i) => expect(s.loss).toBeCloseTo(one.steps[i]!.loss, 12));
    two.params.forEach((p, k) => p.forEach((v, i) => expect(v).toBeCloseTo(one.params[k]![i]!, 12)));
    expect(two.output).toContain("on 2 threads");
    expect(again.saved.equals(two.saved)).toBe(true);
  });

  it("stops (Ctrl-C) and resumes mid-epoch exactly as if it had never stopped", async () => {
    const { module, specialize } = await compiled(model(MEAN));
    const dir = tempDir();
    const straight = join(dir, "straight.json");
    await trainCaptured(module, { specialize, data: data(), workers: 2, out: straight });
    const part = join(dir, "part.json");
    let steps = 0;
    const first = await trainCaptured(module, { specialize, data: data(), workers: 2, out: part, shouldStop: () => ++steps >= 7 });
    expect(first.outcome).toEqual({ kind: "stopped", step: 7 });
    const saved = loadParams(part, module.meta);
    const resumed = await trainCaptured(module, { specialize, data: data(), workers: 2, out: part, resume: { file: part, saved } });
    expect(resumed.steps[0]!.step).toBe(8);
    expect(readFileSync(part, "utf8")).toBe(readFileSync(straight, "utf8"));
  });

  it("stops on a loss that is not finite, with the last finite params, as one thread does", async () => {
    const linear = model(MEAN, "sgd(lr = 1e10)").replace("sigmoid(x @ W + b)", "x @ W + b").replace("epochs = 3", "epochs = 30");
    const one = await run(linear, 1);
    const two = await run(linear, 2);
    expect(two.outcome.kind).toBe("diverged");
    expect(two.outcome).toEqual(one.outcome);
  });

  it("drops, per step, exactly the entries one thread drops (dropout masks cut by rows), and the same bytes twice", async () => {
    const withDropout = (p: number) =>
      model(MEAN).replace("param b: [2] = zeros", "param b: [2] = zeros\nparam V: [2, 2] = xavier").replace("output yhat = sigmoid(x @ W + b)", `output yhat = sigmoid(dropout(relu(x @ W + b), ${p}) @ V)`);
    const one = await run(withDropout(0.4), 1);
    const two = await run(withDropout(0.4), 2);
    const again = await run(withDropout(0.4), 2);
    const none = await run(withDropout(0), 2);
    two.steps.forEach((s, i) => expect(s.loss).toBeCloseTo(one.steps[i]!.loss, 12));
    two.params.forEach((p, k) => p.forEach((v, i) => expect(v).toBeCloseTo(one.params[k]![i]!, 12)));
    expect(again.saved.equals(two.saved)).toBe(true);
    // and dropout was active: p = 0 trains otherwise
    expect(none.steps.map((s) => s.loss)).not.toEqual(two.steps.map((s) => s.loss));
  });

  it("adds the shards of a loss summed over the batch with weight 1", async () => {
    const loss = "sum(sum((yhat - y)^2, 1))";
    const one = await run(model(loss, "sgd(lr = 0.05, momentum = 0.9)"), 1);
    const two = await run(model(loss, "sgd(lr = 0.05, momentum = 0.9)"), 2);
    two.steps.forEach((s, i) => expect(s.loss).toBeCloseTo(one.steps[i]!.loss, 10));
    two.params.forEach((p, k) => p.forEach((v, i) => expect(v).toBeCloseTo(one.params[k]![i]!, 10)));
  });

  it("runs the wasm target too, and bit-identically twice", async () => {
    const one = await run(model(MEAN), 1, { target: "wasm", dtype: "f32" });
    const two = await run(model(MEAN), 2, { target: "wasm", dtype: "f32" });
    const again = await run(model(MEAN), 2, { target: "wasm", dtype: "f32" });
    two.steps.forEach((s, i) => expect(Math.abs(s.loss - one.steps[i]!.loss)).toBeLessThan(1e-5));
    expect(again.saved.equals(two.saved)).toBe(true);
  });

  it("refuses a loss that couples the rows of a batch, naming it", async () => {
    // the squared mean over the batch is not a mean (or a sum) of one term per example
    await expect(run(model("sum(mean(yhat - y, 0)^2)"), 2)).rejects.toThrow(
      /the loss L of tiny is neither a mean nor a sum over B of one term per example .*cannot be split across threads/,
    );
    await expect(run(model("sum(mean(yhat - y, 0)^2)"), 2)).rejects.toBeInstanceOf(UsageError);
  });

  it("clamps to the batch size and says so; a model without batches trains on one thread", async () => {
    const six = await run(model(MEAN), 6);
    expect(six.output).toContain("--workers 6: a batch has 5 examples, so at most 5 threads can share it; using 5");
    const { module } = await compiled("model s\nparam w = 1\nloss L = (w - 3)^2\ntrain { optimizer = sgd(lr = 0.1) steps = 3 }\n");
    const r = await trainCaptured(module, { workers: 2 });
    expect(r.output).toContain("--workers 2: the model takes no data in batches, so there is nothing to split; training on one thread");
  });
});

describe("a worker that fails", () => {
  /** The tiny model, whose shard modules run `body` first when called in a worker thread. */
  async function failing(body: string): Promise<{ module: GeneratedModule; modules: ModuleSet }> {
    const { module } = await compiled(model(MEAN));
    const broken = async (_dim: string, batch: number) => {
      const { text } = await compileToText(model(MEAN), { file: "tiny.net", dims: { B: batch }, lang: "js", format: false });
      const js =
        text.replace("export function gradient(", "function gradientHere(") +
        `\nimport { isMainThread } from "node:worker_threads";\nexport function gradient(params, data) { if (!isMainThread) { ${body} } return gradientHere(params, data); }\n`;
      return loadModule(js, `broken-${batch}`);
    };
    return { module, modules: new ModuleSet(module, "B", broken) };
  }

  function trainWith(modules: ModuleSet, module: GeneratedModule) {
    const feed = bindData(module.meta, data().train);
    const params = shareTensors("f64", [new Float64Array(6).fill(0.1), new Float64Array(2)]);
    const state = shareTensors("f64", [new Float64Array(6), new Float64Array(6), new Float64Array(2), new Float64Array(2)]);
    return train({ modules, feed, params, state, startStep: 0, totalSteps: 6, seed: 1, shuffle: true, lr: 0.05, schedule: { kind: "constant" }, shards: 2 });
  }

  it("reports the worker's exception", async () => {
    const { module, modules } = await failing(`throw new Error("boom in a worker");`);
    await expect(trainWith(modules, module)).rejects.toThrow(/worker thread 1 of 2 failed: boom in a worker/);
  });

  it("reports a worker that exits, instead of waiting for it", async () => {
    const { module, modules } = await failing("process.exit(3);");
    await expect(trainWith(modules, module)).rejects.toThrow(/worker thread 1 exited unexpectedly \(status 3\)/);
  });
});

describe("netc train --workers, as a user runs it", () => {
  it("names the flag in the refusal (exit 2), and trains with it otherwise", async () => {
    const dir = tempDir();
    const split = data();
    const rows = (name: string, width: number) => {
      const t = split.train.tensors.get(name)!.data;
      return Array.from({ length: t.length / width }, (_, r) => Array.from(t.subarray(r * width, (r + 1) * width)));
    };
    writeFileSync(join(dir, "d.json"), JSON.stringify({ x: rows("x", 3), y: rows("y", 2) }));
    writeFileSync(join(dir, "bad.net"), model("sum(mean(yhat - y, 0)^2)"));
    writeFileSync(join(dir, "good.net"), model(MEAN));
    const bad = await netc(["train", join(dir, "bad.net"), "--data", join(dir, "d.json"), "--workers", "2", "--out", join(dir, "b.json")]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^netc: error: --workers 2: the loss L of tiny is neither a mean nor a sum over B .*; train with --workers 1\n$/);
    const good = await netc(["train", join(dir, "good.net"), "--data", join(dir, "d.json"), "--workers", "2", "--quiet", "--out", join(dir, "g.json")]);
    expect(good.code).toBe(0);
    expect(good.stdout).toContain("trained 3 epochs (15 steps)");
    const zero = await netc(["train", join(dir, "good.net"), "--workers", "0"]);
    expect(zero.code).toBe(2);
  });
});

