// The simplifier: every row of the rule table fires on an example and keeps its value (evaluated
// before and after on random inputs); random expressions keep their values; identities that are
// not IEEE-safe are left alone; dead code goes and names follow their nodes.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Builder } from "../../src/ir/builder.ts";
import type { Node } from "../../src/graph/node.ts";
import { topoOrder } from "../../src/graph/node.ts";
import { interpret } from "../../src/ir/interpret.ts";
import { rules } from "../../src/simplify/rules.ts";
import { ruleCounts, simplify } from "../../src/simplify/index.ts";
import { modelOf, irOf } from "./support.ts";
import { reverse } from "../../src/diff/reverse.ts";
import { randomTensor, relErr, rng } from "./helpers.ts";

type Leaves = { x: Node; y: Node; s: Node; M: Node; N: Node; P: Node };
const LEAF_SHAPES = { x: [3], y: [3], s: [], M: [2, 3], N: [3, 2], P: [1, 3] } as const;

/** One example per rule: an expression over the leaves that the rule rewrites. */
const CASES: Record<string, (b: Builder, l: Leaves) => Node> = {
  "fold constants": (b, { x }) => b.add(b.mul(2, 3), x),
  "unary through broadcast": (b, { s }) => b.exp(b.expand(s, [3])),
  "implicit broadcast": (b, { s, M }) => b.mul(b.expand(s, [2, 3]), M),
  "add zero": (b, { x }) => b.add(x, 0),
  "constant last in +": (b, { x }) => b.add(2, x),
  "add negation": (b, { x, y }) => b.add(x, b.neg(y)),
  "add self": (b, { x }) => b.add(x, x),
  "collect a repeated term": (b, { x, y }) => b.add(x, b.add(y, x)),
  "combine offsets": (b, { x }) => b.sub(b.add(x, 3), 1),
  "negative multiple": (b, { x, y }) => b.add(x, b.mul(-3, y)),
  "factor out": (b, { x, y, s }) => b.add(b.mul(x, y), b.mul(x, s)),
  "order +": (b, { x, y }) => b.add(y, x),
  "sub zero": (b, { x }) => b.sub(0, x),
  "sub negation": (b, { x, y }) => b.sub(x, b.neg(y)),
  "negation minus": (b, { x, y }) => b.sub(b.neg(x), y),
  "double negation": (b, { x }) => b.neg(b.neg(x)),
  "negate coefficient": (b, { x }) => b.neg(b.mul(3, x)),
  "negate difference": (b, { x, y }) => b.neg(b.sub(x, y)),
  "mul one": (b, { x }) => b.mul(x, 1),
  "mul minus one": (b, { x }) => b.mul(x, -1),
  "mul zero (finite)": (b, { x }) => b.add(x, b.mul(0, b.fn("heaviside", x))),
  "constant first in *": (b, { x }) => b.mul(x, 3),
  "combine coefficients": (b, { x }) => b.mul(2, b.mul(3, x)),
  "coefficient outwards": (b, { x, y }) => b.mul(b.mul(3, x), y),
  "negation outwards in *": (b, { x, y }) => b.mul(b.neg(x), y),
  "order *": (b, { x, y }) => b.mul(y, x),
  "div one": (b, { x }) => b.div(x, 1),
  "div by power of two": (b, { x }) => b.div(x, 4),
  "coefficient over constant": (b, { x }) => b.div(b.mul(3, x), 7),
  "negation outwards in /": (b, { x, y }) => b.div(b.neg(x), y),
  "pow one": (b, { x }) => b.pow(x, 1),
  "pow zero": (b, { x }) => b.pow(x, 0),
  "double transpose": (b, { M }) => b.transpose(b.transpose(M)),
  "transpose of product": (b, { M, N }) => b.transpose(b.matmul(M, N)),
  "fold transpose into matmul": (b, { M, N }) => b.matmul(b.transpose(N), b.transpose(M)),
  "scalars out of matmul": (b, { M, N }) => b.matmul(b.mul(3, M), N), // [2,2] from [2,3]
  "trivial expand": (b, { x }) => b.expand(x, [3]),
  "expand of expand": (b, { s }) => b.fn("sin", b.expand(b.expand(s, [3]), [2, 3])),
  "reduce nothing": (b, { P }) => b.sum(P, 0, true),
  "sum of negation": (b, { x }) => b.sum(b.neg(x)),
  "coefficient out of sum": (b, { x }) => b.sum(b.mul(3, x)),
  "reduce a broadcast scalar": (b, { s }) => b.sum(b.expand(s, [2, 3])),
};

