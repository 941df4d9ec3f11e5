// Every op of the registry: its shape rule agrees with its eval, its scalar code agrees with its
// eval, and its derivative rule passes a float64 central-difference check — first and (for
// element-wise ops) second order. The test iterates the registry: a new op is covered with no edit.
import { describe, expect, it } from "vitest";
import { transformSync } from "esbuild";
import { ops } from "../../src/ops/registry.ts";
import type { OpName } from "../../src/graph/node.ts";
import type { OpDef } from "../../src/ops/types.ts";
import type { Attrs, Shape } from "../../src/graph/node.ts";
import { size } from "../../src/graph/node.ts";
import { Builder } from "../../src/ir/builder.ts";
import { reverse } from "../../src/diff/reverse.ts";
import { interpret } from "../../src/ir/interpret.ts";
import { numericGrad, randomTensor, relErr, rng } from "./helpers.ts";
import { kinkPoints } from "../../src/ops/shared.ts";

// (the rank-3 and rank-4 ones are images, kernels and their gradients for the window ops:
// x [1, 2, 4, 4] with K [2, 2, 2, 2] and 2×2 pools gives [1, 2, 3, 3] and [1, 2, 2, 2])
const SHAPES: Shape[] = [[], [3], [2, 3], [3, 2], [1, 3], [2, 1], [3, 3], [2], [1, 2, 4, 4], [2, 2, 2, 2], [1, 2, 3, 3], [1, 2, 2, 2], [1, 2, 5], [2, 2, 2]];
const ATTRS: Attrs[] = [
  {},
  { axis: 0 },
  { axis: 1 },
  { axis: null },
  { axis: 1, keepdims: true },
  { axis: -1 },
  { transA: true },
  { transB: true },
  { transA: true, transB: true },
  { shape: [2, 3] },
  { shape: [3, 3] },
  { shape: [2, 3], dims: [0] },
  { shape: [3, 2], dims: [0] },
  { size: 2 },
  { size: 2, stride: 1 },
  { padding: 1 },
  { stride: 2, padding: 1 },
  { shape: [1, 2, 4, 4] },
  { shape: [1, 2, 4, 4], size: 2 },
  { shape: [2, 2, 2, 2] },
  { shape: [1, 2, 5] },
  { begin: [1, 0], end: [2, 3], drop: [0] },
  { begin: [0, 0, 1, 2], end: [1, 2, 3, 4], drop: [0] },
  { before: [0, 1, 2, 0], after: [1, 0, 0, 1] },
];

interface Case {
  shapes: Shape[];
  attrs: Attrs;
}

/** Every (shapes, attrs) combination from the pools that the op's shape rule accepts. */
function cases(def: OpDef): Case[] {
  const out: Case[] = [];
  const combos: Shape[][] = def.arity === 1 ? SHAPES.map((s) => [s]) : SHAPES.flatMap((a) => SHAPES.map((b) => [a, b]));
  for (const shapes of combos)
    for (const pooled of ATTRS) {
      const attrs = { ...def.domain?.attrs, ...pooled };
      const s = def.shape(shapes, attrs);
      if (typeof s !== "string") out.push({ shapes, attrs });
    }
  return out;
}

const testable = Object.values(ops as Record<string, OpDef>).filter((d) => d.kind !== "leaf");

/** Sum of op(args) ⊙ r, and its derivative w.r.t. every argument, through the walker. */
function gradCase(def: OpDef, c: Case, seed: number) {
  const rand = rng(seed);
  const b = new Builder();
  const leaves = new Map<string, Float64Array>();
  const rows = def.kind === "scatter" ? c.attrs.shape?.[0] : c.shapes[0]?.[0];
  const args = c.shapes.map((s, i) => {
    const [lo, hi] = def.domain?.args?.[i] ?? [-2, 2];
    // index arguments (take's idx): integer row numbers
    if (def.domain?.indexArgs?.includes(i)) leaves.set(`a${i}`, randomTensor(rand, s, 0, 1).map((u) => Math.floor(u * (rows ?? 1))));
    else leaves.set(`a${i}`, randomTensor(rand, s, lo, hi, kinkPoints(def)));
    return b.input(`a${i}`, s);
  });
  const out = b.op(def.name, args, c.attrs);
  leaves.set("r", randomTensor(rand, out.shape));
  const L = b.sum(b.mul(out, b.input("r", out.shape)));
  const { grads } = reverse(b, L, args);
  return { b, L, args, grads, leaves, out };
}

