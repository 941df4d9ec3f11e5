// The wasm target (src/codegen/wasm): every example and random compositions of every op agree
// with the reference interpreter (f64: tightly; f32: to float32 tolerance); the module's own
// buffers skip the copies; the loader runs in plain Node with nothing but itself; an op the
// target lacks is a FILE:LINE:COL error.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { agreement, irOf, loadWasm, randomLeaves } from "./support.ts";
import { randomModel } from "./random-model.ts";
import { examples } from "../support/examples.ts";
import { ops } from "../../src/ops/registry.ts";
import { wasmOps } from "../../src/codegen/wasm/ops.ts";
import { unsupportedError } from "../../src/codegen/wasm/index.ts";
import type { GeneratedModule, Tensor } from "../../src/runtime/contract.ts";

/** Relative to the largest entry: f32 rounding of sums of ~800 products stays well inside 1e-4. */
const F32 = 1e-4;
const F64 = 1e-12;

/** The examples, and the bench's CNN until it moves to examples/ (its ops: conv, pool, reshape). */
function models(): { name: string; file: string; source: string }[] {
  const list = examples();
  const cnn = "bench/models/mnist_cnn.net";
  if (!list.some((e) => e.name === "mnist_cnn") && existsSync(cnn)) list.push({ name: "mnist_cnn", file: cnn, source: readFileSync(cnn, "utf8") });
  return list;
}