function build(make: (b: Builder, l: Leaves) => Node) {
  const b = new Builder();
  const l = Object.fromEntries(Object.entries(LEAF_SHAPES).map(([k, s]) => [k, b.input(k, s)])) as unknown as Leaves;
  const out = make(b, l);
  return { ir: modelOf(b, Object.values(l), out), out };
}

function values(seed: number, lo = -2, hi = 2) {
  const rand = rng(seed);
  return new Map(Object.entries(LEAF_SHAPES).map(([k, s]) => [k, randomTensor(rand, s, lo, hi)] as const));
}

describe("rule table", () => {
  it("every rule has an example below", () => {
    for (const r of rules) expect(CASES, `rule '${r.name}' needs an example`).toHaveProperty([r.name]);
  });

  for (const [name, make] of Object.entries(CASES)) {
    it(`${name}: fires and keeps the value on random inputs`, () => {
      const { ir, out } = build(make);
      const { ir: simple } = simplify(ir);
      expect(ruleCounts.get(name) ?? 0, `rule '${name}' did not fire`).toBeGreaterThan(0);
      const after = simple.outputs[0]!.node;
      for (let seed = 1; seed <= 5; seed++) {
        const v = values(seed);
        const before = interpret([out], v).get(out)!;
        const now = interpret([after], v).get(after)!;
        expect(now.length).toBe(before.length);
        expect(relErr(now, before)).toBeLessThan(1e-14);
      }
    });
  }
});

describe("identities that are not IEEE-safe are left alone", () => {
  const at = (make: (b: Builder, l: Leaves) => Node, x: number) => {
    const { ir } = build(make);
    const r = simplify(ir).ir.outputs[0]!.node;
    const v = values(1);
    v.set("x", Float64Array.of(x, x, x));
    return interpret([r], v).get(r)![0]!;
  };
  it("x*0 stays NaN for x = ±Inf and NaN", () => {
    expect(at((b, { x }) => b.mul(x, 0), Infinity)).toBeNaN();
    expect(at((b, { x }) => b.mul(0, x), NaN)).toBeNaN();
  });
  it("x - x and x/x stay NaN where IEEE says so", () => {
    expect(at((b, { x }) => b.sub(x, x), Infinity)).toBeNaN();
    expect(at((b, { x }) => b.div(x, x), 0)).toBeNaN();
  });
  it("x^0 is 1 even for NaN, as pow says", () => expect(at((b, { x }) => b.pow(x, 0), NaN)).toBe(1));
});

