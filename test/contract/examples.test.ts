// Every example model of LANGUAGE.md, copied verbatim: it compiles, `netc check` passes on it, its
// derivatives have the values calculus gives, and where it has a train block it trains (seed 000's
// tables for the simple network; the MNIST network on `--data mnist`, evaluated on the test digits).
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { close, gradAt, netcHere, scratch } from "./helpers.ts";

const tmp = scratch("examples");
afterEach(() => {
  process.exitCode = undefined;
});

const MNIST = `# mnist.net — the 784-15-10 network of seed 000 (11,935 parameters)
model mnist

dim B = 32                          # batch size; \`--dim B=64\` overrides it at compile time

input  x: [B, 784]                  # data fed at every step
target y: [B, 10]                   # labels (data too; marked so tools know what to compare)

param W1: [784, 15] = xavier        # trainable, with an initializer
param b1: [15]      = zeros
param W2: [15, 10]  = xavier
param b2: [10]      = zeros

def dense(a, W, b) = sigmoid(a @ W + b)     # a function, inlined where it is used

h = dense(x, W1, b1)                # a binding: a name for an expression
output yhat = dense(h, W2, b2)      # what prediction and evaluation return
loss L = mean(sum((yhat - y)^2, 1)) # the scalar that training minimises

train {
  optimizer = sgd(lr = 0.5)         # also sgd(lr, momentum), adam(lr, beta1, beta2, eps)
  epochs = 10
  seed = 1                          # everything random (init, shuffling) is reproducible
}
`;

const CALCULUS_1 = `input x
f2 = 5*x^3 - x + 1
f1 = f2 - 2
f  = 4*f1^2
grad f wrt x
`;

const CALCULUS_2 = `input u
input v
x = sin(u) + cos(v)
y = exp(u*v)
f = 2*x^3 + y
grad f wrt u, v
`;

const SIMPLE = `input  a = 2
target d = 1
param  w = 0.8
f = a * w
loss C = (f - d)^2
train { optimizer = sgd(lr = 0.1)  steps = 25 }
`;

const files = {
  mnist: tmp.file("mnist.net", MNIST),
  calculus1: tmp.file("calculus1.net", CALCULUS_1),
  calculus2: tmp.file("calculus2.net", CALCULUS_2),
  simple: tmp.file("simple.net", SIMPLE),
};

/** The `w` of every progress line `step  3/25  loss 0.000576  w 0.5024`. */
const wPerStep = (stdout: string): number[] => [...stdout.matchAll(/^step +\d+\/\d+ .* w (\S+)$/gm)].map((m) => Number(m[1]));

describe("LANGUAGE.md examples compile and check", () => {
  const table: [string, string, string[]][] = [
    ["the MNIST network", files.mnist, []],
    ["the MNIST network, f32", files.mnist, ["--dtype", "f32"]],
    ["the MNIST network, --dim B=7", files.mnist, ["--dim", "B=7"]],
    ["calculus, exercise 1", files.calculus1, []],
    ["calculus, exercise 1, f32", files.calculus1, ["--dtype", "f32"]],
    ["calculus, exercise 2", files.calculus2, []],
    ["calculus, exercise 2, f32", files.calculus2, ["--dtype", "f32"]],
    ["the simple network", files.simple, []],
    ["the simple network, f32", files.simple, ["--dtype", "f32"]],
  ];
  it.each(table)("%s: netc compile writes a module and prints its path; netc check exits 0", async (_, file, flags) => {
    const out = `${tmp.dir}/out-${Math.random().toString(36).slice(2, 8)}`;
    const c = await netcHere("compile", file, "-o", out, ...flags);
    expect(c.code, c.stderr).toBe(0);
    const path = c.stdout.trim();
    expect(path).toMatch(/\.ts$/);
    expect(path.startsWith(out)).toBe(true);
    expect(readFileSync(path, "utf8")).toMatch(/export (const|function) (meta|forward|gradient|step)\b/);
    const k = await netcHere("check", file, ...flags);
    expect(k.code, k.stdout + k.stderr).toBe(0);
    expect(k.stdout).toMatch(/^ok: /m);
  });

  it("the MNIST network is named by its `model` statement: generated/mnist.ts, --dim B=64 in its shapes", async () => {
    const out = `${tmp.dir}/named`;
    const c = await netcHere("compile", files.mnist, "-o", out, "--dim", "B=64");
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout.trim()).toBe(`${out}/mnist.ts`);
    const ast = await netcHere("compile", files.mnist, "--emit", "ast", "--dim", "B=64");
    expect(ast.stdout).toMatch(/input x: \[64, 784\]/);
    expect(ast.stdout).toMatch(/# 11935 trainable parameters/);
  });
});

