// dropout under --target wasm: the masks live in the module's memory and the loader exports them as
// `dropoutMasks` (views of that memory, ones by default), so the trainer fills them as it fills the
// JS target's. With masks set, gradients agree with the JS target; netc train (one thread and
// --workers 2) gives the JS target's losses.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import type { GeneratedModule, Tensor } from "../../src/runtime/contract.ts";
import { loadDataSource } from "../../src/data/source.ts";
import { irOf, load, loadWasm, randomLeaves, relError } from "./support.ts";
import { trainCaptured } from "../training/helpers/run.ts";

const MLP = readFileSync("test/codegen/fixtures/dropout-mlp.net", "utf8");
const MODELS: [string, string, Record<string, number>?][] = [
  ["dropout-mlp.net (a hidden layer and a weight matrix)", MLP, { B: 4 }],
  ["dropout.net (explain's model: a dropout of a param inside the loss)", readFileSync("test/explain/models/dropout.net", "utf8")],
];

/** A fixed pattern of zeros and 1/(1 - p), different for each site. */
function setMasks(mod: GeneratedModule): void {
  mod.dropoutMasks!.forEach((m, s) => {
    const keep = 1 / (1 - mod.meta.dropout![s]!.p);
    for (let k = 0; k < m.length; k++) m[k] = (k * 7 + s) % 3 === 0 ? 0 : keep;
  });
}

const asArray = (v: number | Tensor): Float64Array => Float64Array.from(typeof v === "number" ? [v] : v);

describe("dropout under --target wasm", () => {
  for (const [title, source, dims] of MODELS) {
    it(`${title}: masks in memory, ones by default; with masks set, the JS target's gradients`, async () => {
      const ir = irOf(source, "dropout.net", dims);
      const leaves = randomLeaves(ir, 3, -1, 1);
      const js = await load(ir, "f64");
      setMasks(js);
      const want = js.gradient(leaves.params, leaves.data);
      const expected = [...want.values, ...want.grads, want.loss].map(asArray);
      for (const dtype of ["f64", "f32"] as const) {
        const wasm = await loadWasm(ir, dtype);
        expect(wasm.dropoutMasks!.map((m) => m.length)).toEqual(wasm.meta.dropout!.map((d) => d.size));
        expect(wasm.dropoutMasks!.every((m) => m.every((v) => v === 1))).toBe(true);
        const identity = wasm.gradient(leaves.params, leaves.data).grads.map(asArray);
        setMasks(wasm);
        const got = wasm.gradient(leaves.params, leaves.data);
        const errors = [...got.values, ...got.grads, got.loss].map((v, i) => relError(v, expected[i]!));
        expect(Math.max(...errors), dtype).toBeLessThanOrEqual(dtype === "f64" ? 1e-12 : 1e-5);
        // the masks are read: with ones the gradient differs
        expect(identity.some((g, i) => relError(g, asArray(got.grads[i]!)) > 1e-3)).toBe(true);
      }
    });
  }

  it("netc train (in-process, f32): each step's loss is the JS target's within f32 rounding", async () => {
    const run = async (loader: typeof load): Promise<number[]> => {
      const at = (batch: number): Promise<GeneratedModule> => loader(irOf(MLP, "dropout-mlp.net", { B: batch }), "f32");
      const mod = await at(16);
      const r = await trainCaptured(mod, { data: loadDataSource("mnist", mod.meta.data), steps: 30, specialize: (_dim, batch) => at(batch) });
      return r.steps.map((s) => s.loss);
    };
    const js = await run(load);
    const wasm = await run(loadWasm);
    expect(wasm).toHaveLength(30);
    wasm.forEach((l, i) => expect(Math.abs(l - js[i]!), `step ${i + 1}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(js[i]!))));
  }, 60_000);

  it("netc train --workers 2 --target wasm trains a dropout model to the JS target's result", () => {
    const summary = (target: string, workers: string): string => {
      const r = spawnSync("npx", ["tsx", "src/cli.ts", "train", "test/codegen/fixtures/dropout-mlp.net", "--data", "mnist", "--steps", "20", "--dtype", "f32", "--target", target, "--workers", workers, "--quiet", "--out", "/dev/null"], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      return r.stdout.split("\n")[0]!.replace(/ in [\d.]+ s/, "");
    };
    const js = summary("js", "1");
    expect(js).toMatch(/^trained 20 steps: loss \d/);
    // the summary prints the loss to 4 digits and the test loss to 6: f32 rounding may move the last one
    const strip = (s: string): string => s.replace(/test loss [\d.]+/, "test loss …");
    expect(strip(summary("wasm", "1"))).toBe(strip(js));
    expect(strip(summary("wasm", "2"))).toBe(strip(js));
  }, 120_000);
});
