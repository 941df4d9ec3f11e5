// The command-line contract of LANGUAGE.md, form by form: compile (default DIR relative to the
// working directory, -o, --dtype, --dim), grad (symbolic, and --at VALUES --json), check (--at,
// exit status), train and eval (--json, PARAMS.json), values files (defaults, missing, extra and
// odd names, wrong shapes) and the exit statuses: 0, 1 for a model or data problem, 2 for bad use.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPORT, gradAt, netcChild, netcHere, scratch } from "./helpers.ts";

const tmp = scratch("cli");
afterEach(() => {
  process.exitCode = undefined;
});

const SIMPLE = `input  a = 2
target d = 1
param  w = 0.8
f = a * w
loss C = (f - d)^2
train { optimizer = sgd(lr = 0.1)  steps = 25 }
`;
const simple = tmp.file("simple.net", SIMPLE);

const TWO = `input x: [2, 3]
input s = 0.5
param W: [3, 2] = ones
output o = x @ W * s
h = sum(o)
loss L = h^2
grad h wrt x, s
`;
const two = tmp.file("two.net", TWO);

describe("netc compile FILE [-o DIR] [--dtype f64|f32] [--dim NAME=INT]", () => {
  it("writes generated/NAME.ts relative to the working directory and prints that path (a real process)", async () => {
    const cwd = join(tmp.dir, "cwd");
    tmp.file("cwd/model.net", SIMPLE);
    const r = await netcChild(["compile", "model.net"], cwd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join("generated", "model.ts"));
    expect(existsSync(join(cwd, "generated", "model.ts"))).toBe(true);
  });

  const names: [string, string, string][] = [
    ["the file's base name", "plain.net", "plain.ts"],
    ["characters outside [A-Za-z0-9_] become _", "my-model v2.net", "my_model_v2.ts"],
    ["a leading digit gets m_", "3-layer net.net", "m_3_layer_net.ts"],
  ];
  it.each(names)("model name by default: %s (%s → %s)", async (_, file, expected) => {
    const path = tmp.file(`names/${file}`, "input x\nf = x^2\ngrad f wrt x\n");
    const out = join(tmp.dir, "names-out");
    const r = await netcHere("compile", path, "-o", out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(out, expected));
    expect(existsSync(join(out, expected))).toBe(true);
  });

  it("`model NAME` names the module; -o creates nested directories", async () => {
    const path = tmp.file("named.net", "model other_name\ninput x\nf = x^2\ngrad f wrt x\n");
    const out = join(tmp.dir, "deep", "er", "dir");
    const r = await netcHere("compile", path, "-o", out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(out, "other_name.ts"));
  });

  it("--dtype f32 generates Float32Array code; f64 (the default) Float64Array", async () => {
    const out = join(tmp.dir, "dtype");
    const f32 = await netcHere("compile", two, "-o", join(out, "32"), "--dtype", "f32");
    const f64 = await netcHere("compile", two, "-o", join(out, "64"));
    expect(f32.code).toBe(0);
    expect(f64.code).toBe(0);
    expect(readFileSync(f32.stdout.trim(), "utf8")).toMatch(/Float32Array/);
    expect(readFileSync(f32.stdout.trim(), "utf8")).toMatch(/type Tensor = Float32Array;/);
    expect(readFileSync(f64.stdout.trim(), "utf8")).toMatch(/type Tensor = Float64Array;/);
  });

  it("--dim NAME=INT replaces a dim in shapes and expressions; repeatable", async () => {
    const model = "dim N = 4\ndim M = 2\ninput x: [N, M]\nf = sum(x) / (2 * N)\ngrad f wrt x\n";
    const ones = (n: number, m: number) => Array.from({ length: n }, () => new Array(m).fill(1));
    const base = await gradAt(tmp, "dims", model, { x: ones(4, 2) });
    expect(base.value.f).toBe(1); // 8 / 8
    const over = await gradAt(tmp, "dims", model, { x: ones(8, 3) }, "--dim", "N=8", "--dim", "M=3");
    expect(over.value.f).toBe(24 / 16);
    expect(over.grad["f/x"]).toEqual(Array.from({ length: 8 }, () => new Array(3).fill(1 / 16)));
  });
});

