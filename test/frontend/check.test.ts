// The checker: shape inference (broadcasting, the four @ forms, reductions and their axes),
// dims, def inlining, grad expressions, train settings, warnings, names, and the printed model.
import { describe, expect, it } from "vitest";
import { checkSource } from "./helpers.ts";
import type { CheckedModel, TExpr } from "../../src/check/model.ts";
import { printCheckedModel, printExpr } from "../../src/check/print.ts";
import { UsageError } from "../../src/diagnostics.ts";
import { usageMessage } from "../../src/commands/common.ts";

const binding = (m: CheckedModel, name: string) => {
  const b = m.bindings.find((x) => x.name === name);
  if (!b) throw new Error(`no binding ${name}`);
  return b;
};
const shapeOf = (src: string, name: string) => binding(checkSource(src).model, name).shape;

/** The op tree of an expression: `add(matmul(x, W), b)`. */
function tree(e: TExpr): string {
  switch (e.kind) {
    case "const":
      return String(e.value);
    case "ref":
      return e.name;
    case "grad":
      return `grad(${e.of}, ${e.wrt})`;
    case "op": {
      const axis = e.attrs.axis === undefined ? "" : `; axis=${e.attrs.axis}`;
      return `${e.op}(${e.args.map(tree).join(", ")}${axis})`;
    }
  }
}

describe("shapes", () => {
  it.each([
    ["[32, 15] + [15]", "input a: [32, 15]\ninput b: [15]\ny = a + b", [32, 15]],
    ["[3, 1] * [1, 4]", "input a: [3, 1]\ninput b: [1, 4]\ny = a * b", [3, 4]],
    ["scalar - matrix", "input a\ninput b: [2, 5]\ny = a - b", [2, 5]],
    ["[4] / [2, 4]", "input a: [4]\ninput b: [2, 4]\ny = a / b", [2, 4]],
    ["matrix ^ 2", "input a: [2, 3]\ny = a^2", [2, 3]],
    ["[m,k] @ [k,n]", "input a: [2, 3]\ninput b: [3, 5]\ny = a @ b", [2, 5]],
    ["[m,k] @ [k]", "input a: [2, 3]\ninput b: [3]\ny = a @ b", [2]],
    ["[k] @ [k,n]", "input a: [3]\ninput b: [3, 5]\ny = a @ b", [5]],
    ["[k] @ [k]", "input a: [3]\ninput b: [3]\ny = a @ b", []],
    ["transpose", "input a: [2, 3]\ny = transpose(a)", [3, 2]],
    ["sum of all", "input a: [2, 3]\ny = sum(a)", []],
    ["sum along 1", "input a: [2, 3]\ny = sum(a, 1)", [2]],
    ["mean along -2", "input a: [2, 3]\ny = mean(a, -2)", [3]],
    ["logsumexp", "input a: [2, 3]\ny = logsumexp(a, 1)", [2]],
    ["softmax keeps the shape", "input a: [2, 3]\ny = softmax(a, 1)", [2, 3]],
    ["mse is a scalar", "input a: [2, 3]\ninput b: [2, 3]\ny = mse(a, b)", []],
    ["cross_entropy is a scalar", "input a: [2, 3]\ninput b: [2, 3]\ny = cross_entropy(a, b)", []],
    ["max broadcasts", "input a: [2, 3]\ny = max(a, 0)", [2, 3]],
    ["pow(x, p)", "input a: [3]\ny = pow(a, 3)", [3]],
  ])("%s", (_name, src, shape) => {
    expect(shapeOf(src, "y")).toEqual(shape);
  });

  it("normalizes axes to non-negative, whole reductions to null, row-wise ops to the last axis", () => {
    const m = checkSource("input a: [2, 3]\ns = sum(a, -1)\nt = mean(a)\nu = softmax(a)\nv = log_softmax(a, axis = 0)\nw = sum(a, dim = 0)").model;
    expect(tree(binding(m, "s").expr)).toBe("sum(a; axis=1)");
    expect(tree(binding(m, "t").expr)).toBe("mean(a; axis=null)");
    expect(tree(binding(m, "u").expr)).toBe("softmax(a; axis=1)");
    expect(tree(binding(m, "v").expr)).toBe("log_softmax(a; axis=0)");
    expect(tree(binding(m, "w").expr)).toBe("sum(a; axis=0)");
  });

  it("maps operators to registry ops", () => {
    const m = checkSource("input a: [3]\ninput b: [3]\ny = -a^2 + a*b - a/b @ b").model;
    expect(tree(binding(m, "y").expr)).toBe("sub(add(neg(pow(a, 2)), mul(a, b)), matmul(div(a, b), b))");
  });
});

