// Printing: the jaxpr-like IR text, `--emit ir` stages, symbolic derivatives with `where` lines,
// precedence-correct expressions that re-parse, and the `netc grad` command's output.
import { afterEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { printIR, printIRStages } from "../../src/ir/print.ts";
import { exprText } from "../../src/ir/expr.ts";
import { Builder } from "../../src/ir/builder.ts";
import type { Node } from "../../src/graph/node.ts";
import { gradCommand } from "../../src/commands/grad.ts";
import { irOf, printed, reparse, scalarAt } from "./support.ts";

describe("printIR", () => {
  it("one single-assignment line per node, numbered in order, with names", () => {
    const { ir } = irOf("input x: [2, 3]\nparam W: [3, 4] = zeros\nh = sigmoid(x @ W)\nloss L = sum(h)\n");
    expect(printIR(ir)).toBe(
      [
        "%0:[2,3] = input x",
        "%1:[3,4] = param W",
        "%2:[2,4] = matmul %0 %1",
        "%3:[2,4] = sigmoid %2                    # h",
        "%4:[] = sum %3 axis=all                  # L",
        "%5:[] = const 1",
        "%6:[2,4] = sub %5 %3",
        "%7:[2,4] = mul %3 %6                     # dL_dz_h",
        "%8:[3,4] = matmul %0 %7 transA           # dL_dW",
        "loss L = %4",
        "grad L/W = %8",
        "",
      ].join("\n"),
    );
  });

  it("--emit ir shows the IR before and after simplification with node counts per pass", () => {
    const stages = irOf("input x\nf = 4*(x - 2)^2\ngrad f wrt x\n");
    const text = printIRStages(stages, "ir");
    expect(text).toMatch(/# IR after lowering and differentiation \(\d+ nodes made\)/);
    expect(text).toMatch(/#   live \(dead code removed\): \d+ nodes/);
    expect(text).toMatch(/#   rewrite, fold, CSE \(pass 1\): \d+ nodes/);
    expect(text).toMatch(/# IR after simplification \(\d+ nodes\)/);
    expect(text).toContain("grad f/x = %");
    const grad = printIRStages(stages, "grad");
    expect(grad).toContain("df/dx = 8*(x - 2)");
  });
});

describe("symbolic derivatives", () => {
  it("shared subexpressions of a scalar model become where lines named after the binding", () => {
    const { ir } = irOf("input x\nh = sin(x)\nf = h*h + exp(h)\ngrad f wrt x\n");
    const t = printed(ir, "f/x");
    expect(t.where).toEqual([{ name: "h", expr: "sin(x)" }]);
    expect(t.expr).toBe("(exp(h) + 2*h)*cos(x)");
    const { node } = reparse("input x", t);
    for (const x of [-1, 0.3, 2]) expect(scalarAt(node, { x })).toBeCloseTo(Math.cos(x) * (2 * Math.sin(x) + Math.exp(Math.sin(x))), 12);
  });

  it("invented names never collide with the model's names", () => {
    const { ir } = irOf("input t1\ninput x\nf = exp(x*t1) * exp(x*t1) + sin(exp(x*t1))\ngrad f wrt x\n");
    const t = printed(ir, "f/x");
    expect(t.where.length).toBeGreaterThan(0);
    expect(t.where.map((w) => w.name)).not.toContain("t1");
  });

  // Random scalar expressions print, re-parse as .net, and evaluate to the same value.
  type E = (b: Builder, x: Node, y: Node) => Node;
  const expr = fc.letrec<{ e: E }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom<E>(
        (_b, x) => x,
        (_b, _x, y) => y,
        (b) => b.const(2),
        (b) => b.const(-3),
        (b) => b.const(0.5),
      ),
      fc.tuple(fc.constantFrom("add", "sub", "mul", "div", "pow", "max"), tie("e"), tie("e")).map(([op, p, q]): E => (b, x, y) => b.op(op, [p(b, x, y), q(b, x, y)])),
      fc.tuple(fc.constantFrom("neg", "sin", "exp", "tanh"), tie("e")).map(([op, p]): E => (b, x, y) => b.op(op, [p(b, x, y)])),
    ),
  })).e;

  it("print → parse → evaluate is the identity (precedence and parentheses are right)", () => {
    fc.assert(
      fc.property(expr, (make) => {
        const b = new Builder();
        const x = b.input("x", []);
        const y = b.input("y", []);
        const n = make(b, x, y);
        const text = exprText(n);
        const back = reparse("input x\ninput y", { expr: text, where: [] }).node;
        expect(exprText(back)).toBe(text);
        for (const [vx, vy] of [
          [0.7, 1.3],
          [-0.4, 2.2],
        ] as const) {
          const a = scalarAt(n, { x: vx, y: vy });
          const c = scalarAt(back, { x: vx, y: vy });
          if (Number.isNaN(a)) expect(c).toBeNaN();
          else expect(c).toBe(a);
        }
      }),
      { numRuns: 200, seed: 3 },
    );
  });
});

describe("netc grad FILE", () => {
  const dir = mkdtempSync(join(tmpdir(), "netc-grad-"));
  const file = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const run = async (path: string, opts: Record<string, unknown> = {}) => {
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      out += String(s);
      return true;
    });
    try {
      await gradCommand(path, { dtype: "f64", ...opts });
    } finally {
      spy.mockRestore();
    }
    return out;
  };
  afterEach(() => vi.restoreAllMocks());

  it("prints seed 004's derivatives with their shapes", async () => {
    const out = await run(file("ex2.net", "input u\ninput v\nx = sin(u) + cos(v)\ny = exp(u*v)\nf = 2*x^3 + y\ngrad f wrt u, v\n"));
    // what both derivatives use is named once, in the one shared where block
    expect(out).toBe(
      ["df/du = v*y + 6*(t1*cos(u))    # shape []", "df/dv = u*y - 6*(t1*sin(v))    # shape []", "where", "  y = exp(u*v)", "  t1 = (sin(u) + cos(v))^2", ""].join("\n"),
    );
  });

  it("prints seed 000's dC/dw = 2*(a*(a*w - d))", async () => {
    const out = await run(file("simple.net", "input  a = 2\ntarget d = 1\nparam  w = 0.8\nf = a * w\nloss C = (f - d)^2\ntrain { optimizer = sgd(lr = 0.1)  steps = 25 }\n"));
    expect(out).toBe("dC/dw = 2*(a*(a*w - d))    # shape []\n");
  });

  it("tensor derivatives read in the model's binding names", async () => {
    const out = await run(file("xor.net", "dim N = 4\ninput X: [N, 2]\ntarget Y: [N, 1]\nparam W1: [2, 3] = xavier\nparam W2: [3, 1] = xavier\nA = sigmoid(X @ W1)\noutput Yhat = A @ W2\nloss L = 1 / (2 * N) * sum((Yhat - Y)^2)\n"));
    // seed 003's (1/N)·Aᵀ(Ŷ − Y), with dL/dŶ = (1/N)(Ŷ − Y) kept whole under its name
    // the backward pass as a person writes it: adjoints named after the bindings they belong to,
    // and the hidden layer's delta dL_dz1 (the adjoint of its pre-activation X @ W1), each once
    expect(out).toBe(
      [
        "dL/dW1 = transpose(X) @ dL_dz1    # shape [2, 3]",
        "dL/dW2 = transpose(A) @ dL_dYhat    # shape [3, 1]",
        "where",
        "  A = sigmoid(X @ W1)",
        "  Yhat = A @ W2",
        "  dL_dYhat = 0.25*(Yhat - Y)",
        "  dL_dA = dL_dYhat @ transpose(W2)",
        "  dL_dz1 = dL_dA*(A*(1 - A))",
        "",
      ].join("\n"),
    );
  });

  it("--json prints the expressions keyed f/x", async () => {
    const out = await run(file("ex1.net", "input x\nf2 = 5*x^3 - x + 1\nf1 = f2 - 2\nf  = 4*f1^2\ngrad f wrt x\n"), { json: true });
    const parsed = JSON.parse(out);
    expect(parsed.grads["f/x"]).toEqual({ of: "f", wrt: "x", shape: [], expr: "(5*x^3 - x - 1)*(120*x^2 - 8)", where: [] });
  });

  it("--emit ir prints the IR stages", async () => {
    const out = await run(file("ex1b.net", "input x\nf = x^2\ngrad f wrt x\n"), { emit: "ir" });
    expect(out).toContain("# IR after simplification");
  });
});

describe("netc grad FILE --at VALUES.json", () => {
  it("delegates to the compiled code (src/commands/grad-at.ts)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netc-grad-at-"));
    const model = join(dir, "ex1.net");
    const values = join(dir, "at.json");
    writeFileSync(model, "input x\nf2 = 5*x^3 - x + 1\nf1 = f2 - 2\nf  = 4*f1^2\ngrad f wrt x\n");
    writeFileSync(values, JSON.stringify({ x: 1.5 }));
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      out += String(s);
      return true;
    });
    try {
      await gradCommand(model, { dtype: "f64", at: values, json: true });
    } finally {
      spy.mockRestore();
    }
    const x = 1.5;
    expect(JSON.parse(out).grad["f/x"]).toBeCloseTo(8 * (5 * x ** 3 - x - 1) * (15 * x ** 2 - 1), 9);
  });
});
