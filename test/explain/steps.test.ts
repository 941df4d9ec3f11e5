// `netc explain` derives the tutorials' steps, in the user's names, from the compiler's own
// chain-rule steps: XOR's five steps (seed 003) and the chain-rule exercise's sum of products (seed 004).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { explainSource, type Explanation } from "../../src/explain/index.ts";
import { netcHere } from "../contract/helpers.ts";

const explain = (file: string): Promise<Explanation> => explainSource(readFileSync(file, "utf8"), { file });
const step = (e: Explanation, name: string) => {
  const s = e.steps.find((x) => x.name === name);
  if (!s) throw new Error(`no step ${name} in ${e.steps.map((x) => x.name).join(", ")}`);
  return s;
};

describe("XOR (seed 003): the five steps of the hand derivation", async () => {
  const e = await explain("examples/xor.net");

  it("are, in order: dL/dŷ, dL/dW2, dL/da, dL/dh, dL/dW1, each with its shape", () => {
    expect(e.steps.map((s) => [s.name, s.expr, s.shape])).toEqual([
      ["dL_dyhat", "0.25*(yhat - y)", [4, 1]],
      ["dL_dW2", "transpose(a) @ dL_dyhat", [3, 1]],
      ["dL_da", "dL_dyhat @ transpose(W2)", [4, 3]],
      ["dL_dh", "dL_da*(a*(1 - a))", [4, 3]],
      ["dL_dW1", "transpose(X) @ dL_dh", [2, 3]],
    ]);
  });

  it("write them as a tutorial does: (ŷ − y)/N, aᵀ·δ, δ·W2ᵀ, ⊙ a ⊙ (1 − a), Xᵀ·dL/dh, shapes under the factors", () => {
    expect(step(e, "dL_dyhat").latex).toBe("\\frac{1}{N} \\, \\left(\\hat{y} - y\\right)");
    expect(step(e, "dL_dW2").latexShapes).toBe("\\underset{3 \\times 4}{a^{\\top}} \\, \\underset{4 \\times 1}{\\frac{\\partial L}{\\partial \\hat{y}}}");
    expect(step(e, "dL_da").latex).toBe("\\frac{\\partial L}{\\partial \\hat{y}} \\, W_{2}^{\\top}");
    expect(step(e, "dL_dh").latex).toBe("\\frac{\\partial L}{\\partial a} \\odot \\left(a \\odot \\left(1 - a\\right)\\right)");
    expect(step(e, "dL_dW1").latex).toBe("X^{\\top} \\, \\frac{\\partial L}{\\partial h}");
  });

  it("name the sigmoid rule and its local derivative through the stored a", () => {
    const h = step(e, "dL_dh");
    expect(h.rule).toBe("the sigmoid rule");
    expect(h.terms[0]!.local).toMatchObject({ expr: "a*(1 - a)", label: "\\frac{\\partial a}{\\partial h}" });
  });

  it("say why a transpose appears, give the index form, and show the simplification of 1/(2N)·2", () => {
    expect(step(e, "dL_da").notes.join(" ")).toMatch(/W_\{2\}\^\{\\top\}\$ appears because .* from 1 entries to 3/);
    expect(step(e, "dL_dW2").index).toBe("\\left(\\frac{\\partial L}{\\partial W_{2}}\\right)_{ij} = \\sum_{n} a_{ni} \\, \\left(\\frac{\\partial L}{\\partial \\hat{y}}\\right)_{nj}");
    expect(step(e, "dL_dyhat").trail[0]).toEqual({ rule: "combine coefficients", before: "0.125*(2*(yhat - y))", after: "0.25*(yhat - y)" });
  });

  it("cite the source line and the line of the generated module whose comment carries the step id", async () => {
    const { compileToText } = await import("../../src/compile.ts");
    const { text } = await compileToText(readFileSync("examples/xor.net", "utf8"), { file: "examples/xor.net" });
    const lines = text.split("\n");
    for (const s of e.steps) {
      expect(s.line).toBeGreaterThan(0);
      expect(lines[s.codeLine! - 1]).toContain(`explain ${s.id})`);
    }
    expect(step(e, "dL_dh").line).toBe(15);
  });
});

describe("the chain-rule exercise (seed 004, exercise 2)", async () => {
  const e = await explain("examples/chain_rule_2.net");

  it("takes ∂f/∂x and ∂f/∂y first, then ∂f/∂u and ∂f/∂v as sums of products through ∂x/∂u, ∂y/∂u", () => {
    const order = e.steps.map((s) => s.name);
    expect(order.indexOf("df_dx")).toBeLessThan(order.indexOf("df_du"));
    expect(order.indexOf("df_dy")).toBeLessThan(order.indexOf("df_du"));
    expect(step(e, "df_dx").expr).toBe("6*x^2");
    const du = step(e, "df_du");
    expect(du.terms.map((t) => [t.adjoint, t.local?.label, t.local?.expr]).sort()).toEqual([
      ["df_dx", "\\frac{\\partial x}{\\partial u}", "cos(u)"],
      ["df_dy", "\\frac{\\partial y}{\\partial u}", "y*v"],
    ]);
    expect(du.expr).toBe("y*v + df_dx*cos(u)");
  });

  it("prints the sum of products in the Markdown", async () => {
    const run = await netcHere("explain", "examples/chain_rule_2.net");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      "\\frac{\\partial f}{\\partial u} = \\frac{\\partial f}{\\partial y} \\cdot \\frac{\\partial y}{\\partial u} + \\frac{\\partial f}{\\partial x} \\cdot \\frac{\\partial x}{\\partial u}",
    );
  });
});

