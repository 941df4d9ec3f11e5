// Every example model: the generated forward and gradient agree with the reference interpreter to
// 1e-12 relative in float64, at several random points; float32 modules agree loosely.
import { describe, expect, it } from "vitest";
import { examples } from "../support/examples.ts";
import { agreement, irOf, load, randomLeaves, relError } from "./support.ts";

const REQUIRED = ["simple", "mnist_mlp", "mnist_softmax", "chain_rule_1", "chain_rule_2", "fnn_mse", "xor", "net_5_2_4_3_3_1", "relu_mlp"];

describe("examples: generated code agrees with the interpreter", () => {
  it("has every example the issue names", () => {
    const names = examples().map((e) => e.name);
    for (const n of REQUIRED) expect(names).toContain(n);
  });

  for (const ex of examples()) {
    it(`${ex.name} (f64, 1e-12)`, async () => {
      const ir = irOf(ex.source, ex.file);
      const mod = await load(ir);
      for (const seed of [1, 2, 3]) {
        const a = agreement(ir, mod, randomLeaves(ir, seed));
        const bad = a.errors.filter((e) => !(e.error <= 1e-12));
        expect(bad, `${ex.name} at seed ${seed}`).toEqual([]);
        expect(a.errors.length).toBeGreaterThan(0);
      }
    });
  }

  it("float32 modules use Float32Array and agree with float64 to 1e-4", async () => {
    for (const name of ["mnist_mlp", "xor", "chain_rule_2"]) {
      const ex = examples().find((e) => e.name === name)!;
      const ir = irOf(ex.source, ex.file);
      const m64 = await load(ir, "f64");
      const m32 = await load(ir, "f32");
      expect(m32.meta.dtype).toBe("f32");
      const leaves = randomLeaves(ir, 7);
      const g64 = m64.gradient(leaves.params, leaves.data);
      const g32 = m32.gradient(
        leaves.params.map((p) => Float32Array.from(p)),
        leaves.data.map((d) => Float32Array.from(d)),
      );
      g32.grads.forEach((g, i) => {
        if (typeof g !== "number") expect(g).toBeInstanceOf(Float32Array);
        const ref = g64.grads[i]!;
        expect(relError(g, typeof ref === "number" ? Float64Array.of(ref) : (ref as Float64Array))).toBeLessThan(1e-4);
      });
    }
  });
});
