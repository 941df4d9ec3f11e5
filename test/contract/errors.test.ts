// LANGUAGE.md, "Errors": every error in a model file is `FILE:LINE:COL: error: MESSAGE`, the source
// line and a caret under the column, exit status 1; no input, however malformed, produces a stack
// trace, a hang or generated code that does not compile. Also: names are ordinary names (JavaScript
// keywords, `constructor`, `__proto__`, names of the generated code's own helpers), built-ins and
// statement keywords cannot be rebound, and sizes too large to allocate are refused up front.
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { writeFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { REPORT, gradAt, netcHere, scratch } from "./helpers.ts";

const tmp = scratch("errors");
afterEach(() => {
  process.exitCode = undefined;
});

interface Expected {
  line: number;
  col: number;
  message: RegExp | string;
  /** The text that the caret points at in the echoed source line. */
  at?: string;
  /** How many errors the run reports (default: not checked). */
  count?: number;
}

/** `netc check` on `source`; the first report parsed, every `error:` line counted. */
async function firstError(name: string, source: string | Buffer) {
  const file = tmp.file(`${name.replace(/[^A-Za-z0-9]/g, "_").slice(0, 40)}_${Math.random().toString(36).slice(2, 7)}.net`, source);
  const r = await netcHere("check", file);
  return { r, file, m: REPORT.exec(r.stderr), count: (r.stderr.match(/^[^\n]*:\d+:\d+: error: /gm) ?? []).length };
}

const errors: [string, string | Buffer, Expected][] = [
  ["inner sizes differ (LANGUAGE.md's example)", "input x: [32, 784]\nparam W1: [785, 15] = xavier\nh = x @ W1\n", { line: 3, col: 7, message: "cannot multiply x: [32, 784] by W1: [785, 15]: inner sizes 784 and 785 differ", at: "@" }],
  ["an unknown name, with a suggestion", "input input1\ny = inptu1 * 2\n", { line: 2, col: 5, message: "unknown name 'inptu1' (did you mean 'input1'?)", at: "inptu1" }],
  ["rebinding a binding", "input x\ny = x\ny = x^2\n", { line: 3, col: 1, message: "y is already defined at 2:1 (as a binding); names can be bound only once", at: "y" }],
  ["rebinding an input", "input x\nx = 3\n", { line: 2, col: 1, message: /x is already defined at 1:7 \(as an input\)/ }],
  ["declaring a param twice", "param w = 1\nparam w = 2\n", { line: 2, col: 7, message: /w is already defined at 1:7/ }],
  ["a def over a binding", "input x\ny = x\ndef y(a) = a\n", { line: 3, col: 5, message: /y is already defined/ }],
  ["binding a built-in name", "input x\nsigmoid = x\n", { line: 2, col: 1, message: /sigmoid is a built-in function/ }],
  ["declaring a built-in name", "input exp\n", { line: 1, col: 7, message: /exp is a built-in function/ }],
  ["a def named like a built-in", "input x\ndef relu(a) = a\n", { line: 2, col: 5, message: /relu is a built-in function/ }],
  ["a def parameter named like a built-in", "input x\ndef f(sum) = sum\n", { line: 2, col: 7, message: /sum is a built-in function/ }],
  ["binding `grad`", "input x\ngrad = x\n", { line: 2, col: 1, message: /'grad' is a reserved word/ }],
  ["a statement keyword as a name", "input loss\n", { line: 1, col: 7, message: /'loss' is a reserved word/ }],
  ["`wrt` as a name", "param wrt = 1\n", { line: 1, col: 7, message: /'wrt' is a reserved word/ }],
  ["an unclosed parenthesis", "input x\ny = (x + 2\n", { line: 2, col: 11, message: "expected ')' to close the '(' at 2:5, found end of file" }],
  ["a malformed number", "input x\ny = 1.2.3 * x\n", { line: 2, col: 5, message: "malformed number '1.2.3'", at: "1.2.3" }],
  ["a number too large", "input x\ny = x * 1e999\n", { line: 2, col: 9, message: /1e999/ }],
  ["an empty file", "", { line: 1, col: 1, message: /empty/ }],
  ["only comments", "# nothing here\n  # really\n", { line: 1, col: 1, message: /empty/ }],
  ["an axis out of range", "input x: [3, 4]\ny = sum(x, 2)\n", { line: 2, col: 12, message: "axis 2 is out of range for x: [3, 4] of rank 2 (use 0 to 1, or -1 for the last)" }],
  ["a negative axis out of range", "input x: [3, 4]\ny = mean(x, -3)\n", { line: 2, col: 13, message: /axis -3 is out of range/ }],
  ["a non-integer axis", "input x: [3, 4]\ny = sum(x, 0.5)\n", { line: 2, col: 12, message: /axis/ }],
  ["a loss that is not scalar", "input x: [3]\nloss L = x * 2\n", { line: 2, col: 10, message: "loss L must be a scalar, but it has shape [3]: reduce it, e.g. mean(...) or sum(...)" }],
  ["two losses", "input x\nloss L = x\nloss M = x^2\n", { line: 3, col: 1, message: /at most one loss/ }],
  ["recursion", "input x\ndef f(a) = f(a) + 1\ny = f(x)\n", { line: 2, col: 12, message: "f calls itself: functions cannot be recursive" }],
  ["too few arguments to a def", "input x\ndef f(a, b) = a * b\ny = f(x)\n", { line: 3, col: 5, message: "f takes 2 arguments (a, b), found 1: missing b" }],
  ["lr 0", "param w = 1\nloss L = w^2\ntrain { optimizer = sgd(lr = 0) }\n", { line: 3, col: 30, message: "lr of sgd must be positive, found 0", at: "0" }],
  ["step(0, …): one error, about every", "param w = 1\nloss L = w^2\ntrain { schedule = step(0, 0.5) }\n", { line: 3, col: 25, message: "every of step must be a positive integer, found 0", count: 1 }],
  ["beta1 = 1", "param w = 1\nloss L = w^2\ntrain { optimizer = adam(beta1 = 1) }\n", { line: 3, col: 34, message: /beta1 of adam/ }],
  ["an unknown train key", "param w = 1\nloss L = w^2\ntrain { epoch = 3 }\n", { line: 3, col: 9, message: /unknown train key 'epoch'/ }],
  ["a train block without a loss", "param w = 1\ny = w^2\ntrain { steps = 3 }\n", { line: 3, col: 1, message: /needs a loss/ }],
  ["grad of a non-scalar", "input x: [3]\ny = x * 2\ngrad y wrt x\n", { line: 3, col: 6, message: /grad y needs a scalar/ }],
  ["grad with respect to a binding", "input x\ny = x * 2\nz = y^2\ngrad z wrt y\n", { line: 4, col: 12, message: /derivatives are taken with respect to inputs or params/ }],
  ["rank 5 is refused", "input x: [2, 3, 4, 5, 6]\n", { line: 1, col: 23, message: /rank 5/, at: "6" }],
  ["a zero size", "input x: [0, 2]\n", { line: 1, col: 11, message: /positive integers, found 0/ }],
  ["dim 0", "dim B = 0\ninput x: [B]\n", { line: 1, col: 9, message: /dim B must be a positive integer, found 0/ }],
  ["a fractional dim", "dim B = 2.5\n", { line: 1, col: 9, message: /dim B must be a positive integer/ }],
  ["a dim used before it is declared", "input x: [B]\ndim B = 2\n", { line: 1, col: 11, message: /declared later/ }],
  ["a default on a tensor", "input y: [2] = 3\n", { line: 1, col: 16, message: /only a scalar input can have a default value/ }],
  ["an unknown initializer", "param w: [2] = glorot\n", { line: 1, col: 16, message: /unknown initializer 'glorot'/ }],
  ["a negative std", "param w: [2] = normal(0, -1)\n", { line: 1, col: 16, message: /std of normal must not be negative/ }],
  ["uniform with lo > hi", "param w: [2] = uniform(2, 1)\n", { line: 1, col: 16, message: /lo <= hi/ }],
  ["broadcasting mismatch", "input x: [2]\ninput b: [2, 3]\ny = x * b\n", { line: 3, col: 7, message: /sizes 2 and 3 differ/ }],
  ["[B,1] + [B,10] broadcasts, [B,2] + [B,10] does not", "input a: [4, 1]\ninput b: [4, 10]\ninput c: [4, 2]\ny = a + b\nz = c + b\n", { line: 5, col: 7, message: /2 and 10/, count: 1 }],
  // huge sizes: refused with the user's names instead of an out-of-memory crash
  ["dim B = 999999999", "dim B = 999999999\ninput x: [B, 784]\nparam W: [784, 10] = xavier\nloss L = sum(x @ W)\n", { line: 2, col: 11, message: /x: \[999999999, 784\] is too large/ }],
  ["an outer product too large", "dim N = 20000\ninput a: [N, 1]\ninput b: [1, N]\nf = sum(a * b)\n", { line: 4, col: 11, message: /a \* b: \[20000, 20000\] is too large/ }],
  ["too large in all", "dim N = 60000000\ninput x: [N]\nh = sigmoid(x)\nh2 = tanh(h)\nloss L = mean(h2 + h)\n", { line: 4, col: 1, message: /the model is too large/ }],
  // layout: the column counts characters of the line as written
  ["a byte-order mark does not count as a column", "\uFEFFy = q\n", { line: 1, col: 5, message: "unknown name 'q'", at: "q" }],
  ["CRLF line endings", "input x\r\ny = x\r\nz = q\r\n", { line: 3, col: 5, message: /unknown name 'q'/, at: "q" }],
  ["CRLF, a syntax error", "input x\r\ny = (x\r\nz = 2\r\n", { line: 2, col: 7, message: /expected .\). to close the .\(. at 2:5/ }],
  ["a tab counts as one column", "input x\n\ty = q\n", { line: 2, col: 6, message: /unknown name 'q'/, at: "q" }],
  ["a non-ASCII letter", "input x\nf = x + é\n", { line: 2, col: 9, message: /é/, at: "é" }],
  ["an emoji", "input x\nf = x + 😀\n", { line: 2, col: 9, message: /😀|U\+1F600/ }],
  ["a very long line", `input x\ny = x${" + x".repeat(2000)} + q\n`, { line: 2, col: 8009, message: /unknown name 'q'/, at: "q" }],
  ["an expression too deep to check is reported at its statement", `input x\nf = ${Array(20000).fill("x").join(" + ")}\n`, { line: 2, col: 1, message: /nested too deeply/ }],
  ["absurd nesting", `input x\ny = ${"(".repeat(300)}x${")".repeat(300)}\n`, { line: 2, col: 205, message: /nested too deeply/ }],
];

describe("errors are FILE:LINE:COL: error: MESSAGE, the source line, a caret; exit 1", () => {
  it.each(errors)("%s", async (_, source, want) => {
    const { r, file, m, count } = await firstError(_, source);
    expect(r.code, r.stderr + r.stdout).toBe(1);
    expect(m, r.stderr).not.toBeNull();
    const g = m!.groups!;
    expect(g.file).toBe(file);
    expect([Number(g.line), Number(g.col)], r.stderr).toEqual([want.line, want.col]);
    if (typeof want.message === "string") expect(g.message).toBe(want.message);
    else expect(g.message).toMatch(want.message);
    // the echoed line is the source line, without its line ending; the caret sits under the column
    const text = typeof source === "string" ? source : source.toString("utf8");
    const line = text.replace(/^\uFEFF/, "").split(/\r?\n/)[want.line - 1] ?? "";
    expect(g.source.replace(/\t/g, " ")).toBe(line.replace(/\t/g, " "));
    expect(g.caret.length - 1).toBe(want.col - 1);
    if (want.at) expect(g.source.slice(want.col - 1, want.col - 1 + want.at.length)).toBe(want.at);
    if (want.count !== undefined) expect(count, r.stderr).toBe(want.count);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at .*:\d+:\d+\)?\n/);
  });
});