describe("netc explain on the command line", () => {
  it("--format json has derivatives and steps with id, binding, line, rule, latex, expr, shape", async () => {
    const run = await netcHere("explain", "examples/net_5_2_4_3_3_1.net", "--format", "json");
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json.derivatives.map((d: { key: string }) => d.key)).toContain("L/W96");
    for (const s of json.steps) for (const k of ["id", "binding", "line", "rule", "latex", "expr", "shape"]) expect(s).toHaveProperty(k);
    // the deltas are named after the layers, δ96 … δ100
    expect(json.steps.map((s: { label: string }) => s.label)).toContain("\\delta_{96}");
  });

  it("a model error is FILE:LINE:COL, exit 1", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const f = join(mkdtempSync(join(tmpdir(), "explain-")), "bad.net");
    writeFileSync(f, "input x\nf = x +\n");
    const run = await netcHere("explain", f);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.net:\d+:\d+: error:/);
  });
});

describe("shared sub-results are named once", () => {
  /** A model of n sigmoid layers of width 4. */
  const deep = (n: number): string => {
    const lines = ["dim B = 8", "input x: [B, 4]", "target y: [B, 4]"];
    for (let i = 1; i <= n; i++) lines.push(`param W${i}: [4, 4] = xavier`, `param b${i}: [4] = zeros`);
    for (let i = 1; i <= n; i++) lines.push(`h${i} = sigmoid(${i === 1 ? "x" : `h${i - 1}`} @ W${i} + b${i})`);
    lines.push(`loss L = mse(h${n}, y)`);
    return lines.join("\n") + "\n";
  };

  it("so the explanation of a 100-layer model is twice that of a 50-layer one, not four times", async () => {
    const { toMarkdown } = await import("../../src/explain/markdown.ts");
    const [e50, e100] = [await explainSource(deep(50), { file: "deep50.net" }), await explainSource(deep(100), { file: "deep100.net" })];
    // four steps a layer: ∂L/∂h, δ, ∂L/∂b, ∂L/∂W
    expect(e50.steps.length).toBe(4 * 50);
    expect(e100.steps.length).toBe(4 * 100);
    const ratio = toMarkdown(e100).length / toMarkdown(e50).length;
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(2.1);
    // each step refers to the delta before it by name: no step's formula grows with the depth
    const longest = Math.max(...e100.steps.map((s) => s.expr.length));
    expect(longest).toBeLessThan(60);
  });
});

describe("numbers plugged in and the graph", () => {
  it("--at gives each step the value the compiled code computes (dL/dW1 of XOR as netc grad --at)", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const at = join(mkdtempSync(join(tmpdir(), "explain-at-")), "at.json");
    writeFileSync(at, JSON.stringify({ X: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]], W1: [[0.5, -0.3, 0.8], [0.2, 0.7, -0.6]], W2: [[0.4], [-0.5], [0.9]] }));
    const json = JSON.parse((await netcHere("explain", "examples/xor.net", "--format", "json", "--at", at)).stdout);
    const grad = JSON.parse((await netcHere("grad", "examples/xor.net", "--at", at, "--json")).stdout);
    const dW1 = json.steps.find((s: { name: string }) => s.name === "dL_dW1").value;
    expect(dW1.shape).toEqual([2, 3]);
    grad.grad["L/W1"].flat().forEach((v: number, i: number) => expect(dW1.data[i]).toBeCloseTo(v, 12));
    const md = (await netcHere("explain", "examples/xor.net", "--at", at)).stdout;
    expect(md).toContain("\\begin{bmatrix}");
    // a missing param is a clear error
    writeFileSync(at, JSON.stringify({ X: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] }));
    const bad = await netcHere("explain", "examples/xor.net", "--at", at);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("no value for param W1");
  });

  it("--format dot draws the named values with their shapes and the steps of their gradients", async () => {
    const dot = (await netcHere("explain", "examples/xor.net", "--format", "dot")).stdout;
    expect(dot).toMatch(/^digraph "xor" \{/);
    expect(dot).toContain('"h" [label="h\\n[4×3]\\ndL/dh: s4", shape=ellipse];');
    expect(dot).toContain('"a" -> "yhat";');
    expect(dot).not.toContain("dL_d");
  });
});

describe("broadcast sentences name only real broadcasts", () => {
  it("a bias added to the logits is one; a lookup (take) and a convolution's operands are not", async () => {
    const bow = await explain("examples/bow.net");
    expect(step(bow, "dL_db").notes.join(" ")).toMatch(/was broadcast over the 16 .* rows/);
    expect(step(bow, "dL_dE").notes.join(" ")).not.toMatch(/broadcast/);
    const cnn = await explain("examples/mnist_cnn.net");
    for (const name of ["dL_dK1", "dL_dc1", "dL_dK2", "dL_dc2"]) expect(step(cnn, name).notes.join(" "), name).not.toMatch(/was broadcast/);
  });
});
