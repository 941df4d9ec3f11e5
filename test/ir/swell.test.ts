// No expression swell: derivative IR grows linearly with the model, deep chains do not touch the
// call stack, and differentiation is fast. Times are CPU times of lower + differentiate + simplify
// (the model is parsed first, untimed), best of a few runs so a busy machine does not decide.
import { describe, expect, it } from "vitest";
import { frontEnd } from "../../src/compile.ts";
import type { CheckedModel, TExpr } from "../../src/check/model.ts";
import { lower } from "../../src/diff/lower.ts";
import { differentiate } from "../../src/diff/index.ts";
import { simplify } from "../../src/simplify/index.ts";
import { topoOrder, type OpName } from "../../src/graph/node.ts";
import type { IRModel } from "../../src/ir/model.ts";
import { interpret } from "../../src/ir/interpret.ts";
import { printDerivatives, printIR } from "../../src/ir/print.ts";

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function timedIR(model: CheckedModel, runs = 1): { raw: IRModel; ir: IRModel; ms: number } {
  let best = Infinity;
  let out!: { raw: IRModel; ir: IRModel };
  for (let i = 0; i < runs; i++) {
    const t = cpuMs();
    const raw = differentiate(lower(model));
    const { ir } = simplify(raw);
    best = Math.min(best, cpuMs() - t);
    out = { raw, ir };
  }
  return { ...out, ms: best };
}

const gradNodes = (ir: IRModel) => topoOrder(ir.grads.map((g) => g.node)).length;

/** y_i = 1.0001·y_{i−1} + sin(y_{i−1}), each binding using the previous one twice. */
function chain(n: number): string {
  const lines = ["input x", "y0 = x"];
  for (let i = 1; i <= n; i++) lines.push(`y${i} = 1.0001*y${i - 1} + sin(y${i - 1})`);
  lines.push(`grad y${n} wrt x`);
  return lines.join("\n");
}

const span = { start: 0, end: 0, line: 1, col: 1 };

/** The chain as the checker would hand it over (parsing 3,000 lines is the front end's cost, not ours). */
function chainModel(n: number): CheckedModel {
  const ref = (name: string, kind: "input" | "binding"): TExpr => ({ kind: "ref", name, ref: kind, shape: [], span });
  const c = (value: number): TExpr => ({ kind: "const", value, shape: [], span });
  const op = (o: OpName, args: TExpr[]): TExpr => ({ kind: "op", op: o, args, attrs: {}, shape: [], span });
  const bindings: CheckedModel["bindings"] = [{ name: "y0", role: "plain", expr: ref("x", "input"), shape: [], text: "y0 = x", span }];
  for (let i = 1; i <= n; i++) {
    const prev = ref(`y${i - 1}`, "binding");
    bindings.push({ name: `y${i}`, role: "plain", expr: op("add", [op("mul", [c(1.0001), prev]), op("sin", [prev])]), shape: [], text: "", span });
  }
  return {
    name: "chain",
    file: "chain.net",
    source: "",
    dims: new Map(),
    data: [{ role: "input", name: "x", shape: [], dimNames: [], default: null, span }],
    params: [],
    bindings,
    outputs: [],
    loss: null,
    grads: [{ of: `y${n}`, wrt: ["x"], implicit: false, span }],
    train: { optimizer: { kind: "sgd", lr: 0.01, momentum: 0 }, epochs: null, steps: null, seed: 0, schedule: { kind: "constant" }, shuffle: true },
    hasTrainBlock: false,
  };
}

/** The chain's value and derivative by forward-mode arithmetic. */
function chainAt(n: number, x: number): [number, number] {
  let y = x;
  let d = 1;
  for (let i = 0; i < n; i++) {
    d = d * (1.0001 + Math.cos(y));
    y = 1.0001 * y + Math.sin(y);
  }
  return [y, d];
}

