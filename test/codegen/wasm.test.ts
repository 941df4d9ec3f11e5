// The wasm target (src/codegen/wasm): every example and random compositions of every op agree
// with the reference interpreter (f64: tightly; f32: to float32 tolerance); the module's own
// buffers skip the copies; the loader runs in plain Node with nothing but itself; an op the
// target lacks is a FILE:LINE:COL error.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, readFileSync } from "node:fs";
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
import { topoOrder } from "../../src/graph/node.ts";
import { roots } from "../../src/ir/model.ts";
import type { GeneratedModule, Tensor } from "../../src/runtime/contract.ts";

/** Relative to the largest entry: f32 rounding of sums of ~800 products stays well inside 1e-4. */
const F32 = 1e-4;
const F64 = 1e-12;

/** Whether the wasm target computes every op of the example (gelu and take it does not yet). */
function wasmComputes(source: string, file: string): boolean {
  return topoOrder(roots(irOf(source, file))).every((n) => wasmOps[n.op as keyof typeof wasmOps]?.kind !== "unsupported");
}

describe("wasm target", () => {
  for (const ex of examples().filter((e) => wasmComputes(e.source, e.file))) {
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
        const source = randomModel(seed, { named: seed % 2 === 0, core: true });
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
      // (gelu's Φ is not among the host's Math functions: not computed by the wasm target yet)
      if (def.kind === "elementwise") expect(entry.kind, name).toBe(name === "gelu" || name === "normal_cdf" ? "unsupported" : "scalar");
      else expect(entry.kind, name).not.toBe("scalar");
    }
  });

  it("reports an op it cannot emit as FILE:LINE:COL: error, naming the op", () => {
    const ir = irOf("input x: [3]\noutput y = exp(x)\n", "m.net");
    const node = ir.outputs[0]!.node;
    const err = unsupportedError(ir, node, "exp");
    expect(err.message.split("\n")[0]).toBe("m.net:2:12: error: the wasm target does not support exp yet (use --target js)");
  });
});
