// The generated `update` (src/codegen/optimizer.ts): the optimizer's rules on part of every param,
// from the gradient w0·g0 + w1·g1, which data-parallel training runs one part per thread. For sgd,
// momentum and Adam, on both targets: the parts of an update together move the params (and state)
// exactly as `step` does from the same gradient — bit for bit where both do the same arithmetic
// (JS f64 and f32, wasm f64), to f32 rounding where the wasm step computes in float32 lanes.
import { describe, expect, it } from "vitest";
import { irOf, load, loadWasm } from "./support.ts";
import { initParams } from "../../src/runtime/init.ts";
import type { GeneratedModule, Tensor } from "../../src/runtime/contract.ts";

const model = (optimizer: string) => `model upd
dim B = 4
input  x: [B, 3]
target y: [B, 2]
param W: [3, 2] = he
param b: [2] = uniform(-0.5, 0.5)
param s = 0.7
param unused: [2] = zeros
loss L = mean(((x @ W + b) * s - y)^2)
train {
  optimizer = ${optimizer}
  seed = 3
}
`;

const OPTIMIZERS = ["sgd(lr = 0.1)", "sgd(lr = 0.05, momentum = 0.9)", "adam(lr = 0.01)"];

/** Data, and the state a few steps in (so momentum and Adam's moments are not zero). */
function setup(mod: GeneratedModule) {
  const meta = mod.meta;
  const alloc = (n: number): Tensor => (meta.dtype === "f32" ? new Float32Array(n) : new Float64Array(n));
  const data = meta.data.map((d, k) => alloc(d.size).map((_, i) => Math.sin(1 + i * (k + 2))));
  const params = initParams(meta.params, meta.dtype, 1);
  const state = meta.params.flatMap((p) => Array.from({ length: meta.statePerParam }, () => alloc(p.size)));
  for (let t = 1; t <= 3; t++) mod.step(params, data, { lr: 0.1, t }, state);
  return { data, params, state };
}

/** The gradient of the loss with respect to each param, as `update` takes it (empty: none). */
function paramGrads(mod: GeneratedModule, params: Tensor[], data: Tensor[]): Float64Array[] {
  const r = mod.gradient(params, data);
  return mod.meta.params.map((p) => {
    const at = mod.meta.grads.findIndex((g) => g.of === mod.meta.loss && g.wrt === p.name);
    if (at < 0) return new Float64Array(0);
    const g = r.grads[at]!;
    return typeof g === "number" ? Float64Array.of(g) : Float64Array.from(g);
  });
}

const copy = (ts: Tensor[]): Tensor[] => ts.map((t) => t.slice());

describe("generated update", () => {
  for (const target of ["js", "wasm"] as const) {
    for (const dtype of ["f64", "f32"] as const) {
      for (const optimizer of OPTIMIZERS) {
        it(`${target} ${dtype} ${optimizer}: two parts of update = step`, async () => {
          const ir = irOf(model(optimizer), "upd.net");
          const mod = target === "js" ? await load(ir, dtype) : await loadWasm(ir, dtype);
          const { data, params, state } = setup(mod);
          const hyper = { lr: 0.1, t: 4 };
          const grads = paramGrads(mod, params, data);
          const [p1, s1] = [copy(params), copy(state)];
          mod.step(p1, data, hyper, s1);

          // the gradient as 2 · (g/4) + 1 · (g/2), summed exactly in update's loop; the second part first
          const quarter = grads.map((g) => g.map((v) => v / 4));
          const half = grads.map((g) => g.map((v) => v / 2));
          const [p2, s2] = [copy(params), copy(state)];
          mod.update(p2, s2, quarter, 2, half, 1, hyper, 1, 2);
          mod.update(p2, s2, quarter, 2, half, 1, hyper, 0, 2);
          // one gradient and 0 times itself (a batch cut into one shard)
          const [p3, s3] = [copy(params), copy(state)];
          mod.update(p3, s3, grads, 1, grads, 0, hyper, 0, 1);

          const exact = !(target === "wasm" && dtype === "f32");
          for (const [p, s] of [
            [p2, s2],
            [p3, s3],
          ] as const) {
            for (const [got, want] of [...p.map((t, k) => [t, p1[k]!] as const), ...s.map((t, k) => [t, s1[k]!] as const)]) {
              if (exact) expect(Array.from(got)).toEqual(Array.from(want));
              else got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i]!))));
            }
          }
          // the step moved every param the loss depends on, and not the unused one
          expect(Array.from(p1[0]!)).not.toEqual(Array.from(params[0]!));
          expect(Array.from(p1[3]!)).toEqual(Array.from(params[3]!));
        });
      }
    }
  }

  for (const target of ["js", "wasm"] as const)
    it(`${target}: a part updates only its own entries: [⌊n·part/parts⌋, ⌊n·(part+1)/parts⌋)`, async () => {
      const ir = irOf(model("sgd(lr = 1)"), "upd.net");
      const mod = target === "js" ? await load(ir, "f64") : await loadWasm(ir, "f64");
      const params = mod.meta.params.map((p) => new Float64Array(p.size));
      const ones = mod.meta.params.map((p) => new Float64Array(p.size).fill(1));
      mod.update(params, [], ones, 1, ones, 0, { lr: 1, t: 1 }, 1, 3);
      // W has 6 entries: part 1 of 3 is entries 2 and 3; b has 2: part 1 of 3 is entry 0 (⌊2/3⌋ = 0 to ⌊4/3⌋ = 1)
      expect(Array.from(params[0]!)).toEqual([0, 0, -1, -1, 0, 0]);
      expect(Array.from(params[1]!)).toEqual([-1, 0]);
      expect(Array.from(params[2]!)).toEqual([0]); // s: ⌊1/3⌋ = 0 to ⌊2/3⌋ = 0
    });
});