// Inputs that must not crash, hang, or produce code that does not compile: each either passes
// (exit 0) or is reported in the contract's format (exit 1).
const junk: [string, string | Buffer][] = [
  ["binary garbage", Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0xff, 0xfe, 0x0a, 0x00, 0x00, 0x89, 0x50])],
  ["a NUL byte", "input x\ny = x\n\u0000\n"],
  ["a zero-width space", "input x\n\u200By = x\n"],
  ["a right-to-left override", "input x\ny = x \u202E+ 1\n"],
  ["invalid UTF-8", Buffer.from("input x\ny = x + \xff\xfe\n", "latin1")],
  ["CR-only line endings", "input x\ry = x + 1\rgrad y wrt x\r"],
  ["an unterminated train block", "param w = 1\nloss L = w^2\ntrain { steps = 3\n"],
  ["a dangling def", "def f(\n"],
  ["an unterminated shape", "input x: [2, \n"],
  ["operators only", "@@ ^^ ** // ++ --\n"],
  ["keywords only", "model dim input target param def output loss grad wrt train\n"],
  ["300 unary minuses", `input x\noutput y = ${"-".repeat(300)}x\n`],
  ["a 3,000-deep ^ chain", `input x\ny = ${"x^".repeat(3000)}x\n`],
  ["a 5,000-term sum", `input x\ny = ${Array(5000).fill("x").join(" + ")}\ngrad y wrt x\n`],
  ["a 300-term product", `input x\ny = ${Array(300).fill("x").join(" * ")}\ngrad y wrt x\n`],
  ["1,000 bindings", `input x\nb0 = x\n${Array.from({ length: 1000 }, (_, i) => `b${i + 1} = b${i} * 1.001 + x`).join("\n")}\ngrad b1000 wrt x\n`],
  ["exponential def inlining", `input x\ndef f0(a) = a + a\n${Array.from({ length: 40 }, (_, i) => `def f${i + 1}(a) = f${i}(a) + f${i}(a)`).join("\n")}\ny = f40(x)\n`],
  ["a huge literal", "input x\ny = x * 1e308 * 1e308\ngrad y wrt x\n"],
  ["`*/` in comments next to bindings", "input x # */ throw 1; /*\ny = x^2 # */ console.log(1) /*\ngrad y wrt x # */\n"],
];

