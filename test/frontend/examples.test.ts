// The example models (one per seed) all parse and check cleanly; the MNIST MLP has exactly
// 11,935 parameters; and the CLI prints the checked model, reports errors with exit status 1
// (source line and caret), and bad command-line use with exit status 2.
import { describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkSource } from "./helpers.ts";
import { paramCount } from "../../src/check/print.ts";

const EXAMPLES = [
  "simple",
  "mnist_mlp",
  "mnist_softmax",
  "chain_rule_1",
  "chain_rule_2",
  "fnn_mse",
  "xor",
  "net_5_2_4_3_3_1",
  "relu_mlp",
  "mnist_layernorm",
  "mnist_cnn",
  "bow",
];

const load = (name: string) => {
  const file = `examples/${name}.net`;
  return checkSource(readFileSync(file, "utf8"), {}, file);
};

function netc(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("node", ["bin/netc.js", ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe("examples", () => {
  it("has one file per seed model (and issue 13's CNN, layer-norm and embedding models), and only those", () => {
    const files = readdirSync("examples").filter((f) => f.endsWith(".net"));
    expect(files.sort()).toEqual(EXAMPLES.map((e) => `${e}.net`).sort());
  });

  it("the CNN (examples/mnist_cnn.net) has LeNet's 61,706 parameters", () => {
    const file = "examples/mnist_cnn.net";
    expect(paramCount(checkSource(readFileSync(file, "utf8"), {}, file).model)).toBe(61_706);
  });

  it.each(EXAMPLES)("%s.net checks with no errors and no warnings, and opens with a comment", (name) => {
    const { model, warnings } = load(name);
    expect(warnings).toEqual([]);
    expect(model.bindings.length).toBeGreaterThan(0);
    // a seed model names its seed; the language's later examples (mnist_cnn, bow) open with their file name
    expect(readFileSync(`examples/${name}.net`, "utf8")).toMatch(/^# (.*seed 00\d|\w+\.net — )/);
  });

  it("the MNIST MLP has exactly 11,935 parameters", () => {
    const { model } = load("mnist_mlp");
    expect(paramCount(model)).toBe(11_935);
    expect(model.params.map((p) => [p.name, p.shape])).toEqual([
      ["W1", [784, 15]],
      ["b1", [15]],
      ["W2", [15, 10]],
      ["b2", [10]],
    ]);
    expect(model.dims.get("B")).toBe(32);
    expect(model.loss).toBe("L");
  });

  it("the simple network is the one of LANGUAGE.md", () => {
    const { model } = load("simple");
    expect(model.train).toMatchObject({ optimizer: { kind: "sgd", lr: 0.1 }, steps: 25 });
    expect(model.data.map((d) => [d.name, d.default])).toEqual([
      ["a", 2],
      ["d", 1],
    ]);
    expect(model.params[0]!.init).toEqual({ kind: "fill", value: 0.8 });
  });

  it("xor trains for 10,000 epochs at lr 0.1 with L = 1/(2N) Σ(ŷ − y)²", () => {
    const { model } = load("xor");
    expect(model.train).toMatchObject({ optimizer: { kind: "sgd", lr: 0.1 }, epochs: 10_000 });
    expect(model.dims.get("N")).toBe(4);
    expect(model.bindings.find((b) => b.name === "L")!.text).toBe("loss L = 1 / (2 * N) * sum((yhat - y)^2)");
  });
});

describe("docs/language.md", () => {
  const doc = readFileSync("docs/language.md", "utf8");
  const blocks = [...doc.matchAll(/```net\n([\s\S]*?)```/g)].map((m) => m[1]!);

  it("has runnable examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))("example %i checks", (_i, block) => {
    expect(() => checkSource(block, {}, "doc.net")).not.toThrow();
  });
});

describe.concurrent("the CLI", () => {
  it("`compile --emit ast` prints the shape of every binding", async () => {
    const { code, stdout, stderr } = await netc(["compile", "examples/mnist_mlp.net", "--emit", "ast"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    for (const line of ["h: [32, 15] = sigmoid(x @ W1 + b1)", "output yhat: [32, 10] = sigmoid(h @ W2 + b2)", "loss L: [] = mean(sum((yhat - y)^2, 1))"]) {
      expect(stdout).toContain(line);
    }
    expect(stdout).toContain("11935");
  });

  it("exits 1 on an error in the model, with the source line and a caret", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netc-front-"));
    const file = join(dir, "bad.net");
    writeFileSync(file, "input x: [32, 784]\nparam W1: [785, 15] = xavier\nh = x @ W1\nz = nope\n");
    const { code, stderr } = await netc(["compile", file, "--emit", "ast"]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:3:7: error: cannot multiply x: [32, 784] by W1: [785, 15]: inner sizes 784 and 785 differ\nh = x @ W1\n      ^`);
    expect(stderr).toContain(`${file}:4:5: error: unknown name 'nope'`);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 2 on an unknown command or flag", async () => {
    const [a, b] = await Promise.all([netc(["frobnicate"]), netc(["compile", "--bogus", "x.net"])]);
    expect(a.code).toBe(2);
    expect(b.code).toBe(2);
  });
});