describe("dims", () => {
  it("replaces dim names by their values, in shapes and in expressions", () => {
    const m = checkSource("dim N = 4\ninput X: [N, 2]\ny = 1 / (2 * N) * sum(X)").model;
    expect(m.dims.get("N")).toBe(4);
    expect(m.data[0]!.shape).toEqual([4, 2]);
    expect(m.data[0]!.dimNames).toEqual(["N", null]);
    expect(tree(binding(m, "y").expr)).toBe("mul(div(1, mul(2, 4)), sum(X; axis=null))");
  });

  it("lets --dim override a dim, and refuses a dim the model lacks", () => {
    const src = "dim B = 32\ninput x: [B, 3]\ny = sum(x, 0)";
    expect(checkSource(src, { dims: { B: 64 } }).model.data[0]!.shape).toEqual([64, 3]);
    expect(() => checkSource(src, { dims: { C: 2 } })).toThrow(UsageError);
    expect(() => checkSource(src, { dims: { C: 2 } })).toThrow(/^\S+ has no dim named C \(its dims: B\)$/);
    // the checker names no flag; the command layer says which one gave the value
    const err = (() => {
      try {
        checkSource(src, { dims: { B: 0 } });
      } catch (e) {
        return e as UsageError;
      }
      throw new Error("no error");
    })();
    expect(err.message).toBe("a dim must be a positive integer");
    expect(usageMessage(err)).toBe("--dim B=0: a dim must be a positive integer");
  });
});

describe("defs", () => {
  it("inlines a def at each call with the argument shapes", () => {
    const src = [
      "input x: [4, 3]",
      "param W1: [3, 5] = zeros",
      "param b1: [5] = zeros",
      "param W2: [5, 2] = zeros",
      "param b2: [2] = zeros",
      "def dense(a, W, b) = sigmoid(a @ W + b)",
      "h = dense(x, W1, b1)",
      "y = dense(h, W=W2, b=b2)",
    ].join("\n");
    const m = checkSource(src).model;
    expect(binding(m, "h").shape).toEqual([4, 5]);
    expect(binding(m, "y").shape).toEqual([4, 2]);
    expect(tree(binding(m, "y").expr)).toBe("sigmoid(add(matmul(h, W2), b2))");
  });

  it("lets a def use top-level names defined before it, and other defs", () => {
    const src = "dim K = 3\nparam s = 2\ndef scale(a) = s * a * K\ndef twice(a) = scale(scale(a))\ninput x\ny = twice(x)";
    expect(tree(binding(checkSource(src).model, "y").expr)).toBe("mul(mul(s, mul(mul(s, x), 3)), 3)");
  });

  it("lets def parameters shadow top-level names", () => {
    const m = checkSource("input x: [2]\ninput z\ndef sq(x) = x * x\ny = sq(z)").model;
    expect(binding(m, "y").shape).toEqual([]);
  });
});

describe("grad", () => {
  it("types grad(f, x) inside expressions with the shape of x (higher derivatives)", () => {
    const m = checkSource("input x\nf = x^3\ng = grad(f, x)\nh = grad(g, x)\ngrad h wrt x").model;
    expect(binding(m, "g").expr).toMatchObject({ kind: "grad", of: "f", wrt: "x", shape: [] });
    expect(binding(m, "h").expr).toMatchObject({ kind: "grad", of: "g", wrt: "x" });
    expect(m.grads).toEqual([expect.objectContaining({ of: "h", wrt: ["x"], implicit: false })]);
  });

  it("adds the implicit grad of the loss with respect to every param", () => {
    const m = checkSource("input a = 2\ntarget d = 1\nparam w = 0.8\nparam v = 1\nf = a * w * v\nloss C = (f - d)^2\ngrad C wrt a").model;
    expect(m.loss).toBe("C");
    expect(m.grads.map((g) => [g.of, g.wrt, g.implicit])).toEqual([
      ["C", ["a"], false],
      ["C", ["w", "v"], true],
    ]);
  });

  it("accepts a grad statement before the binding it names", () => {
    const m = checkSource("input x\ngrad f wrt x\nf = x^2").model;
    expect(m.grads[0]).toMatchObject({ of: "f", wrt: ["x"] });
  });
});