describe("netc grad FILE", () => {
  it("prints every requested derivative as a symbolic expression", async () => {
    const r = await netcHere("grad", simple);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/dC\/dw = .*\bw\b/);
    const t = await netcHere("grad", two);
    expect(t.code).toBe(0);
    for (const d of ["dh/dx", "dh/ds", "dL/dW"]) expect(t.stdout).toContain(d);
  });
});

describe("netc grad FILE --at VALUES.json --json", () => {
  it("value holds every output, the loss and every grad-ed binding; grad is keyed f/x", async () => {
    const x = [[1, 2, 3], [4, 5, 6]];
    const r = await gradAt(tmp, "two", TWO, { x, s: 2, W: [[1, 0], [0, 1], [1, 1]] });
    expect(Object.keys(r).sort()).toEqual(["grad", "value"]);
    expect(Object.keys(r.value).sort()).toEqual(["L", "h", "o"]);
    expect(r.value.o).toEqual([[8, 10], [20, 22]]);
    expect(r.value.h).toBe(60);
    expect(r.value.L).toBe(3600);
    expect(Object.keys(r.grad).sort()).toEqual(["L/W", "h/s", "h/x"]);
    expect(r.grad["h/s"]).toBe(30);
    expect(r.grad["h/x"]).toEqual([[2, 2, 4], [2, 2, 4]]);
    // dL/dW = 2h · s · colsum(x) per output column
    expect(r.grad["L/W"]).toEqual([[2 * 60 * 2 * 5, 2 * 60 * 2 * 5], [2 * 60 * 2 * 7, 2 * 60 * 2 * 7], [2 * 60 * 2 * 9, 2 * 60 * 2 * 9]]);
  });

  const values: [string, string, number, RegExp][] = [
    ["a missing tensor is an error naming it", '{"s": 1, "W": [[1,0],[0,1],[1,1]]}', 1, /no value for input x: \[2, 3\]/],
    ["every missing name is named", "{}", 1, /input x: \[2, 3\].*param W: \[3, 2\]|param W: \[3, 2\].*input x: \[2, 3\]/],
    ["a name the model does not declare", '{"x": [[1,2,3],[4,5,6]], "W": [[1,0],[0,1],[1,1]], "z": 1}', 1, /"z"/],
    ["__proto__ is just an undeclared name", '{"x": [[1,2,3],[4,5,6]], "W": [[1,0],[0,1],[1,1]], "__proto__": {"x": 1}}', 1, /__proto__/],
    ["a string instead of a number", '{"x": [[1,2,3],[4,5,"6"]], "W": [[1,0],[0,1],[1,1]]}', 1, /x\[1\]\[2\].*number/],
    ["null instead of a number", '{"x": [[1,2,3],[4,5,6]], "W": [[1,0],[0,1],[1,null]]}', 1, /W\[2\]\[1\].*number/],
    ["a ragged array", '{"x": [[1,2,3],[4,5]], "W": [[1,0],[0,1],[1,1]]}', 1, /x.*\[2, 3\]/],
    ["a flat array for a matrix", '{"x": [1,2,3,4,5,6], "W": [[1,0],[0,1],[1,1]]}', 1, /x.*\[2, 3\]/],
    ["a transposed matrix", '{"x": [[1,4],[2,5],[3,6]], "W": [[1,0],[0,1],[1,1]]}', 1, /x.*\[2, 3\]/],
    ["an array for a scalar", '{"x": [[1,2,3],[4,5,6]], "W": [[1,0],[0,1],[1,1]], "s": [1]}', 1, /s should be a number/],
    ["a number for a matrix", '{"x": 1, "W": [[1,0],[0,1],[1,1]]}', 1, /x should be a \[2, 3\] array/],
    ["a number beyond float64 (1e999)", '{"x": [[1,2,3],[4,5,1e999]], "W": [[1,0],[0,1],[1,1]]}', 1, /x\[1\]\[2\] should be a finite number/],
    ["not JSON", '{"x": ', 1, /not valid JSON/],
    ["a JSON array, not an object", "[1, 2]", 1, /JSON object/],
  ];
  it.each(values)("values file: %s", async (_, text, code, message) => {
    const r = await netcHere("grad", two, "--at", tmp.file("", text), "--json");
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^netc: error: /);
    expect(r.stdout).toBe("");
  });

  it("a values file saved with a byte-order mark reads like any other", async () => {
    const r = await gradAt(tmp, "bom", SIMPLE, '\uFEFF{"a": 2, "d": 1, "w": 0.8}');
    expect(r.grad["C/w"]).toBeCloseTo(2.4, 14);
  });

  it("names such as __proto__ and constructor are ordinary names in values and results", async () => {
    const model = "input __proto__\ninput constructor = 3\noutput toString = __proto__ * constructor\nf = __proto__^2 * constructor\ngrad f wrt __proto__, constructor\n";
    const r = await gradAt(tmp, "proto", model, '{"__proto__": 2}');
    expect(r.value).toEqual({ toString: 6, f: 12 });
    expect(r.grad).toEqual({ "f/__proto__": 12, "f/constructor": 4 });
  });
});