describe("a chain of bindings each used twice", () => {
  const counts: Record<number, number> = {};
  for (const n of [10, 100, 1000, 3000]) {
    it(`n = ${n}: gradient IR has at most 7n nodes, and the derivative is right`, () => {
      const model = n <= 100 ? frontEnd(chain(n)).model : chainModel(n);
      const { raw, ir, ms } = timedIR(model, n === 3000 ? 2 : 1);
      if (n <= 100) expect(gradNodes(timedIR(chainModel(n)).ir)).toBe(gradNodes(ir));
      counts[n] = gradNodes(ir);
      expect(gradNodes(ir)).toBeLessThanOrEqual(7 * n);
      expect(gradNodes(raw)).toBeLessThanOrEqual(8 * n);
      const g = ir.grads[0]!.node;
      const f = ir.bindings.get(`y${n}`)!;
      const x = 0.3;
      const vals = interpret([g, f], { x });
      const [y, d] = chainAt(n, x);
      // the derivative decays (y nears π, where 1.0001 + cos y ≈ 0.0001): compare with a floor
      expect(Math.abs(vals.get(g)![0]! - d)).toBeLessThanOrEqual(1e-10 * Math.abs(d) + 1e-300);
      expect(vals.get(f)![0]).toBeCloseTo(y, 8);
      console.log(`chain n=${n}: ${gradNodes(ir)} gradient nodes (raw ${gradNodes(raw)}), ${ms.toFixed(0)} ms CPU`);
      if (n === 3000) expect(ms).toBeLessThan(1000);
    });
  }
});

describe("the same function as one nested expression (10 levels)", () => {
  let e = "x";
  for (let i = 0; i < 10; i++) e = `1.0001*(${e}) + sin(${e})`;

  it("is ~16,000 characters, differentiates in under 0.1 s, and has a few dozen gradient nodes", () => {
    expect(e.length).toBeGreaterThan(15000);
    const { model } = frontEnd(`input x\nf = ${e}\ngrad f wrt x`);
    const { ir, ms } = timedIR(model, 3);
    console.log(`nested: ${e.length} characters, ${gradNodes(ir)} gradient nodes, ${ms.toFixed(1)} ms CPU`);
    expect(ms).toBeLessThan(100);
    expect(gradNodes(ir)).toBeLessThanOrEqual(70);
    const g = ir.grads[0]!.node;
    expect(interpret([g], { x: 0.3 }).get(g)![0]).toBeCloseTo(chainAt(10, 0.3)[1], 10);
  });
});

describe("an L-layer dense network", () => {
  function dense(L: number): string {
    const lines = ["dim B = 8", "input x: [B, 4]", "target y: [B, 4]"];
    for (let i = 1; i <= L; i++) lines.push(`param W${i}: [4, 4] = xavier`, `param b${i}: [4] = zeros`);
    lines.push("h0 = x");
    for (let i = 1; i <= L; i++) lines.push(`h${i} = sigmoid(h${i - 1} @ W${i} + b${i})`);
    lines.push(`loss L = mse(h${L}, y)`);
    return lines.join("\n");
  }
  it("gradient IR grows linearly in L (L = 1…64)", () => {
    const count = (L: number) => gradNodes(timedIR(frontEnd(dense(L)).model).ir);
    const c1 = count(1);
    const c2 = count(2);
    const per = c2 - c1;
    expect(per).toBeGreaterThan(0);
    expect(per).toBeLessThanOrEqual(20);
    for (const L of [4, 8, 16, 32, 64]) expect(count(L)).toBe(c1 + (L - 1) * per);
    console.log(`dense: ${c1} gradient nodes for L = 1, +${per} per layer`);
  });
});

describe("deep graphs do not touch the call stack", () => {
  it("a 10,000-deep nested expression lowers, differentiates, simplifies and prints", () => {
    let e: TExpr = { kind: "ref", name: "x", ref: "input", shape: [], span };
    for (let i = 0; i < 10000; i++) e = { kind: "op", op: i % 2 ? "sin" : "add", args: i % 2 ? [e] : [e, { kind: "const", value: 0.5, shape: [], span }], attrs: {}, shape: [], span };
    const model = chainModel(0);
    model.bindings = [{ name: "f", role: "plain", expr: e, shape: [], text: "f = …", span }];
    model.grads = [{ of: "f", wrt: ["x"], implicit: false, span }];
    const { ir } = timedIR(model);
    const g = ir.grads[0]!.node;
    expect(Number.isFinite(interpret([g], { x: 0.1 }).get(g)![0]!)).toBe(true);
    expect(printDerivatives(ir).length).toBeGreaterThan(1000);
    expect(printIR(ir).split("\n").length).toBeGreaterThan(10000);
  });
});

