// The sparse path of matrix products (src/codegen/kernels/sparse.ts): a left operand that is a
// model input or a relu output is walked through the list of its non-zero entries. It must give
// exactly the dense loop's results: bit for bit with the interpreter on finite values, and the same
// NaNs and infinities as the dense loop when the other operand holds Inf or NaN (0 · Inf = NaN).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { generate } from "../../src/codegen/index.ts";
import { generateWasm } from "../../src/codegen/wasm/index.ts";
import { assemble } from "../../src/codegen/wasm/assemble.ts";
import { loadModule } from "../../src/runtime/load.ts";
import type { GeneratedModule } from "../../src/runtime/contract.ts";
import { agreement, irOf, randomLeaves, rng, type LeafData } from "./support.ts";

const SOURCE = readFileSync("test/codegen/fixtures/sparse.net", "utf8");
const ir = irOf(SOURCE, "sparse.net");
const emit = (sparse: boolean, lang: "ts" | "js" = "ts"): string => generate(ir, { dtype: "f64", sourceHash: "test", sparse, lang });
const loadAs = (sparse: boolean): Promise<GeneratedModule> => loadModule(emit(sparse, "js"), `sparse-${sparse}`);

/** Random leaves with x mostly zeros (+0 and -0), as MNIST pixels are. */
function sparseLeaves(seed: number): LeafData {
  const leaves = randomLeaves(ir, seed, -1, 1);
  const r = rng(seed + 1000);
  const x = leaves.byName.get("x")!;
  for (let p = 0; p < x.length; p++) if (r() < 0.75) x[p] = r() < 0.5 ? 0 : -0;
  return leaves;
}

/** Every result of forward and gradient, copied. */
function results(mod: GeneratedModule, l: LeafData): Float64Array[] {
  const f = mod.forward(l.params, l.data);
  const out = [...f.outputs, f.loss].map((v) => Float64Array.from(typeof v === "number" ? [v] : v));
  const g = mod.gradient(l.params, l.data);
  return [...out, ...[...g.values, ...g.grads, g.loss].map((v) => Float64Array.from(typeof v === "number" ? [v] : v))];
}

/** Indices where two result lists differ as values (Object.is: NaN equals NaN, -0 differs from +0). */
function differences(a: Float64Array[], b: Float64Array[]): string[] {
  const out: string[] = [];
  a.forEach((t, r) => t.forEach((v, i) => (Object.is(v, b[r]![i]) ? null : out.push(`${r}[${i}]: ${v} vs ${b[r]![i]}`))));
  return out;
}

