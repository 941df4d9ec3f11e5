// dropout(x, p): the identity outside training; while a step trains, x times a mask of zeros (with
// probability p) and 1/(1 - p), drawn from the run's seed and the step, the gradient going through
// the same mask; training runs stay reproducible. (The op's eval, TF.js mapping and central
// differences in test/ir and test/crossengine check the identity; this file checks training.)
import { describe, expect, it } from "vitest";
import type { GeneratedModule, Tensor } from "../../src/runtime/contract.ts";
import { clearDropoutMasks, drawDropoutMasks } from "../../src/runtime/dropout.ts";
import { irOf, load, randomLeaves } from "../codegen/support.ts";
import { trainCaptured } from "../training/helpers/run.ts";

const MODEL = (drop: (x: string, p: number) => string) => `dim B = 3
input x: [B, 4]
param W: [4, 5] = xavier
param V: [5, 2] = xavier
h = ${drop("relu(x @ W)", 0.4)}
output y = ${drop("h", 0.25)} @ V
loss L = mean(sum(y^2, 1)) + sum(${drop("W", 0.5)} * W)
`;
const withDropout = MODEL((x, p) => `dropout(${x}, ${p})`);
const without = MODEL((x) => x);

const flat = (v: number | Tensor): number[] => (typeof v === "number" ? [v] : Array.from(v));

async function moduleAndLeaves(source: string) {
  const ir = irOf(source, "dropout.net");
  return { mod: await load(ir), leaves: randomLeaves(ir, 5) };
}

/** Central differences of the loss (forward, masks as they are) w.r.t. every entry of param k. */
function numericGrad(mod: GeneratedModule, params: Float64Array[], data: Float64Array[], k: number): number[] {
  const p = params[k]!;
  return Array.from(p, (v, i) => {
    const h = 1e-6;
    p[i] = v + h;
    const up = mod.forward(params, data).loss;
    p[i] = v - h;
    const down = mod.forward(params, data).loss;
    p[i] = v;
    return (up - down) / (2 * h);
  });
}

describe("dropout", () => {
  it("is the identity outside training: forward and gradient equal the model without it", async () => {
    const a = await moduleAndLeaves(withDropout);
    const b = await moduleAndLeaves(without);
    expect(a.mod.meta.dropout!.map((d) => [d.p, d.shape])).toEqual([
      [0.4, [3, 5]],
      [0.25, [3, 5]],
      [0.5, [4, 5]],
    ]);
    expect(b.mod.meta.dropout).toBeUndefined();
    const ga = a.mod.gradient(a.leaves.params, a.leaves.data);
    const gb = b.mod.gradient(b.leaves.params, b.leaves.data);
    expect(ga.loss).toBe(gb.loss);
    ga.grads.forEach((g, i) => expect(flat(g)).toEqual(flat(gb.grads[i]!)));
  });

  it("while training, the gradient goes through the same masks as the forward pass (central differences)", async () => {
    const { mod, leaves } = await moduleAndLeaves(withDropout);
    const before = mod.gradient(leaves.params, leaves.data).loss;
    drawDropoutMasks(mod, 3, 0);
    const g = mod.gradient(leaves.params, leaves.data);
    expect(g.loss).not.toBe(before);
    mod.meta.grads.forEach((gm, i) => {
      const k = mod.meta.params.findIndex((p) => p.name === gm.wrt);
      const numeric = numericGrad(mod, leaves.params, leaves.data, k);
      flat(g.grads[i]!).forEach((a, j) => expect(Math.abs(a - numeric[j]!), `d${gm.of}/d${gm.wrt}[${j}]`).toBeLessThan(1e-6 * Math.max(1, Math.abs(a))));
    });
    clearDropoutMasks(mod);
    expect(mod.gradient(leaves.params, leaves.data).loss).toBe(before);
  });

  it("masks hold 0 with probability p and 1/(1 - p) otherwise, the same for the same seed and step", async () => {
    const { mod } = await moduleAndLeaves("input x: [100, 50]\noutput y = dropout(x, 0.3)\n");
    const m = mod.dropoutMasks![0]!;
    expect([...new Set(m)]).toEqual([1]);
    drawDropoutMasks(mod, 1, 7);
    const first = Array.from(m);
    const zeros = first.filter((v) => v === 0).length / first.length;
    expect(zeros).toBeGreaterThan(0.27);
    expect(zeros).toBeLessThan(0.33);
    expect(new Set(first.filter((v) => v !== 0))).toEqual(new Set([1 / 0.7]));
    drawDropoutMasks(mod, 1, 7);
    expect(Array.from(m)).toEqual(first);
    drawDropoutMasks(mod, 1, 8);
    expect(Array.from(m)).not.toEqual(first);
    clearDropoutMasks(mod);
    expect([...new Set(m)]).toEqual([1]);
  });

  it("netc train drops entries: reruns are identical, p changes the result, and the module is the identity afterwards", async () => {
    const source = (p: number) => `param W: [6] = normal(0, 1)\nloss L = sum(dropout(W, ${p})^2)\ntrain { optimizer = sgd(lr = 0.1) steps = 3 seed = 7 }\n`;
    const run = async (p: number) => {
      const mod = await load(irOf(source(p), "d.net"));
      const r = await trainCaptured(mod);
      expect(r.outcome.kind).toBe("done");
      expect([...new Set(mod.dropoutMasks![0]!)]).toEqual([1]);
      return r.history.at(-1)![0]!;
    };
    const a = await run(0.5);
    expect(await run(0.5)).toEqual(a);
    // without dropping, each step scales W by 1 - 0.1·2 = 0.8; with p = 0.5 a kept entry is scaled
    // by 1 - 0.1·2·2² = 0.2 (the mask is 2, squared) and a dropped one is left alone
    const b = await run(0);
    const w0 = b.map((v) => v / 0.8 ** 3);
    a.forEach((v, i) => {
      const ratio = v / w0[i]!;
      const kept = Math.round(Math.log(ratio) / Math.log(0.2));
      expect(ratio).toBeCloseTo(0.2 ** kept, 10);
    });
    expect(a.some((v, i) => Math.abs(v / w0[i]! - 0.8 ** 3) > 1e-3)).toBe(true);
  });
});