describe("LANGUAGE.md's calculus examples have the derivatives calculus gives", () => {
  it("exercise 1: f = 4(5x³ − x − 1)², f' = 8(5x³ − x − 1)(15x² − 1)", async () => {
    for (const x of [1, -0.5, 2]) {
      const f1 = 5 * x ** 3 - x - 1;
      const r = await gradAt(tmp, "calc1", CALCULUS_1, { x });
      expect(Object.keys(r.value)).toEqual(["f"]);
      expect(close(r.value.f, 4 * f1 ** 2)).toBe(true);
      expect(Object.keys(r.grad)).toEqual(["f/x"]);
      expect(close(r.grad["f/x"], 8 * f1 * (15 * x ** 2 - 1)), `x = ${x}: ${JSON.stringify(r)}`).toBe(true);
    }
  });

  it("exercise 2: f = 2(sin u + cos v)³ + e^(uv), both partial derivatives", async () => {
    const [u, v] = [0.5, 1];
    const s = Math.sin(u) + Math.cos(v);
    const r = await gradAt(tmp, "calc2", CALCULUS_2, { u, v });
    expect(close(r.value.f, 2 * s ** 3 + Math.exp(u * v))).toBe(true);
    expect(close(r.grad["f/u"], 6 * s ** 2 * Math.cos(u) + v * Math.exp(u * v))).toBe(true);
    expect(close(r.grad["f/v"], -6 * s ** 2 * Math.sin(v) + u * Math.exp(u * v))).toBe(true);
  });

  it("the simple network at its defaults: {\"a\": 2, \"d\": 1, \"w\": 0.8} gives C = 0.36, dC/dw = 2.4", async () => {
    const full = await gradAt(tmp, "simple", SIMPLE, { a: 2, d: 1, w: 0.8 });
    expect(close(full.value.C, 0.36)).toBe(true);
    expect(close(full.grad["C/w"], 2.4)).toBe(true);
    // Omitted scalars take their defaults (a = 2, d = 1, w's fill 0.8).
    const none = await gradAt(tmp, "simple", SIMPLE, {});
    expect(none).toEqual(full);
  });
});

describe("LANGUAGE.md's simple network trains to seed 000's tables", () => {
  it("lr 0.1 (its train block) reaches w = 0.5 in 25 steps, and saves it", async () => {
    const out = `${tmp.dir}/simple-0.1.json`;
    const r = await netcHere("train", files.simple, "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const w = wPerStep(r.stdout);
    expect(w).toHaveLength(25);
    const table: [number, number][] = [[1, 0.56], [2, 0.512], [3, 0.5024], [4, 0.50048], [5, 0.500096]];
    for (const [k, v] of table) expect(Math.abs(w[k - 1]! - v), `step ${k}`).toBeLessThan(1e-15);
    const saved = JSON.parse(readFileSync(out, "utf8"));
    expect(Math.abs(saved.params.w - 0.5)).toBeLessThan(1e-15);
  });

  it("lr 1.0 gives w = -1.6, 15.2, -102.4, 720.8, -5041.6", async () => {
    const out = `${tmp.dir}/simple-1.0.json`;
    const r = await netcHere("train", files.simple, "--lr", "1.0", "--steps", "5", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    const expected = [-1.6, 15.2, -102.4, 720.8, -5041.6];
    const w = wPerStep(r.stdout);
    expect(w).toHaveLength(5);
    expected.forEach((v, i) => expect(Math.abs(w[i]! - v) / Math.abs(v), `step ${i + 1}`).toBeLessThan(1e-12));
    const saved = JSON.parse(readFileSync(out, "utf8"));
    expect(Math.abs(saved.params.w + 5041.6) / 5041.6).toBeLessThan(1e-12);
  });

  it("in f32 too, lr 0.1 reaches w = 0.5 (to float32 precision)", async () => {
    const out = `${tmp.dir}/simple-f32.json`;
    const r = await netcHere("train", files.simple, "--dtype", "f32", "--out", out);
    expect(r.code, r.stderr).toBe(0);
    expect(Math.abs(JSON.parse(readFileSync(out, "utf8")).params.w - 0.5)).toBeLessThan(1e-6);
  });
});

describe("LANGUAGE.md's MNIST network trains on --data mnist and evaluates on the 2,000 test digits", () => {
  it("one epoch over the 8,000 training digits (250 steps of 32), then eval --json", async () => {
    const params = `${tmp.dir}/mnist.params.json`;
    const t = await netcHere("train", files.mnist, "--data", "mnist", "--epochs", "1", "--out", params);
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toMatch(/8,000 examples/);
    expect(t.stdout).toMatch(/250 steps per epoch/);
    const saved = JSON.parse(readFileSync(params, "utf8"));
    expect(Object.keys(saved.params).sort()).toEqual(["W1", "W2", "b1", "b2"]);
    expect(saved.params.W1).toHaveLength(784);
    expect(saved.params.W1[0]).toHaveLength(15);
    expect(saved.params.b2).toHaveLength(10);

    const e = await netcHere("eval", files.mnist, "--params", params, "--data", "mnist", "--json");
    expect(e.code, e.stderr).toBe(0);
    const json = JSON.parse(e.stdout);
    expect(Object.keys(json).sort()).toEqual(["accuracy", "loss"]);
    expect(Number.isFinite(json.loss)).toBe(true);
    expect(json.accuracy).toBeGreaterThan(0.5); // one epoch of seed 000's network: about 74%
    expect(json.accuracy).toBeLessThanOrEqual(1);
    // a fraction of the 2,000 test digits
    expect(Math.abs(json.accuracy * 2000 - Math.round(json.accuracy * 2000))).toBeLessThan(1e-9);

    const text = await netcHere("eval", files.mnist, "--params", params, "--data", "mnist");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/2,000/);
    expect(text.stdout).toContain(`(${Math.round(json.accuracy * 2000).toLocaleString("en-US")} of 2,000)`);
  });
});