describe("no input produces a stack trace, a hang, or a module that does not load", () => {
  it.each(junk)("%s", async (_, source) => {
    const { r, m } = await firstError(_, source);
    expect([0, 1], r.stderr + r.stdout).toContain(r.code);
    // exit 1: an error in the contract's format, or a derivative that netc check found wrong
    if (r.code === 1 && !/^FAIL /m.test(r.stdout)) expect(m, r.stderr).not.toBeNull();
    expect(r.stderr).not.toMatch(/internal error|\n\s+at .*:\d+:\d+\)?\n/);
  });
});

// Names the generated code also uses (its exports, helpers, loop variables, derivative buffers), and
// JavaScript's own names: as model names they must compile, load, check, and give the right values.
const CLASH = `dim i = 3
dim j = 2
input k: [i, 4]
target acc0: [i, j]
param aik: [4, j] = xavier
param p: [j] = zeros
out = k @ aik + p
lr = softmax(out, 1)
e = log_softmax(out)
forwardResult = sum(lr * e)
gradientResult = transpose(out)
backprop = sum(gradientResult @ out) * 1e-3
L_sum = cross_entropy(out, acc0)
dL_dout = L_sum + forwardResult
dL_dp = dL_dout + backprop
dL_daik = dL_dp * 1
acc = mean(relu(out)) * i / j
acc_1 = acc
bk0 = sum(max(out, 0.5)) + sum(min(out, acc0))
sigmoid_0 = bk0
t = sigmoid_0
state = t
params = state
data = params
values = data + acc_1
grads = values
hyper = grads
scalars = hyper
record = scalars
Float32Array = record
Float64Array = Float32Array
Math = Float64Array
Number = Math
Infinity = Number
NaN = Infinity
undefined = NaN
arguments = undefined
eval = arguments
this = eval
new = this
exports = new
require = exports
import = require
await = import
yield = await
let = yield
var = let
class = var
super = class
constructor = super
__proto__ = constructor
prototype = __proto__
hasOwnProperty = prototype
toString = hasOwnProperty
function = toString
delete = function
L = delete
loss dL_dk = L + dL_daik
output meta = lr
output forward = e
output gradient = acc
output step = bk0
output backpropResult = out
grad dL_dp wrt k
train { optimizer = adam(0.01) steps = 3 }
`;