describe("long products and sums in one expression: compile time linear in their length", () => {
  // Factoring the derivative of x*x*…*x took out one x per nested level (c*x^k + x^a*x^b), so
  // compile time was quadratic: 2,000 factors took ~30 s. Each case: the gradient's node count
  // grows linearly, the larger size compiles in well under the bound (a quadratic regression
  // takes minutes), and the simplified gradient equals the unsimplified one and the closed form.
  const x = 1.0001;
  const shapes: { name: string; expr: (n: number) => string; sizes: [number, number]; d: (n: number) => number }[] = [
    { name: "x * x * … * x", expr: (n) => Array(n).fill("x").join(" * "), sizes: [500, 4000], d: (n) => n * x ** (n - 1) },
    { name: "x + x + … + x", expr: (n) => Array(n).fill("x").join(" + "), sizes: [500, 4000], d: (n) => n },
    { name: "x*x + x*x + …", expr: (n) => Array(n).fill("x*x").join(" + "), sizes: [500, 4000], d: (n) => 2 * n * x },
    { name: "x * (-x) * x * …", expr: (n) => Array.from({ length: n }, (_, i) => (i % 2 ? "(-x)" : "x")).join(" * "), sizes: [500, 2000], d: (n) => (-1) ** Math.floor(n / 2) * n * x ** (n - 1) },
    {
      // factors near ±1 at x, so the product stays finite: (x - 2.0001)*(x - 0.0002)*…
      name: "(x - c1) * (x - c2) * …",
      expr: (n) => Array.from({ length: n }, (_, i) => `(x - ${c(i)})`).join(" * "),
      sizes: [500, 2000],
      d: (n) => {
        let f = 1;
        let s = 0;
        for (let i = 0; i < n; i++) {
          f *= x - c(i);
          s += 1 / (x - c(i));
        }
        return f * s;
      },
    },
  ];
  function c(i: number): number {
    return i % 2 ? 0.0001 - (i % 7) * 1e-4 : 2.0001 + (i % 5) * 1e-4;
  }

  for (const shape of shapes) {
    it(`${shape.name}: N = ${shape.sizes.join(" and ")}`, () => {
      const nodes: number[] = [];
      const times: number[] = [];
      for (const n of shape.sizes) {
        const { raw, ir, ms } = timedIR(frontEnd(`input x\ny = ${shape.expr(n)}\ngrad y wrt x`).model);
        nodes.push(gradNodes(ir));
        times.push(ms);
        const g = ir.grads[0]!.node;
        const r = raw.grads[0]!.node;
        const got = interpret([g], { x }).get(g)![0]!;
        const unsimplified = interpret([r], { x }).get(r)![0]!;
        const want = shape.d(n);
        // (reassociating a sum of n terms, some cancelling, moves it by n ulps or so)
        expect(Math.abs(got - unsimplified)).toBeLessThanOrEqual(1e-10 * Math.abs(want));
        expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-10 * Math.abs(want));
        expect(gradNodes(ir)).toBeLessThanOrEqual(6 * n + 10);
      }
      const [n1, n2] = shape.sizes;
      console.log(`${shape.name}: ${nodes.join(" → ")} gradient nodes, ${times.map((t) => t.toFixed(0)).join(" → ")} ms CPU (N = ${n1} → ${n2})`);
      // linear: the node count grows at most in proportion (a quadratic one would grow (n2/n1)²)
      expect(nodes[1]!).toBeLessThanOrEqual((n2! / n1!) * nodes[0]! * 1.1 + 10);
      expect(times[1]!).toBeLessThan(5000);
    });
  }
});
