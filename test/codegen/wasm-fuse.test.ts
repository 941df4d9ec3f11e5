// The optimizer update fused into the backward kernel that finishes each gradient (wasm target,
// src/codegen/wasm/fuse.ts and step.ts): a fused `step` leaves the params and the optimizer state
// bit for bit where backprop followed by the separate update pass leaves them, for SGD, momentum
// and Adam, f32 and f64, over every fused loop form (dense products, the zero-skip's listed
// products, dot-product and scalar products, bias sums, convolution kernel gradients); and
// `gradient` of the fused module still returns the plain gradient.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { readFileSync } from "node:fs";
import { generateWasm } from "../../src/codegen/wasm/index.ts";
import { assemble } from "../../src/codegen/wasm/assemble.ts";
import { loadModule } from "../../src/runtime/load.ts";
import type { Dtype, GeneratedModule, Tensor } from "../../src/runtime/contract.ts";
import type { IRModel } from "../../src/ir/model.ts";
import { irOf, randomLeaves, rng, type LeafData } from "./support.ts";
import { randomModel } from "./random-model.ts";

type Own = GeneratedModule & { buffers: { params: Tensor[]; state: Tensor[]; data: Tensor[] } };

async function build(ir: IRModel, dtype: Dtype, fuse: boolean): Promise<{ mod: Own; wat: string }> {
  const out = generateWasm(ir, { dtype, sourceHash: "test", fuse });
  const binary = Buffer.from(await assemble(out.wat)).toString("base64");
  return { mod: (await loadModule(out.loader(binary, "js"), `fuse-${fuse}`)) as Own, wat: out.wat };
}

const OPTIMIZERS = { sgd: "sgd(lr = 0.1)", momentum: "sgd(lr = 0.05, momentum = 0.9)", adam: "adam(lr = 0.01)" } as const;

/** The model with its train block replaced by one that uses `optimizer`. */
function withOptimizer(source: string, optimizer: string): string {
  return `${source.replace(/\ntrain \{[\s\S]*?\n\}\s*$/, "\n")}\ntrain { optimizer = ${optimizer} }\n`;
}

/** Entries where two lists of tensors differ (Object.is: NaN equals NaN, -0 differs from +0). */
function differences(what: string, a: readonly Tensor[], b: readonly Tensor[]): string[] {
  const out: string[] = [];
  a.forEach((t, r) => t.forEach((v, i) => (Object.is(v, b[r]![i]) ? null : out.push(`${what}${r}[${i}]: ${v} vs ${b[r]![i]}`))));
  return out.slice(0, 5);
}

/**
 * `steps` steps of the fused and the unfused module from the same leaves: after each, params,
 * state and loss must be identical; then `gradient` of both at the trained params. Returns the
 * fused module's WAT.
 */
async function compare(ir: IRModel, dtype: Dtype, leaves: LeafData, steps = 3): Promise<string> {
  const fused = await build(ir, dtype, true);
  const plain = await build(ir, dtype, false);
  for (const { mod } of [fused, plain]) {
    mod.buffers.params.forEach((p, i) => p.set(leaves.params[i]!));
    mod.buffers.data.forEach((d, i) => d.set(leaves.data[i]!));
    mod.buffers.state.forEach((s) => s.fill(0));
  }
  const [f, p] = [fused.mod, plain.mod];
  for (let t = 1; t <= steps; t++) {
    const hyper = { lr: 0.1 / t, t };
    const lf = f.step(f.buffers.params, f.buffers.data, hyper, f.buffers.state);
    const lp = p.step(p.buffers.params, p.buffers.data, hyper, p.buffers.state);
    expect(Object.is(lf, lp), `loss of step ${t}: ${lf} vs ${lp}`).toBe(true);
    expect([...differences("param", f.buffers.params, p.buffers.params), ...differences("state", f.buffers.state, p.buffers.state)], `step ${t}`).toEqual([]);
  }
  const gf = f.gradient(f.buffers.params, f.buffers.data).grads.map((g) => (typeof g === "number" ? [g] : Array.from(g)));
  const gp = p.gradient(p.buffers.params, p.buffers.data).grads.map((g) => (typeof g === "number" ? [g] : Array.from(g)));
  expect(gf).toEqual(gp);
  // the gradient call updated nothing
  expect(differences("param", f.buffers.params, p.buffers.params)).toEqual([]);
  return fused.wat;
}

/** The params whose update the WAT fuses into backward. */
const fusedParams = (wat: string): string[] => [...new Set([...wat.matchAll(/;; fused update of (\w+) /g)].map((m) => m[1]!))].sort();

// the zero-skip tests' model: both products by x and by h1 take the listed path (k-i-j for xᵀ·δ1
// and h1ᵀ·δ2) when x is mostly zeros
const SPARSE = readFileSync("test/codegen/fixtures/sparse.net", "utf8");