describe("names are ordinary names, even the generated code's own", () => {
  const file = tmp.file("clash.net", CLASH);

  it("compiles (f64 and f32), passes netc check, and trains", async () => {
    for (const dtype of ["f64", "f32"]) {
      const c = await netcHere("check", file, "--dtype", dtype);
      expect(c.code, c.stdout + c.stderr).toBe(0);
      expect(c.stdout).toMatch(/^ok: all 3 derivatives agree/m);
    }
    const data = tmp.file("clash-data.json", JSON.stringify({ k: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]], acc0: [[1, 0], [0, 1], [1, 0]] }));
    const t = await netcHere("train", file, "--data", data, "--quiet", "--out", join(tmp.dir, "clash.params.json"));
    expect(t.code, t.stderr).toBe(0);
    const saved = JSON.parse(readFileSync(join(tmp.dir, "clash.params.json"), "utf8"));
    expect(Object.keys(saved.params).sort()).toEqual(["aik", "p"]);
  });

  it("gives the values the same model gets with plain names", async () => {
    const k = [[1, 2, 0, 0], [0, 1, -1, 0], [0, 0, 1, 1]];
    const acc0 = [[1, 0], [0, 1], [1, 0]];
    const aik = [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6], [0.7, -0.8]];
    const p = [0.05, -0.05];
    const r = await gradAt(tmp, "clash", CLASH, { k, acc0, aik, p });
    // recompute by hand: out = k @ aik + p, then the chain above
    const out = k.map((row) => [0, 1].map((c) => row.reduce((s, v, r2) => s + v * aik[r2]![c]!, 0) + p[c]!));
    const lse = out.map((row) => Math.log(row.reduce((s, v) => s + Math.exp(v), 0)));
    const e = out.map((row, r2) => row.map((v) => v - lse[r2]!));
    const lr = e.map((row) => row.map(Math.exp));
    const forwardResult = lr.flat().reduce((s, v, n) => s + v * e.flat()[n]!, 0);
    const xe = -acc0.flat().reduce((s, v, n) => s + v * e.flat()[n]!, 0) / 3;
    let gram = 0;
    for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) for (let r2 = 0; r2 < 3; r2++) gram += out[r2]![a]! * out[r2]![b]!;
    const dL_dp = xe + forwardResult + gram * 1e-3;
    expect(r.value.dL_dp).toBeCloseTo(dL_dp, 12);
    expect(r.value.meta).toEqual(lr.map((row) => row.map((v) => expect.closeTo(v, 12))));
    expect(Object.keys(r.value).sort()).toEqual(["backpropResult", "dL_dk", "dL_dp", "forward", "gradient", "meta", "step"]);
    expect(Object.keys(r.grad).sort()).toEqual(["dL_dk/aik", "dL_dk/p", "dL_dp/k"]);
  });

  it("the compiled modules type-check under tsc --strict", async () => {
    const dir = join(tmp.dir, "tsc");
    const files: string[] = [];
    for (const [name, source] of [["clash", CLASH], ["comments", junk.find((j) => j[0].startsWith("`*/`"))![1] as string]] as const) {
      for (const dtype of ["f64", "f32"]) {
        const c = await netcHere("compile", tmp.file(`${name}-${dtype}.net`, source), "-o", join(dir, dtype), "--dtype", dtype);
        expect(c.code, c.stderr).toBe(0);
        files.push(c.stdout.trim());
      }
    }
    const config = {
      compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "ES2022", moduleResolution: "bundler", lib: ["ES2022"], types: [], skipLibCheck: true },
      files: files.map((f) => resolve(f)),
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
    const run = spawnSync(process.execPath, [resolve("node_modules", "typescript", "bin", "tsc"), "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