describe("wasm target", () => {
  for (const ex of models()) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`${ex.name} (${dtype}) agrees with the interpreter`, async () => {
        const ir = irOf(ex.source, ex.file);
        const mod = await loadWasm(ir, dtype);
        const a = agreement(ir, mod, randomLeaves(ir, 7, -1, 1));
        const bad = a.errors.filter((e) => !(e.error <= (dtype === "f64" ? F64 : F32)));
        expect(bad, ex.file).toEqual([]);
      }, 30_000);
    }
  }

  it("random compositions of every op agree with the interpreter (f64, 1e-12)", async () => {
    let models = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const source = randomModel(seed, { named: seed % 2 === 0 });
        const ir = irOf(source, `random-${seed}.net`);
        const mod = await loadWasm(ir);
        const a = agreement(ir, mod, randomLeaves(ir, seed, -1.5, 1.5));
        const bad = a.errors.filter((e) => !(e.error <= F64));
        if (bad.length > 0) throw new Error(`disagreement ${JSON.stringify(bad)} for model:\n${source}`);
        models++;
      }),
      { numRuns: 40, seed: 20261130 },
    );
    expect(models).toBe(40);
  }, 120_000);

  // issue 13's ops that no example uses (or not at these shapes): each model reaches its kernels
  // forward and backward (a max reduction's mask, take's scatter, the element-wise derivatives)
  const ISSUE13: [string, string][] = [
    [
      "take, take_grad, bce_with_logits, leaky_relu, elu, clip, log1p, square",
      "dim B = 3\nparam E: [5, 4] = normal(0, 1)\ninput tok: [B, 2]\ntarget y: [B, 4]\n" +
        "h = leaky_relu(mean(take(E, tok), 1), alpha = 0.2) + sum(elu(clip(take(E, tok), lo = -0.5, hi = 0.7), alpha = 1.5), 1)\n" +
        "output o = log1p(square(h))\nloss L = bce_with_logits(h, y) + sum(o)\n",
    ],
    [
      "max/min reductions (masks), keepdims, gelu, normal_cdf, reshape",
      "param A: [3, 4, 2] = normal(0, 1)\ninput x: [3, 8]\n" +
        "m = max(A, axis = 1, keepdims = true)\nn = min(reshape(x, [3, 4, 2]), axis = 2)\n" +
        "output o = gelu(A - m) * normal_cdf(reshape(n, [3, 4, 1]))\nloss L = sum(o) + max(x) + sum(min(A, axis = 0))\ngrad L wrt x\n",
    ],
    ["slices and pad", readFileSync("test/explain/models/slicing.net", "utf8") + "grad L wrt x\n"],
    ["concat", readFileSync("test/explain/models/concat.net", "utf8")],
  ];
  it.each(ISSUE13)("%s agree with the interpreter (f64 and f32)", async (_name, source) => {
    const ir = irOf(source, "ops.net");
    for (const dtype of ["f64", "f32"] as const) {
      const mod = await loadWasm(ir, dtype);
      const a = agreement(ir, mod, randomLeaves(ir, 11, -1.5, 1.5));
      const bad = a.errors.filter((e) => !(e.error <= (dtype === "f64" ? F64 : F32)));
      expect(bad, dtype).toEqual([]);
    }
  });

  it("refuses an index that is not a row number before the module runs, naming the entry", async () => {
    const ir = irOf(ISSUE13[0]![1], "ops.net");
    const mod = await loadWasm(ir);
    const leaves = randomLeaves(ir, 3);
    leaves.data[0]![3] = 5;
    expect(() => mod.gradient(leaves.params, leaves.data)).toThrow("tok: entry 3 is 5, not a row number 0 to 4");
  });

  it("an f32 constant past f32's range is the infinity it rounds to, as in the JS target (not an internal error)", async () => {
    const ir = irOf("input x: [4, 3]\nparam w: [3] = normal(0, 1)\nloss L = sum(x * w * 1e39)\n", "big.net");
    const mod = await loadWasm(ir, "f32");
    const leaves = randomLeaves(ir, 5);
    const grad = mod.gradient(leaves.params, leaves.data).grads[0] as Float32Array;
    // ∂L/∂w_j = Σ_b x[b, j] · inf: ±inf (or NaN only where the x column sums to exactly 0, not here)
    expect([...grad].every((g) => g === Infinity || g === -Infinity)).toBe(true);
  });

  it("a step in the module's own buffers equals a step on copies, and updates the caller's arrays", async () => {
    const ex = examples().find((e) => e.name === "mnist_mlp")!;
    const ir = irOf(ex.source, ex.file);
    const own = (await loadWasm(ir, "f32")) as GeneratedModule & { buffers: { params: Tensor[]; data: Tensor[]; state: Tensor[] } };
    const other = await loadWasm(ir, "f32");
    const leaves = randomLeaves(ir, 3, -0.5, 0.5);
    own.buffers.params.forEach((p, i) => p.set(leaves.params[i]!));
    own.buffers.data.forEach((d, i) => d.set(leaves.data[i]!));
    const copies = leaves.params.map((p) => Float32Array.from(p));
    const hyper = { lr: 0.5, t: 1 };
    const l1 = own.step(own.buffers.params, own.buffers.data, hyper, []);
    const l2 = other.step(copies, leaves.data.map((d) => Float32Array.from(d)), hyper, []);
    expect(l1).toBe(l2);
    own.buffers.params.forEach((p, i) => expect(Array.from(p)).toEqual(Array.from(copies[i]!)));
    expect(Array.from(copies[0]!)).not.toEqual(Array.from(Float32Array.from(leaves.params[0]!)));
  });

  it("netc compile --target wasm writes the .wat and a loader that type-checks and runs with no dependencies", () => {
    const dir = mkdtempSync(join(tmpdir(), "netc-wasm-"));
    const r = spawnSync("npx", ["tsx", "src/cli.ts", "compile", "examples/xor.net", "--target", "wasm", "-o", dir], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual(["wat", "ts", "js"].map((e) => join(dir, `xor.${e}`)));
    const wat = readFileSync(join(dir, "xor.wat"), "utf8");
    expect(wat).toContain("(module");
    expect(wat).toMatch(/;; dL\/dW1 = /); // the chain-rule comments of the TS target
    const js = readFileSync(join(dir, "xor.js"), "utf8");
    expect(js).not.toMatch(/\bimport\b|\brequire\(/);
    const run = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `const m = await import(${JSON.stringify(pathToFileURL(join(dir, "xor.js")).href)}); const g = m.gradient(m.buffers.params, m.buffers.data); console.log(m.meta.name, g.grads.length, Number.isFinite(g.loss));`],
      { encoding: "utf8" },
    );
    expect(run.stderr).toBe("");
    expect(run.stdout.trim()).toBe("xor 2 true");
    // the TypeScript loader type-checks under strict and noUncheckedIndexedAccess
    const tsc = spawnSync("npx", ["tsc", "--noEmit", "--strict", "--noUncheckedIndexedAccess", "--target", "es2022", "--module", "nodenext", "--types", "node", join(dir, "xor.ts")], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
  }, 60_000);

  it("netc train --target wasm trains in the module's own memory to the JS target's result", () => {
    const dir = mkdtempSync(join(tmpdir(), "netc-wasm-train-"));
    const final = (target: string): string => {
      const r = spawnSync("npx", ["tsx", "src/cli.ts", "train", "examples/xor.net", "--data", "xor", "--target", target, "--quiet", "--out", join(dir, `${target}.json`)], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      return r.stdout.split("\n")[0]!.replace(/ in [\d.]+ s/, "");
    };
    const js = final("js");
    expect(js).toMatch(/accuracy 100\.00%/);
    expect(final("wasm")).toBe(js);
  }, 60_000);

  it("has an entry for every op of the registry, scalar code exactly for the element-wise ones", () => {
    for (const [name, def] of Object.entries(ops)) {
      const entry = wasmOps[name as keyof typeof wasmOps];
      expect(entry, name).toBeDefined();
      if (def.kind === "elementwise") expect(entry.kind, name).not.toBe("kernel");
      else expect(entry.kind, name).not.toBe("scalar");
      // every op of the language compiles under --target wasm (dropout was the last: ./wasm-dropout.test.ts)
      expect(entry.kind, name).not.toBe("unsupported");
    }
  });

  it("reports an op it cannot emit as FILE:LINE:COL: error, naming the op", () => {
    const ir = irOf("input x: [3]\noutput y = exp(x)\n", "m.net");
    const node = ir.outputs[0]!.node;
    const err = unsupportedError(ir, node, "exp");
    expect(err.message.split("\n")[0]).toBe("m.net:2:12: error: the wasm target does not support exp yet (use --target js)");
  });
});
