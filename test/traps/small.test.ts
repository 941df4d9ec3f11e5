// Small traps a new user hit: 1e999 is "out of range" (not "must be a number"), a `;`-separated
// CSV names its separator, `--resume` past the run's length says so instead of rewriting the file,
// and an f32 module's scalars (loss, scalar outputs and derivatives) are float32 like its tensors.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compile.ts";
import { netcHere, scratch } from "../contract/helpers.ts";

const tmp = scratch("small-traps");

describe("1e999 is out of range", () => {
  it.each([
    ["an input's default", "input x = 1e999\nf = x^2\ngrad f wrt x\n"],
    ["a literal in an expression", "param w = 0.5\nloss L = w^2 * 1e999\n"],
    ["a train setting", "param w = 1\nloss L = w^2\ntrain { optimizer = sgd(lr = 1e999) }\n"],
    ["an initializer argument", "param w = normal(0, 1e999)\nloss L = w^2\n"],
    ["a param fill", "param w = -1e999\nloss L = w^2\n"],
  ])("%s", async (_, model) => {
    const r = await netcHere("grad", tmp.file("", model));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/1e999 is out of range/);
    expect(r.stderr).not.toMatch(/must be a number|too large/);
  });

  it("on the command line: --lr 1e999", async () => {
    const r = await netcHere("train", "examples/simple.net", "--lr", "1e999");
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/'1e999' is out of range/);
  });
});

describe("a CSV separated by something else than commas", () => {
  const MODEL = tmp.file("lin.net", "dim B = 2\ninput x: [B]\ntarget y: [B]\nparam w = 0\nloss L = mean((x*w - y)^2)\n");
  it.each([
    ["semicolons", "x;y\n1;2\n3;4\n", "';'"],
    ["tabs", "x\ty\n1\t2\n3\t4\n", "tab"],
  ])("%s: the error names the separator", async (_, csv, sep) => {
    const r = await netcHere("train", MODEL, "--data", tmp.file(`${sep === "tab" ? "t" : "s"}.csv`, csv), "--out", join(tmp.dir, "o.json"));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(sep);
    expect(r.stderr).toMatch(/separated by/);
    expect(r.stderr).toMatch(/comma/);
  });
});

describe("--resume past the run's length", () => {
  it("says so, exits 0 and leaves the file as it was", async () => {
    const model = tmp.file("r.net", "param w = 0.8\ninput a = 2\ntarget d = 1\nloss C = (a*w - d)^2\ntrain { optimizer = sgd(lr = 0.1) steps = 5 }\n");
    const saved = join(tmp.dir, "r.params.json");
    expect((await netcHere("train", model, "--out", saved, "--quiet")).code).toBe(0);
    const before = readFileSync(saved, "utf8");
    const r = await netcHere("train", model, "--resume", saved, "--steps", "3");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/already trained: .*r\.params\.json is at step 5, and this run ends at step 3; nothing to do \(ask for more with --steps or --epochs\)/);
    expect(r.stdout).not.toMatch(/saved parameters/);
    expect(readFileSync(saved, "utf8")).toBe(before);
    // at exactly the target: the same
    const same = await netcHere("train", model, "--resume", saved, "--steps", "5");
    expect(same.stdout).toMatch(/already trained/);
    expect(readFileSync(saved, "utf8")).toBe(before);
  });
});

describe("--dtype f32 returns float32 scalars", () => {
  it("the loss, scalar derivatives and scalar values of an f32 module are float32 numbers", async () => {
    const src = "input a = 2\ntarget d = 1\nparam w = 0.8\nf = a * w\noutput o = f * 3\nloss C = (f - d)^2\n";
    const { module } = await compile(src, { file: "f32.net", dtype: "f32", format: false });
    const params = [Float32Array.of(0.8)];
    const data = [Float32Array.of(2), Float32Array.of(1)];
    const g = module.gradient(params, data);
    const f32 = (x: unknown) => typeof x === "number" && Object.is(Math.fround(x), x);
    expect(f32(g.loss), String(g.loss)).toBe(true);
    for (const v of [...g.grads, ...g.values]) expect(f32(v), String(v)).toBe(true);
    const fw = module.forward(params, data);
    expect(f32(fw.loss)).toBe(true);
    expect(f32(fw.outputs[0])).toBe(true);
    // and it is the float32 computation: (0.8f·2 − 1)² rounded, not the float64 one
    expect(g.loss).toBe(Math.fround((Math.fround(0.8) * 2 - 1) ** 2));
  });

  it("a reduction to a scalar (the mean of a batch's losses) is float32 too", async () => {
    const src = "dim B = 3\ninput x: [B, 2]\nparam w: [2] = 0.1\nloss L = mean((x @ w)^2)\n";
    const { module } = await compile(src, { file: "f32b.net", dtype: "f32", format: false });
    const r = module.gradient([Float32Array.of(0.1, 0.2)], [Float32Array.of(1, 2, 3, 4, 5, 6)]);
    expect(Object.is(Math.fround(r.loss), r.loss)).toBe(true);
    expect(r.loss).toBeCloseTo((0.5 ** 2 + 1.1 ** 2 + 1.7 ** 2) / 3, 5);
  });
});