describe("op registry", () => {
  it("has every op of the language, named as its key", () => {
    for (const name of ["add", "sub", "mul", "div", "pow", "neg", "matmul", "transpose", "exp", "log", "sqrt", "abs", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "softplus", "max", "min", "sum", "mean", "logsumexp", "softmax", "log_softmax", "mse", "cross_entropy", "expand"])
      expect(ops).toHaveProperty(name);
    for (const [k, d] of Object.entries(ops)) expect(d.name).toBe(k);
  });

  for (const def of testable) {
    describe(def.name, () => {
      const all = cases(def);
      // one case per (argument ranks, attributes) form: every rank form of @ with each transpose,
      // every axis of a reduction, scalars broadcast against matrices…
      const forms = new Map<string, Case>();
      for (const c of all) {
        const key = `${c.shapes.map((s) => s.length).join(",")}|${JSON.stringify(c.attrs)}`;
        if (!forms.has(key)) forms.set(key, c);
      }
      const picked = [...forms.values()].slice(0, 40);

      it("accepts some shapes", () => expect(all.length).toBeGreaterThan(0));

      it("eval returns the shape its shape rule gives", () => {
        for (const c of picked) {
          const { out, leaves } = gradCase(def, c, 1);
          expect(interpret([out], leaves).get(out)!.length).toBe(size(out.shape));
        }
      });

      it("derivative matches central differences (rel. error < 1e-6)", () => {
        for (const [k, c] of picked.entries()) {
          const { L, grads, leaves, args } = gradCase(def, c, 100 + k);
          const vals = interpret([L, ...grads], leaves);
          args.forEach((_arg, i) => {
            if (def.domain?.indexArgs?.includes(i)) return; // integer indices are not perturbed
            const analytic = vals.get(grads[i]!)!;
            const numeric = numericGrad(L, leaves, `a${i}`);
            const err = relErr(analytic, numeric);
            if (!(err < 1e-6)) throw new Error(`${def.name} arg ${i} shapes ${JSON.stringify(c.shapes)} attrs ${JSON.stringify(c.attrs)}: rel. error ${err}`);
          });
        }
      });

      if (def.kind === "elementwise") {
        it("scalar code agrees with eval", () => {
          const prelude = def.prelude ? transformSync(def.prelude.code, { loader: "ts" }).code : "";
          const names = Array.from({ length: def.arity }, (_, i) => `a${i}`);
          const f = new Function(...names, `${prelude}\nreturn ${def.scalar!(names, def.domain?.attrs ?? {})};`) as (...xs: number[]) => number;
          const rand = rng(7);
          const special = [0, -0, 1, -1, 40, -40, 1000, -1000, Infinity, -Infinity, NaN];
          for (let t = 0; t < special.length ** def.arity + 20; t++) {
            const xs = names.map((_, i) => {
              const [lo, hi] = def.domain?.args?.[i] ?? [-2, 2];
              return t < special.length ** def.arity ? special[Math.floor(t / special.length ** i) % special.length]! : lo + (hi - lo) * rand();
            });
            const e = def.eval(
              xs.map((x) => Float64Array.of(x)),
              xs.map(() => []),
              def.domain?.attrs ?? {},
              [],
            )[0]!;
            const s = f(...xs);
            if (!Number.isFinite(e) || e === 0) expect(s, `${def.name}(${xs})`).toBe(e);
            else expect(Math.abs(s - e)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(e)));
          }
        });

        it("second derivative matches central differences of the first", () => {
          const rand = rng(11);
          for (let t = 0; t < 4; t++) {
            const b = new Builder();
            const leaves = new Map<string, Float64Array>();
            const args = Array.from({ length: def.arity }, (_, i) => {
              const [lo, hi] = def.domain?.args?.[i] ?? [-2, 2];
              leaves.set(`a${i}`, randomTensor(rand, [], lo, hi, kinkPoints(def), 0.1));
              return b.input(`a${i}`, []);
            });
            const f = b.op(def.name, args);
            for (let i = 0; i < def.arity; i++) {
              const d1 = reverse(b, f, [args[i]!]).grads[0]!;
              for (let j = 0; j < def.arity; j++) {
                const d2 = reverse(b, d1, [args[j]!]).grads[0]!;
                const analytic = interpret([d2], leaves).get(d2)!;
                const numeric = numericGrad(d1, leaves, `a${j}`, 1e-4);
                const err = Math.abs(analytic[0]! - numeric[0]!) / Math.max(1, Math.abs(numeric[0]!));
                if (!(err < 1e-6)) throw new Error(`${def.name} d2/da${i}da${j}: ${analytic[0]} vs ${numeric[0]}`);
              }
            }
          }
        });
      }
    });
  }
});