describe("netc check FILE [--at VALUES.json]", () => {
  it("passes (exit 0) at values drawn from the initializers and at given values, printing the worst relative error per name", async () => {
    const r = await netcHere("check", two);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const name of ["x", "s", "W"]) expect(r.stdout).toMatch(new RegExp(`^\\s+${name}\\s+(h|L)\\s.*\\d\\.\\de-?\\d+\\s+ok`, "m"));
    const at = tmp.file("check-at.json", JSON.stringify({ x: [[1, 2, 3], [4, 5, 6]], s: -1, W: [[1, 2], [3, 4], [5, 6]] }));
    const a = await netcHere("check", two, "--at", at);
    expect(a.code, a.stdout + a.stderr).toBe(0);
  });

  it("a bad values file fails with exit 1, a missing one is bad use (exit 2)", async () => {
    const bad = await netcHere("check", two, "--at", tmp.file("", '{"x": 1}'));
    expect(bad.code).toBe(1);
    const missing = await netcHere("check", two, "--at", join(tmp.dir, "no-such.json"));
    expect(missing.code).toBe(2);
  });
});

describe("netc train / netc eval", () => {
  it("train --out writes PARAMS.json with \"params\" holding every param; eval --json reads it back", async () => {
    const model = tmp.file(
      "reg.net",
      "input x: [4, 2] \ntarget y: [4, 1]\nparam W: [2, 1] = zeros\nparam b = 0\noutput yhat = x @ W + b\nloss L = mse(yhat, y)\ntrain { optimizer = sgd(0.1) steps = 200 }\n",
    );
    const data = tmp.file("reg-data.json", JSON.stringify({ x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[1], [3], [2], [4]] }));
    const params = join(tmp.dir, "reg.params.json");
    const t = await netcHere("train", model, "--data", data, "--out", params, "--seed", "3");
    expect(t.code, t.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(params, "utf8"));
    expect(Object.keys(saved.params).sort()).toEqual(["W", "b"]);
    // y = 1 + x0 + 2 x1 exactly: plain gradient descent gets close
    expect(saved.params.W[0][0]).toBeCloseTo(1, 1);
    expect(saved.params.W[1][0]).toBeCloseTo(2, 1);
    expect(saved.params.b).toBeCloseTo(1, 1);
    const e = await netcHere("eval", model, "--params", params, "--data", data, "--json");
    expect(e.code, e.stderr).toBe(0);
    const json = JSON.parse(e.stdout);
    expect(json.loss).toBeLessThan(1e-2);
    expect(json.accuracy).toBeNull(); // not one-hot targets

    // hand-written params: "params" is the only key that matters
    const exact = tmp.file("exact.json", JSON.stringify({ params: { W: [[1], [2]], b: 1 }, anything: "else" }));
    const e2 = await netcHere("eval", model, "--params", exact, "--data", data, "--json");
    expect(JSON.parse(e2.stdout)).toEqual({ loss: 0, accuracy: null });
  });

  it("eval reports accuracy as a fraction in [0, 1] for one-hot targets", async () => {
    const model = tmp.file("cls.net", "input x: [4, 2]\ntarget y: [4, 2]\nparam W: [2, 2] = zeros\noutput p = softmax(x @ W, 1)\nloss L = cross_entropy(x @ W, y)\n");
    const data = tmp.file("cls-data.json", JSON.stringify({ x: [[1, 0], [0, 1], [1, 0], [0, 1]], y: [[1, 0], [0, 1], [0, 1], [0, 1]] }));
    const params = tmp.file("cls.params.json", JSON.stringify({ params: { W: [[1, 0], [0, 1]] } }));
    const e = await netcHere("eval", model, "--params", params, "--data", data, "--json");
    expect(e.code, e.stderr).toBe(0);
    const json = JSON.parse(e.stdout);
    expect(json.accuracy).toBe(0.75);
    const lse = Math.log(1 + Math.E);
    expect(json.loss).toBeCloseTo((3 * (lse - 1) + lse) / 4, 12);
  });

  it("data for an input whose first dimension is a plain number must have exactly its shape; the error says how to batch it", async () => {
    const model = tmp.file("fixed.net", "input x: [2, 1]\ntarget y: [2, 1]\nparam w = 0\nloss L = mse(x * w, y)\n");
    const data = tmp.file("fixed-data.json", JSON.stringify({ x: [[1], [2], [3]], y: [[1], [2], [3]] }));
    const r = await netcHere("train", model, "--data", data, "--quiet", "--out", join(tmp.dir, "fixed.params.json"));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x has shape \[3, 1\], but input x: \[2, 1\].*dim B = 2.*input x: \[B, 1\]/);
  });

  it("a hostile params file (a value nested 50,000 deep) gets a short error, not a crash", async () => {
    const deep = tmp.file("deep.json", `{"params": {"w": ${"[".repeat(50000)}${"]".repeat(50000)}}}`);
    const r = await netcHere("eval", simple, "--params", deep, "--json");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/params\.w/);
    expect(r.stderr.length).toBeLessThan(400);
  });

  it("a params file that lacks a param is an error naming it (exit 1)", async () => {
    const bad = tmp.file("lacks.json", JSON.stringify({ params: {} }));
    const r = await netcHere("eval", simple, "--params", bad, "--json");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\bw\b/);
  });
});