describe("sparse products: exact, and only for inputs and relu outputs", () => {
  it("lists the non-zeros of x (forward and xᵀ·δ) and of h1, never of a param", () => {
    const text = emit(true);
    for (const check of ["allFinite(W1)", "allFinite(W2)", "allFinite(dL_dz1)", "allFinite(dL_do)"]) expect(text).toContain(check);
    // each row listed once per call, four entries per test, by the first product by x (and h1)
    expect(text.match(/x_nz\[r \* 40 \+ nnz\] = p;/g)).toHaveLength(1);
    expect(text).toContain("if (e0 === 0 && e1 === 0 && e2 === 0 && e3 === 0) continue;");
    expect(text).toContain("nnz += e3 !== 0 ? 1 : 0;");
    expect(text).toContain("nnz += h1[r * 37 + p]! !== 0 ? 1 : 0;"); // 37 = 9 · 4 + 1: the last entry alone
    expect(text).toContain("const x_listed = x_zeros * 2 >= 40;");
    expect(text).toContain("const x_skip = x_listed && allFinite(W1);");
    // the backward pass's xᵀ · δ and h1ᵀ · δ read the forward pass's lists
    expect(text).toContain("const x_skip_1 = listed[0]! === 1 && allFinite(dL_dz1);");
    expect(text).toContain("const h1_skip_1 = listed[1]! === 1 && allFinite(dL_do);");
    expect(text).toContain("const i = x_nz[k * 40 + nz]!;");
    expect(text).toMatch(/if \(x_skip\) \{[^]*\}\s*else \{/); // the dense loop when not skipping
    expect(text).toContain("const x_nz = new Uint16Array(240);");
    expect(text).not.toMatch(/allFinite\((b1|x|h1|y)\)/);
    expect(emit(false)).not.toMatch(/_nz|listed/);
    // column numbers past 65,535 do not fit 16 bits: such a row is listed in an Int32Array
    const wide = irOf(SOURCE.replace("[6, 40]", "[2, 70000]").replace("[6, 18]", "[2, 18]").replace("[40, 37]", "[70000, 37]"), "wide.net");
    expect(generate(wide, { dtype: "f64", sourceHash: "test", lang: "ts" })).toContain("const x_nz = new Int32Array(140000);");
  });

  it("agrees bit for bit with the interpreter on finite values", async () => {
    const mod = await loadAs(true);
    for (const seed of [1, 2, 3, 4]) {
      const a = agreement(ir, mod, sparseLeaves(seed));
      expect(a.errors.length).toBeGreaterThanOrEqual(6);
      expect(a.errors.filter((e) => e.error !== 0)).toEqual([]);
    }
  });

  it("takes the dense loop on dense inputs, with its results bit for bit", async () => {
    const [sparse, dense] = await Promise.all([loadAs(true), loadAs(false)]);
    for (const seed of [5, 6]) {
      // a sparse call first: the next call must not reuse its lists
      expect(differences(results(sparse, sparseLeaves(seed)), results(dense, sparseLeaves(seed)))).toEqual([]);
      const l = sparseLeaves(seed);
      l.byName.get("x")!.forEach((_, i, x) => void (x[i] = 0.5 + (i % 7) / 10)); // no zeros at all
      expect(differences(results(sparse, l), results(dense, l))).toEqual([]);
    }
  });

  it("gives the dense loop's results, NaNs included, when W or δ holds Inf or NaN", async () => {
    const [sparse, dense] = await Promise.all([loadAs(true), loadAs(false)]);
    const cases: [string, (l: LeafData) => void][] = [
      ["Inf in W1 where x is zero", (l) => void (l.byName.get("W1")![3 * 37 + 5] = Infinity)],
      ["NaN in W2", (l) => void (l.byName.get("W2")![7 * 18 + 2] = NaN)],
      ["-Inf in W1 and W2", (l) => void ((l.byName.get("W1")![0] = -Infinity), (l.byName.get("W2")![0] = -Infinity))],
      ["Inf in the target: δ is Inf", (l) => void (l.byName.get("y")![4] = Infinity)],
    ];
    for (const [title, poison] of cases) {
      const l = sparseLeaves(7);
      // x[0, 3] and x[1, 0] are zero, so a skipped 0 · Inf would go unseen
      l.byName.get("x")![3] = 0;
      l.byName.get("x")![40] = 0;
      poison(l);
      const got = results(sparse, l);
      const want = results(dense, l);
      expect(differences(got, want), title).toEqual([]);
      // and the poison did reach the results (the case is not vacuous)
      expect(want.some((t) => t.some((v) => Number.isNaN(v))), title).toBe(true);
    }
  });
});

// The wasm target's zero-skip (src/codegen/wasm/sparse.ts): the same model, the same guarantees.
const loadWasmAs = async (sparse: boolean, dtype: "f64" | "f32" = "f64"): Promise<GeneratedModule> => {
  const out = generateWasm(ir, { dtype, sourceHash: "test", sparse });
  const binary = Buffer.from(await assemble(out.wat)).toString("base64");
  return loadModule(out.loader(binary, "js"), `wasm-sparse-${sparse}-${dtype}`);
};

describe("the wasm target's zero-skip: exact, per call, and only for inputs and relu outputs", () => {
  it("lists x and h1 once per call (forward), and each product checks its B for Inf and NaN", () => {
    const wat = generateWasm(ir, { dtype: "f32", sourceHash: "test" }).wat;
    expect(wat.match(/;; a model input, often mostly zeros/g)).toHaveLength(1);
    expect(wat.match(/;; a relu output, often mostly zeros/g)).toHaveLength(1);
    // x·W1 and h1·W2 forward, xᵀ·δ1 and h1ᵀ·δ2 backward: four products, each with a listed path
    expect(wat.match(/;; zeros of A skipped/g)).toHaveLength(2);
    expect(wat.match(/;; zeros of Aᵀ skipped/g)).toHaveLength(2);
    expect(wat.match(/;; k-i-j: row k of B in vector registers/g)).toHaveLength(2);
    expect(generateWasm(ir, { dtype: "f32", sourceHash: "test", sparse: false }).wat).not.toMatch(/often mostly zeros|i32\.store/);
  });

  it("keeps the dense loops for a product narrower than LISTED_MIN_COLUMNS (w1's 15 columns: listing cost more than it saved)", () => {
    const narrow = irOf(SOURCE.replace("[40, 37]", "[40, 15]").replace("[37]", "[15]").replace("[37, 18]", "[15, 18]"), "narrow.net");
    const wat = generateWasm(narrow, { dtype: "f32", sourceHash: "test" }).wat;
    // x·W1 and xᵀ·δ1 are 15 wide: x is not listed (the 37-wide model above lists it); h1's rows
    // are 15 entries, under SPARSE_MIN: no product has a listed path
    expect(wat).not.toMatch(/often mostly zeros|zeros of Aᵀ? skipped/);
    expect(wat.match(/;; rows: row i of the product/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it("gives the dense build's results bit for bit on sparse and dense inputs (f64 and f32), and agrees with the interpreter", async () => {
    for (const dtype of ["f64", "f32"] as const) {
      const [sparse, dense] = await Promise.all([loadWasmAs(true, dtype), loadWasmAs(false, dtype)]);
      for (const seed of [1, 2, 3]) {
        expect(differences(results(sparse, sparseLeaves(seed)), results(dense, sparseLeaves(seed))), `${dtype} ${seed}`).toEqual([]);
        const l = sparseLeaves(seed);
        l.byName.get("x")!.forEach((_, i, x) => void (x[i] = 0.5 + (i % 7) / 10));
        expect(differences(results(sparse, l), results(dense, l))).toEqual([]);
      }
      const a = agreement(ir, sparse, sparseLeaves(4));
      expect(a.errors.filter((e) => !(e.error <= (dtype === "f64" ? 1e-12 : 1e-5)))).toEqual([]);
    }
  });

  it("gives the dense build's results, NaNs included, when W or δ holds Inf or NaN", async () => {
    const [sparse, dense] = await Promise.all([loadWasmAs(true), loadWasmAs(false)]);
    for (const [title, poison] of [
      ["Inf in W1 where x is zero", (l: LeafData) => void (l.byName.get("W1")![3 * 37 + 5] = Infinity)],
      ["NaN in W2", (l: LeafData) => void (l.byName.get("W2")![7 * 18 + 2] = NaN)],
      ["Inf in the target: δ is Inf", (l: LeafData) => void (l.byName.get("y")![4] = Infinity)],
    ] as const) {
      const l = sparseLeaves(7);
      l.byName.get("x")![3] = 0;
      l.byName.get("x")![40] = 0;
      poison(l);
      const want = results(dense, l);
      expect(differences(results(sparse, l), want), title).toEqual([]);
      expect(want.some((t) => t.some((v) => Number.isNaN(v))), title).toBe(true);
    }
  });
});