describe("declarations", () => {
  it("reads initializers and input defaults", () => {
    const m = checkSource(
      "input a = -1.5\ntarget t = 3\nparam p1: [2] = 0.5\nparam p2: [2] = zeros\nparam p3: [2] = ones\nparam p4: [2, 2] = normal(0, 0.1)\nparam p5: [2] = uniform(lo = -1, hi = 1)\nparam p6: [2, 2] = xavier\nparam p7: [2, 2] = he\nparam p8 = -2\ny = a * t * sum(p1 + p2 + p3 + p4 + p5 + p6 + p7) * p8",
    ).model;
    expect(m.data.map((d) => d.default)).toEqual([-1.5, 3]);
    expect(m.params.map((p) => p.init)).toEqual([
      { kind: "fill", value: 0.5 },
      { kind: "zeros" },
      { kind: "ones" },
      { kind: "normal", mean: 0, std: 0.1 },
      { kind: "uniform", lo: -1, hi: 1 },
      { kind: "xavier" },
      { kind: "he" },
      { kind: "fill", value: -2 },
    ]);
  });

  it("names the model after `model NAME` or the file, sanitized", () => {
    expect(checkSource("model demo\ninput x\ny = x").model.name).toBe("demo");
    expect(checkSource("input x\ny = x", {}, "dir/my model-v2.net").model.name).toBe("my_model_v2");
    expect(checkSource("input x\ny = x", {}, "3layer.net").model.name).toBe("m_3layer");
  });

  it("keeps each binding's source text", () => {
    const m = checkSource("input x\noutput y = 2 *   x  # doubled\nz = (y +\n  1)").model;
    expect(binding(m, "y").text).toBe("output y = 2 * x");
    expect(binding(m, "z").text).toBe("z = (y + 1)");
    expect(m.outputs).toEqual(["y"]);
  });

  it("accepts JavaScript keywords and prototype names as ordinary names", () => {
    const m = checkSource("input constructor\nparam __proto__ = 1\nfunction = constructor * __proto__\nloss delete = function^2").model;
    expect(m.loss).toBe("delete");
    expect(m.params.map((p) => p.name)).toEqual(["__proto__"]);
  });
});

describe("train block", () => {
  it("has defaults", () => {
    const m = checkSource("input x\ny = x").model;
    expect(m.hasTrainBlock).toBe(false);
    expect(m.train).toEqual({ optimizer: { kind: "sgd", lr: 0.01, momentum: 0 }, epochs: null, steps: null, seed: 0, schedule: { kind: "constant" }, shuffle: true });
  });

  it.each([
    ["optimizer = sgd(0.1)", { optimizer: { kind: "sgd", lr: 0.1, momentum: 0 } }],
    ["optimizer = sgd(lr = 0.1, momentum = 0.9)", { optimizer: { kind: "sgd", lr: 0.1, momentum: 0.9 } }],
    ["optimizer = adam(lr = 0.01)", { optimizer: { kind: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }],
    ["optimizer = adam", { optimizer: { kind: "adam", lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 } }],
    ["epochs = 3 steps = 7", { epochs: 3, steps: 7 }],
    ["seed = 42", { seed: 42 }],
    ["schedule = step(10, 0.5)", { schedule: { kind: "step", every: 10, factor: 0.5 } }],
    ["schedule = exponential(rate = 0.99)", { schedule: { kind: "exponential", rate: 0.99 } }],
    ["schedule = constant", { schedule: { kind: "constant" } }],
    ["shuffle = false", { shuffle: false }],
  ])("train { %s }", (entries, expected) => {
    const m = checkSource(`input x\nparam w = 1\nloss L = (w * x)^2\ntrain { ${entries} }`).model;
    expect(m.hasTrainBlock).toBe(true);
    expect(m.train).toMatchObject(expected);
  });
});

describe("warnings", () => {
  it("warns about unused params and inputs, without failing", () => {
    const { warnings } = checkSource("input x\ninput unused_in\nparam w = 1\nparam unused_p = 2\nloss L = (w * x)^2");
    expect(warnings.map((w) => `${w.span.line}:${w.span.col} ${w.severity}: ${w.message}`)).toEqual([
      "2:7 warning: input unused_in is never used",
      "4:7 warning: param unused_p is never used",
    ]);
  });
});

describe("printCheckedModel", () => {
  it("prints one line per declaration and binding, with shapes and the param count", () => {
    const text = printCheckedModel(checkSource("model s\ninput a = 2\ntarget d = 1\nparam w = 0.8\nf = a * w\nloss C = (f - d)^2\ntrain { optimizer = sgd(lr = 0.1)  steps = 25 }").model);
    expect(text).toBe(
      [
        "model s  # test.net",
        "input a: [] = 2",
        "target d: [] = 1",
        "param w: [] = 0.8",
        "f: [] = a*w",
        "loss C: [] = (f - d)^2",
        "grad C wrt w  # implied by the loss",
        "train { optimizer = sgd(lr = 0.1, momentum = 0), steps = 25, seed = 0, schedule = constant, shuffle = true }",
        "# 1 trainable parameter",
        "",
      ].join("\n"),
    );
  });

  it("prints expressions with the parentheses their meaning needs", () => {
    const m = checkSource("input a\ninput b\ninput c\nx = (a - b) - (c - a)\ny = -(a^2)\nz = (-a)^2\nw = (a^b)^c\nv = a^b^c\nu = a / (b * c)").model;
    expect(m.bindings.map((b) => printExpr(b.expr))).toEqual(["a - b - (c - a)", "-(a^2)", "(-a)^2", "(a^b)^c", "a^b^c", "a/(b*c)"]);
  });
});