// dL/dW = δ · xᵀ: dot products along the batch of 6 (f32 and f64), and V's δᵀ·… with 3 columns (scalar form in f32)
const DOTS = `input x: [7, 6]
target y: [5, 6]
param W: [5, 7] = normal(0, 1)
param c: [5, 1] = normal(0, 1)
param V: [5, 3] = normal(0, 1)
input z: [6, 3]
output o = tanh(W @ x + c) + V @ transpose(z)
loss L = mse(o, y)
`;

// conv kernel gradients in the other loop forms: a 3×19 kernel (wider than the 16 taps held in
// registers: a tap loop), stride 2 with padding (border columns in a tap loop), and a conv1d
const CONVS = `input x: [2, 2, 7, 21]
input s: [2, 3, 9]
param K: [3, 2, 3, 19] = normal(0, 0.3)
param c: [3] = normal(0, 1)
param J: [2, 2, 3, 3] = normal(0, 0.3)
param Q: [4, 3, 3] = normal(0, 0.3)
a = conv2d(x, K, c, padding = 1)
b = conv2d(x, J, stride = 2, padding = 1)
loss L = sum(tanh(a)) + sum(b * b) + sum(conv1d(s, Q, stride = 2))
`;

/** x mostly zeros (+0 and -0), as MNIST pixels are. */
function sparseLeaves(ir: IRModel, seed: number): LeafData {
  const leaves = randomLeaves(ir, seed, -1, 1);
  const r = rng(seed + 1000);
  const x = leaves.byName.get("x")!;
  for (let p = 0; p < x.length; p++) if (r() < 0.75) x[p] = r() < 0.5 ? 0 : -0;
  return leaves;
}

const CNN = readFileSync("examples/mnist_cnn.net", "utf8");
const W1 = readFileSync("examples/mnist_mlp.net", "utf8");

describe("wasm step with the optimizer update fused into backward", () => {
  for (const [opt, text] of Object.entries(OPTIMIZERS)) {
    for (const dtype of ["f64", "f32"] as const) {
      it(`${opt} ${dtype}: w1 (dense products, bias sums), every param fused`, async () => {
        const ir = irOf(withOptimizer(W1, text), "mnist_mlp.net", { B: 4 });
        const wat = await compare(ir, dtype, randomLeaves(ir, 3, -1, 1));
        expect(fusedParams(wat)).toEqual(["W1", "W2", "b1", "b2"]);
      });

      it(`${opt} ${dtype}: zero-skip products (listed rows and k-i-j), mostly-zero and dense x`, async () => {
        const ir = irOf(withOptimizer(SPARSE, text), "sparse.net");
        const wat = await compare(ir, dtype, sparseLeaves(ir, 5));
        expect(wat).toContain("the last k (5) row by row");
        expect(fusedParams(wat)).toEqual(["W1", "W2", "b1"]);
        await compare(ir, dtype, randomLeaves(ir, 6, -1, 1));
        // a batch of one: k-i-j's last k is its only k
        const one = irOf(withOptimizer(SPARSE.replace("[6, 40]", "[1, 40]").replace("[6, 18]", "[1, 18]"), text), "sparse1.net");
        expect(await compare(one, dtype, sparseLeaves(one, 8))).toContain("the last k (0) row by row");
      });

      it(`${opt} ${dtype}: dot-product and scalar products, a [5, 1] bias`, async () => {
        const ir = irOf(withOptimizer(DOTS, text), "dots.net");
        const wat = await compare(ir, dtype, randomLeaves(ir, 7, -1, 1));
        expect(fusedParams(wat)).toEqual(["V", "W", "c"]);
      });

      it(`${opt} ${dtype}: conv kernel gradients with a tap loop, stride 2, conv1d`, async () => {
        const ir = irOf(withOptimizer(CONVS, text), "convs.net");
        const wat = await compare(ir, dtype, randomLeaves(ir, 10, -1, 1));
        expect(fusedParams(wat)).toEqual(["J", "K", "Q", "c"]);
      });

      it(`${opt} ${dtype}: the CNN (conv kernel gradients, conv bias sums, dense layers)`, async () => {
        const ir = irOf(withOptimizer(CNN, text), "mnist_cnn.net", { B: 2 });
        const wat = await compare(ir, dtype, randomLeaves(ir, 9, -0.5, 0.5), 2);
        expect(fusedParams(wat)).toEqual(expect.arrayContaining(["K1", "K2", "W3", "W4", "W5", "b3", "b4", "b5"]));
      }, 30_000);
    }
  }

  it("random models: a fused step equals backprop and the separate update (Adam, f64)", async () => {
    let fusedAny = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 30 }), async (seed) => {
        const ir = irOf(withOptimizer(randomModel(seed, { named: seed % 2 === 0 }), OPTIMIZERS.adam), `random-${seed}.net`);
        const wat = await compare(ir, "f64", randomLeaves(ir, seed, -1.5, 1.5), 2);
        if (fusedParams(wat).length > 0) fusedAny++;
      }),
      { numRuns: 30, seed: 20261130 },
    );
    expect(fusedAny).toBeGreaterThan(2); // 3 of these 30 models have a fusable gradient kernel (most params there get an element-wise gradient)
  }, 120_000);
});
