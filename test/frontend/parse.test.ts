// The parser: operator precedence and associativity, every statement form, separators, comments,
// numbers, keyword arguments, and source spans on every node.
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parse/index.ts";
import type { Expr, Stmt } from "../../src/parse/ast.ts";

/** An expression as a fully parenthesized s-expression. */
function sexpr(e: Expr): string {
  switch (e.kind) {
    case "num":
      return e.text;
    case "name":
      return e.name;
    case "unary":
      return `(neg ${sexpr(e.arg)})`;
    case "binary":
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case "call":
      return `(${e.callee}${e.args.map((a) => " " + sexpr(a)).join("")}${e.kwargs.map((k) => ` ${k.name}=${sexpr(k.value)}`).join("")})`;
    case "list":
      return `[${e.items.map(sexpr).join(" ")}]`;
    case "index":
      return `(index ${sexpr(e.target)}${e.items.map((i) => (i.kind === "at" ? ` ${sexpr(i.index)}` : ` ${i.start ? sexpr(i.start) : ""}:${i.end ? sexpr(i.end) : ""}`)).join("")})`;
  }
}

function exprOf(text: string): Expr {
  const stmts = parse(`y = ${text}`, "t.net").statements;
  expect(stmts).toHaveLength(1);
  const s = stmts[0]!;
  if (s.kind !== "bind") throw new Error("not a binding");
  return s.expr;
}

describe("operators", () => {
  it.each([
    ["-x^2", "(neg (^ x 2))"],
    ["2^3^2", "(^ 2 (^ 3 2))"],
    ["a - b - c", "(- (- a b) c)"],
    ["a / b / c", "(/ (/ a b) c)"],
    ["a + b * c", "(+ a (* b c))"],
    ["a * b + c", "(+ (* a b) c)"],
    ["a @ W + b", "(+ (@ a W) b)"],
    ["a * b @ c", "(@ (* a b) c)"],
    ["a * -b", "(* a (neg b))"],
    ["--a", "(neg (neg a))"],
    ["x^-2", "(^ x (neg 2))"],
    ["-x * y", "(* (neg x) y)"],
    ["(a + b) * c", "(* (+ a b) c)"],
    ["-(x^2)^3", "(neg (^ (^ x 2) 3))"],
    ["-x[1]^2", "(neg (^ (index x 1) 2))"],
    ["x[:, 0:2]", "(index x : 0:2)"],
    ["x[-1, a:][0]", "(index (index x (neg 1) a:) 0)"],
    ["f(x)[:2] @ W", "(@ (index (f x) :2) W)"],
    ["(a + b)[1]", "(index (+ a b) 1)"],
    ["2 * x^3 - x + 1", "(+ (- (* 2 (^ x 3)) x) 1)"],
    ["1 / (2 * N) * sum((yhat - y)^2)", "(* (/ 1 (* 2 N)) (sum (^ (- yhat y) 2)))"],
  ])("%s parses as %s", (text, expected) => {
    expect(sexpr(exprOf(text))).toBe(expected);
  });

  it("reads calls with positional and keyword arguments", () => {
    expect(sexpr(exprOf("mean(sum((yhat - y)^2, 1))"))).toBe("(mean (sum (^ (- yhat y) 2) 1))");
    expect(sexpr(exprOf("sum(x, axis = -1)"))).toBe("(sum x axis=(neg 1))");
    expect(sexpr(exprOf("f()"))).toBe("(f)");
    expect(sexpr(exprOf("grad(f, x)"))).toBe("(grad f x)");
  });

  it("reads numbers in the usual notations", () => {
    const values = ["2", "0.5", "1e-3", ".5", "1.", "2E+3", "1.5e2"].map((t) => {
      const e = exprOf(t);
      return e.kind === "num" ? e.value : NaN;
    });
    expect(values).toEqual([2, 0.5, 0.001, 0.5, 1, 2000, 150]);
  });

  it("lets an expression continue over lines", () => {
    expect(sexpr(exprOf("sum(\n  x,\n  axis = 1\n)"))).toBe("(sum x axis=1)");
    expect(sexpr(exprOf("a +\n  b"))).toBe("(+ a b)");
  });
});