describe("exit statuses", () => {
  const usage: [string, string[]][] = [
    ["an unknown command", ["bogus", simple]],
    ["an unknown flag", ["compile", simple, "--bogus"]],
    ["a missing file argument", ["compile"]],
    ["a file that does not exist", ["compile", join(tmp.dir, "nope.net")]],
    ["a directory as the file", ["check", tmp.dir]],
    ["a bad --dtype", ["compile", simple, "--dtype", "f16"]],
    ["a malformed --dim", ["compile", simple, "--dim", "B"]],
    ["--dim 0", ["compile", two, "--dim", "B=0"]],
    ["--dim for a dim the model does not declare", ["compile", two, "--dim", "B=4"]],
    ["--epochs 0", ["train", simple, "--epochs", "0"]],
    ["--epochs and --steps together", ["train", simple, "--epochs", "2", "--steps", "2"]],
    ["--lr not a number", ["train", simple, "--lr", "fast"]],
    ["--lr 0 (the train block's lr must be positive too)", ["train", simple, "--lr", "0"]],
    ["a negative --lr", ["train", simple, "--lr=-0.1"]],
    ["eval without --params", ["eval", simple]],
    ["an unknown --data source", ["train", simple, "--data", "imagenet"]],
    ["no command at all", []],
    ["-o naming a file, not a directory", ["compile", simple, "-o", simple]],
    ["--out inside a file", ["train", simple, "--quiet", "--out", join(simple, "p.json")]],
  ];
  it.each(usage)("bad command-line use: %s → 2", async (_, args) => {
    const r = await netcHere(...args);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("--help and --version exit 0", async () => {
    expect((await netcHere("--help")).code).toBe(0);
    expect((await netcHere("compile", "--help")).code).toBe(0);
    expect((await netcHere("--version")).code).toBe(0);
  });

  it("as real processes: 0 on success, 1 for a model error (reported as FILE:LINE:COL), 2 for bad use", async () => {
    const broken = tmp.file("broken.net", "input x: [32, 784]\nparam W1: [785, 15] = xavier\nh = x @ W1\n");
    const [ok, bad, use] = await Promise.all([
      netcChild(["grad", simple]),
      netcChild(["check", broken]),
      netcChild(["check", simple, "--dim", "Q=3"]),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(bad.code).toBe(1);
    const m = REPORT.exec(bad.stderr);
    expect(m, bad.stderr).not.toBeNull();
    expect(m!.groups!.file).toBe(broken);
    expect([m!.groups!.line, m!.groups!.col]).toEqual(["3", "7"]);
    expect(m!.groups!.message).toBe("cannot multiply x: [32, 784] by W1: [785, 15]: inner sizes 784 and 785 differ");
    expect(m!.groups!.source).toBe("h = x @ W1");
    expect(m!.groups!.caret).toBe("      ^");
    expect(use.code).toBe(2);
    expect(use.stderr).toMatch(/Q/);
  });
});