// The wasm target's update runs in its module (src/codegen/wasm/update.ts): a scalar head, whole
// vectors and a scalar tail over each part, and the caller's arrays copied in and out unless they
// are the module's own. W has 41 entries: in 3 parts [0, 13), [13, 27), [27, 41), none of them on
// whole vectors (f32x4 or f64x2) at both ends. b and c have the same gradient node.
const odd = (optimizer: string) => `model odd
dim B = 3
input  x: [B, 41]
target y: [B, 1]
param W: [41, 1] = he
param b: [1] = uniform(-0.5, 0.5)
param c: [1] = uniform(-0.5, 0.5)
param s = 0.7
loss L = mean(((x @ W + b + c) * s - y)^2)
train {
  optimizer = ${optimizer}
  seed = 3
}
`;

describe("the wasm target's update, in its module", () => {
  for (const dtype of ["f64", "f32"] as const) {
    for (const optimizer of OPTIMIZERS) {
      /** The wasm and JS modules, params and state a few steps in, and two gradients of each param (in the module's dtype). */
      const start = async () => {
        const ir = irOf(odd(optimizer), "odd.net");
        const [wasm, js] = [await loadWasm(ir, dtype), await load(ir, dtype)];
        const { data, params, state } = setup(wasm);
        const other = data.map((d) => d.map((v, i) => Math.cos(3 * v + i)));
        // scaled by param, so b's and c's arrays differ although their gradient node is the same
        const typed = (gs: Float64Array[]): Tensor[] => gs.map((g, k) => {
          const scaled = g.map((v) => v * (1 + k / 8));
          return dtype === "f32" ? Float32Array.from(scaled) : scaled;
        });
        return { wasm, js, data, params, state, ga: typed(paramGrads(wasm, params, data)), gb: typed(paramGrads(wasm, params, other)) };
      };
      const hyper = { lr: 0.1, t: 4 };

      it(`${dtype} ${optimizer}: 3 parts not on whole vectors = the JS target's update`, async () => {
        const { wasm, js, params, state, ga, gb } = await start();
        const [p1, s1] = [copy(params), copy(state)];
        for (const part of [2, 0, 1]) wasm.update(p1, s1, ga, 0.75, gb, 0.25, hyper, part, 3);
        const [p2, s2] = [copy(params), copy(state)];
        js.update(p2, s2, ga, 0.75, gb, 0.25, hyper, 0, 1);
        const pairs = [...p1.map((t, k) => [t, p2[k]!] as const), ...s1.map((t, k) => [t, s2[k]!] as const)];
        for (const [got, want] of pairs) {
          // f64: the same operations in the same order; f32: wasm rounds each operation to float32, the JS target only its stores
          if (dtype === "f64") expect(Array.from(got)).toEqual(Array.from(want));
          else got.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i]!))));
        }
        // every entry of every param moved (so no part's head, vectors or tail was left out)
        p1.forEach((t, k) => t.forEach((v, i) => expect(v).not.toBe(params[k]![i])));
      });

      it(`${dtype} ${optimizer}: the module's own gradient, read in place as g0 or g1, = the same gradient in a foreign array`, async () => {
        const { wasm, data, params, state, gb } = await start();
        const r = wasm.gradient(params, data);
        // the module's own gradient views (a scalar's gradient comes as a number: a foreign array of one)
        const own = wasm.meta.params.map((p) => {
          const g = r.grads[wasm.meta.grads.findIndex((d) => d.of === wasm.meta.loss && d.wrt === p.name)]!;
          return typeof g === "number" ? (dtype === "f32" ? Float32Array.of(g) : Float64Array.of(g)) : g;
        });
        const foreign = copy(own);
        const run = (g0: Tensor[], w0: number, g1: Tensor[], w1: number, p: Tensor[] = copy(params), s: Tensor[] = copy(state)) => {
          for (const part of [1, 2, 0]) wasm.update(p, s, g0, w0, g1, w1, hyper, part, 3);
          return [...p, ...s];
        };
        const want = run(foreign, 0.75, gb, 0.25);
        const same = (got: Tensor[]) => got.forEach((t, k) => t.forEach((v, i) => expect(Object.is(v, want[k]![i])).toBe(true)));
        same(run(own, 0.75, gb, 0.25));
        // g1 the module's own: it is read in place as the first term, and w1·g1 + w0·g0 = w0·g0 + w1·g1 exactly
        same(run(gb, 0.25, own, 0.75));
        // params and state the module's own buffers: nothing copied in or out
        wasm.buffers!.params.forEach((b, k) => b.set(params[k]!));
        wasm.buffers!.state.forEach((b, k) => b.set(state[k]!));
        same(run(own, 0.75, gb, 0.25, wasm.buffers!.params, wasm.buffers!.state));
        // the module's gradient is left as it was
        own.forEach((t, k) => expect(Array.from(t)).toEqual(Array.from(foreign[k]!)));
        // one shard: its gradient and 0 times itself, both the module's own
        const [p3, s3] = [copy(params), copy(state)];
        wasm.update(p3, s3, own, 1, own, 0, hyper, 0, 1);
        const [p4, s4] = [copy(params), copy(state)];
        wasm.update(p4, s4, foreign, 1, foreign, 0, hyper, 0, 1);
        expect([...p3, ...s3].map((t) => Array.from(t))).toEqual([...p4, ...s4].map((t) => Array.from(t)));
      });
    }
  }
});