describe("statements", () => {
  it("reads every statement form", () => {
    const src = [
      "model demo",
      "dim B = 32",
      "input x: [B, 784]",
      "input a = -1.5",
      "target y: [B, 10]",
      "param W: [784, 10] = normal(0, 0.1)",
      "param s = 0.8",
      "def dense(a, W, b) = sigmoid(a @ W + b)",
      "h = x @ W",
      "output yhat = h",
      "loss L = mean((yhat - y)^2)",
      "grad L wrt W, s",
      "train { optimizer = sgd(lr = 0.1, momentum = 0.9); epochs = 3 }",
    ].join("\n");
    const kinds = parse(src, "t.net").statements.map((s) => (s.kind === "bind" || s.kind === "data" ? `${s.kind}:${s.role}` : s.kind));
    expect(kinds).toEqual(["model", "dim", "data:input", "data:input", "data:target", "param", "param", "def", "bind:plain", "bind:output", "bind:loss", "grad", "train"]);
  });

  it("needs no separators; `;` and newlines both work; comments are skipped", () => {
    const a = parse("input u; input v; f = u * v # a product\ngrad f wrt u, v", "t.net").statements;
    const b = parse("input u input v f = u * v grad f wrt u, v", "t.net").statements;
    expect(a.map((s) => s.kind)).toEqual(["data", "data", "bind", "grad"]);
    expect(b.map((s) => s.kind)).toEqual(a.map((s) => s.kind));
  });

  it("reads a one-line train block with no separators", () => {
    const [t] = parse("train { optimizer = sgd(lr = 0.1)  steps = 25 }", "t.net").statements as [Extract<Stmt, { kind: "train" }>];
    expect(t.entries.map((e) => e.key.name)).toEqual(["optimizer", "steps"]);
    const [u] = parse("train { epochs = 2, seed = 3; shuffle = false }", "t.net").statements as [Extract<Stmt, { kind: "train" }>];
    expect(u.entries.map((e) => e.key.name)).toEqual(["epochs", "seed", "shuffle"]);
  });

  it("reads shapes with integers and dim names, and scalar declarations", () => {
    const [x, s] = parse("input x: [B, 3]\ninput s", "t.net").statements as Extract<Stmt, { kind: "data" }>[];
    expect(x!.shape!.map((d) => (d.kind === "int" ? d.value : d.name))).toEqual(["B", 3]);
    expect(s!.shape).toBeNull();
  });

  it("accepts Windows line ends, tabs and a byte-order mark", () => {
    const stmts = parse("\ufeffinput x\r\n\tf = x^2\r\ngrad f wrt x\r\n", "t.net").statements;
    // Columns count from the first real character: the byte-order mark takes no column.
    expect(stmts.map((s) => [s.kind, s.span.line, s.span.col])).toEqual([
      ["data", 1, 1],
      ["bind", 2, 2],
      ["grad", 3, 1],
    ]);
  });

  it("treats JavaScript keywords and prototype names as ordinary names", () => {
    const src = "input constructor\ninput __proto__\nfunction = constructor * __proto__\ndelete = function + 1";
    const names = parse(src, "t.net").statements.map((s) => (s.kind === "data" || s.kind === "bind" ? s.name.name : ""));
    expect(names).toEqual(["constructor", "__proto__", "function", "delete"]);
  });
});

describe("source spans", () => {
  it("gives every node its line and column", () => {
    const src = "input x\n\n  h = sigmoid(x * 2)  # comment\n";
    const stmts = parse(src, "t.net").statements;
    const h = stmts[1] as Extract<Stmt, { kind: "bind" }>;
    expect([h.span.line, h.span.col]).toEqual([3, 3]);
    expect([h.name.span.line, h.name.span.col]).toEqual([3, 3]);
    const call = h.expr as Extract<Expr, { kind: "call" }>;
    expect([call.span.line, call.span.col, call.calleeSpan.col]).toEqual([3, 7, 7]);
    const mul = call.args[0] as Extract<Expr, { kind: "binary" }>;
    expect([mul.span.col, mul.opSpan.col, mul.left.span.col, mul.right.span.col]).toEqual([15, 17, 15, 19]);
    expect(src.slice(call.span.start, call.span.end)).toBe("sigmoid(x * 2)");
  });

  it("widens a parenthesized expression's span to its parentheses", () => {
    const e = exprOf("(a + b) * c") as Extract<Expr, { kind: "binary" }>;
    expect(e.left.span.col).toBe(5);
    expect(e.left.span.end - e.left.span.start).toBe("(a + b)".length);
  });
});