describe("derivatives at kinks follow the stated conventions", () => {
  const at = (op: OpName, xs: number[]) => {
    const b = new Builder();
    const args = xs.map((_, i) => b.input(`a${i}`, []));
    const f = b.op(op, args);
    const { grads } = reverse(b, f, args);
    const leaves = new Map(xs.map((x, i) => [`a${i}`, Float64Array.of(x)] as const));
    const v = interpret(grads, leaves);
    return grads.map((g) => v.get(g)![0]);
  };
  it("relu'(0) = 0", () => expect(at("relu", [0])).toEqual([0]));
  it("abs'(0) = 0", () => expect(at("abs", [0])).toEqual([0]));
  it("max tie: the whole gradient goes to the first argument", () => expect(at("max", [1.5, 1.5])).toEqual([1, 0]));
  it("min tie: the whole gradient goes to the first argument", () => expect(at("min", [-0.5, -0.5])).toEqual([1, 0]));
  it("max/min away from ties route to the larger/smaller", () => {
    expect(at("max", [1, 2])).toEqual([0, 1]);
    expect(at("min", [1, 2])).toEqual([1, 0]);
  });
});

describe("stable forms stay finite for large values", () => {
  const evalOp = (op: string, x: number[], shape: Shape, attrs: Attrs = {}) =>
    (ops as Record<string, OpDef>)[op]!.eval([Float64Array.from(x)], [shape], attrs, (ops as Record<string, OpDef>)[op]!.shape([shape], attrs) as Shape);
  it("sigmoid, softplus", () => {
    expect(evalOp("sigmoid", [-1000, 1000], [2])).toEqual(Float64Array.of(0, 1));
    expect(Array.from(evalOp("softplus", [-1000, 1000], [2]))).toEqual([0, 1000]);
  });
  it("softmax, log_softmax, logsumexp", () => {
    expect(Array.from(evalOp("softmax", [1000, 1000], [2], { axis: 0 }))).toEqual([0.5, 0.5]);
    expect(Array.from(evalOp("log_softmax", [1000, 0], [2], { axis: 0 }))).toEqual([0, -1000]);
    expect(evalOp("logsumexp", [1000, 1000], [2], { axis: 0 })[0]).toBeCloseTo(1000 + Math.log(2), 10);
  });
  it("cross_entropy", () => {
    const ce = ops.cross_entropy.eval([Float64Array.of(1000, -1000), Float64Array.of(0, 1)], [[2], [2]], {}, []);
    expect(ce[0]).toBe(2000);
  });
});

describe("shape rules explain themselves", () => {
  it("matmul inner sizes", () => expect(ops.matmul.shape([[32, 784], [785, 15]], {})).toBe("cannot multiply $0 by $1: inner sizes 784 and 785 differ"));
  it("broadcast", () => expect(ops.add.shape([[32, 15], [10]], {})).toBe("cannot add $0 and $1: sizes 15 and 10 differ in the last dimension"));
  it("matmul forms", () => {
    expect(ops.matmul.shape([[2, 3], [3, 4]], {})).toEqual([2, 4]);
    expect(ops.matmul.shape([[2, 3], [3]], {})).toEqual([2]);
    expect(ops.matmul.shape([[3], [3, 4]], {})).toEqual([4]);
    expect(ops.matmul.shape([[3], [3]], {})).toEqual([]);
    expect(ops.matmul.shape([[3, 2], [3, 4]], { transA: true })).toEqual([2, 4]);
    expect(ops.matmul.shape([[2, 3], [4, 3]], { transB: true })).toEqual([2, 4]);
    expect(ops.matmul.shape([[], [3]], {})).toMatch(/scalar/);
  });
  it("axes", () => {
    expect(ops.sum.shape([[2, 3]], { axis: 2 })).toMatch(/axis 2 is out of range/);
    expect(ops.sum.shape([[2, 3]], { axis: -1 })).toEqual([2]);
    expect(ops.softmax.shape([[]], { axis: 0 })).toMatch(/scalar/);
    expect(ops.transpose.shape([[3]], {})).toMatch(/rank 1/);
  });
});