describe("random expressions keep their values", () => {
  type E = (b: Builder, l: Leaves) => Node;
  const leaf = fc.constantFrom<E>(
    (_b, l) => l.x,
    (_b, l) => l.y,
    (_b, l) => l.s,
    (b) => b.const(2),
    (b) => b.const(-0.5),
    (b) => b.const(1),
    (b) => b.const(0),
  );
  const expr = fc.letrec<{ e: E }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.tuple(fc.constantFrom("add", "sub", "mul", "div", "max", "min"), tie("e"), tie("e")).map(
        ([op, p, q]): E =>
          (b, l) =>
            b.op(op, [p(b, l), q(b, l)]),
      ),
      fc.tuple(fc.constantFrom("neg", "sin", "tanh", "sigmoid", "exp", "relu", "abs"), tie("e")).map(
        ([op, p]): E =>
          (b, l) =>
            b.op(op, [p(b, l)]),
      ),
      fc.tuple(fc.constantFrom(0, 1, 2, 3), tie("e")).map(
        ([k, p]): E =>
          (b, l) =>
            b.pow(p(b, l), k),
      ),
    ),
  })).e;

  it("simplified = unsimplified on random inputs (fast-check, 300 expressions)", () => {
    fc.assert(
      fc.property(expr, fc.integer({ min: 1, max: 1000 }), (make, seed) => {
        const { ir, out } = build(make);
        const after = simplify(ir).ir.outputs[0]!.node;
        const v = values(seed);
        const before = interpret([out], v).get(out)!;
        const now = interpret([after], v).get(after)!;
        for (let i = 0; i < before.length; i++) {
          const a = before[i]!;
          const c = now[i % now.length]!;
          if (!Number.isFinite(a)) continue; // rounding may differ only on the way to overflow
          expect(Math.abs(a - c)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a)));
        }
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it("and their derivatives too", () => {
    fc.assert(
      fc.property(expr, fc.integer({ min: 1, max: 1000 }), (make, seed) => {
        const b = new Builder();
        const l = Object.fromEntries(Object.entries(LEAF_SHAPES).map(([k, s]) => [k, b.input(k, s)])) as unknown as Leaves;
        const f = b.sum(make(b, l));
        const base = modelOf(b, Object.values(l), f);
        // d/dx through the walker, before and after simplification
        const raw = { ...base, grads: [{ of: "r", wrt: "x", key: "r/x", node: reverseOf(b, f, l.x) }] };
        const simple = simplify(raw).ir;
        const v = values(seed);
        const g0 = raw.grads[0]!.node;
        const g1 = simple.grads[0]!.node;
        const before = interpret([g0], v).get(g0)!;
        const now = interpret([g1], v).get(g1)!;
        for (let i = 0; i < before.length; i++) {
          if (!Number.isFinite(before[i]!)) continue;
          expect(Math.abs(before[i]! - now[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(before[i]!)));
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});

const reverseOf = (b: Builder, f: Node, x: Node) => reverse(b, f, [x]).grads[0]!;

describe("dead code, CSE and names", () => {
  it("removes what no output, loss or derivative reaches, and reports node counts per pass", () => {
    const { raw, ir, passes } = irOf("input x\nunused = exp(x) * 3\nh = sin(x)\noutput y = h * 1 + 0\n");
    expect([...ir.bindings.keys()]).not.toContain("unused");
    expect(topoOrder([ir.outputs[0]!.node]).map((n) => n.op)).toEqual(["input", "sin"]);
    expect(passes[0]!.nodes).toBe(raw.graph.count);
    expect(passes[passes.length - 1]!.nodes).toBe(2);
    // y and h are now one node: the first name (h) stays
    expect(ir.names.get(ir.outputs[0]!.node)).toBe("h");
  });

  it("equal subexpressions written twice become one node", () => {
    const { ir } = irOf("input x\ninput z\na = x * z + 1\nb = z * x + 1\noutput r = a / b\n");
    const r = ir.outputs[0]!.node;
    expect(r.args[0]).toBe(r.args[1]);
  });
});

describe("random matrix expressions keep their values and derivatives", () => {
  // expressions of shape [2, 3] over M: [2, 3], N: [3, 2], x: [3], s: []
  type E = (b: Builder, l: Leaves) => Node;
  const expr = fc.letrec<{ e: E }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom<E>(
        (_b, l) => l.M,
        (b, l) => b.add(l.M, l.x),
        (b, l) => b.mul(l.s, l.M),
      ),
      fc.tuple(fc.constantFrom("add", "sub", "mul", "max"), tie("e"), tie("e")).map(([op, p, q]): E => (b, l) => b.op(op, [p(b, l), q(b, l)])),
      fc.tuple(fc.constantFrom("neg", "tanh", "sigmoid", "softmax", "log_softmax"), tie("e")).map(([op, p]): E => (b, l) => b.op(op, [p(b, l)], op.includes("softmax") ? { axis: 1 } : {})),
      tie("e").map((p): E => (b, l) => b.matmul(b.matmul(p(b, l), l.N), l.M)),
      tie("e").map((p): E => (b, l) => b.transpose(b.transpose(b.mul(0.5, p(b, l))))),
      tie("e").map((p): E => (b, l) => b.matmul(b.transpose(l.N), b.transpose(b.matmul(l.N, p(b, l))))),
      tie("e").map((p): E => (b, l) => b.mul(b.mul(b.sum(p(b, l), 1, true), p(b, l)), b.mean(p(b, l)))),
    ),
  })).e;

  it("before and after simplification (fast-check, 150 expressions)", () => {
    fc.assert(
      fc.property(expr, fc.integer({ min: 1, max: 1000 }), (make, seed) => {
        const b = new Builder();
        const l = Object.fromEntries(Object.entries(LEAF_SHAPES).map(([k, s]) => [k, b.input(k, s)])) as unknown as Leaves;
        const out = make(b, l);
        const f = b.sum(b.mul(out, out));
        const base = modelOf(b, Object.values(l), out);
        const raw = { ...base, grads: [{ of: "r", wrt: "M", key: "r/M", node: reverseOf(b, f, l.M) }] };
        const simple = simplify(raw).ir;
        const v = values(seed, -1, 1);
        for (const [before, after] of [
          [out, simple.outputs[0]!.node],
          [raw.grads[0]!.node, simple.grads[0]!.node],
        ] as const) {
          const p = interpret([before], v).get(before)!;
          const q = interpret([after], v).get(after)!;
          expect(q.length).toBe(p.length);
          expect(relErr(q, p)).toBeLessThan(1e-9);
        }
      }),
      { numRuns: 150, seed: 11 },
    );
  });
});
