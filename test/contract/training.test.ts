// LANGUAGE.md's `train` keys and initializers, through `netc train`: sgd with momentum, adam and its
// defaults, the schedules, shuffle, epochs vs steps and the flags over them, seeds, and what each
// initializer draws (read back from PARAMS.json after training with a zero gradient).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { netcHere, scratch } from "./helpers.ts";

const tmp = scratch("training");
afterEach(() => {
  process.exitCode = undefined;
});

let n = 0;
/** Trains `model` with `flags`; returns the saved params and what was printed. */
async function train(model: string, ...flags: string[]) {
  const file = tmp.file(`m${n}.net`, model);
  const out = join(tmp.dir, `m${n++}.params.json`);
  const r = await netcHere("train", file, "--out", out, ...flags);
  if (r.code !== 0) throw new Error(`netc train exited ${r.code}:\n${model}\n${r.stderr}${r.stdout}`);
  return { params: JSON.parse(readFileSync(out, "utf8")).params as Record<string, unknown>, stdout: r.stdout, file: JSON.parse(readFileSync(out, "utf8")) };
}

/** Seed 000's simple network with another train block. */
const simple = (block: string) => `input  a = 2\ntarget d = 1\nparam  w = 0.8\nf = a * w\nloss C = (f - d)^2\ntrain { ${block} }\n`;

// w after each step, by hand: g = 2a(aw - d) = 8w - 4.
const sgd = (w: number, lr: number) => w - lr * (8 * w - 4);

describe("optimizers", () => {
  it("sgd(lr, momentum): v = μv + g, w -= lr·v (PyTorch's form)", async () => {
    const { params } = await train(simple("optimizer = sgd(0.1, 0.9)  steps = 3"));
    let w = 0.8;
    let v = 0;
    for (let t = 0; t < 3; t++) {
      v = 0.9 * v + (8 * w - 4);
      w -= 0.1 * v;
    }
    expect(params.w).toBeCloseTo(w, 14);
  });

  it("sgd by name, momentum defaulting to 0", async () => {
    const { params } = await train(simple("optimizer = sgd(lr = 0.05)  steps = 2"));
    expect(params.w).toBeCloseTo(sgd(sgd(0.8, 0.05), 0.05), 15);
  });

  const adam = (steps: number, lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-8) => {
    let [w, m, v] = [0.8, 0, 0];
    for (let t = 1; t <= steps; t++) {
      const g = 8 * w - 4;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      w -= (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
    }
    return w;
  };
  const table: [string, string, number][] = [
    ["adam with every default (lr 0.001, betas 0.9/0.999, eps 1e-8)", "optimizer = adam  steps = 3", adam(3, 0.001)],
    ["adam(lr = 0.1)", "optimizer = adam(lr = 0.1)  steps = 4", adam(4, 0.1)],
    ["adam positional", "optimizer = adam(0.05, 0.8, 0.99, 1e-6)  steps = 4", adam(4, 0.05, 0.8, 0.99, 1e-6)],
    ["adam by name, in any order", "optimizer = adam(eps = 1e-3, beta2 = 0.9, lr = 0.01)  steps = 3", adam(3, 0.01, 0.9, 0.9, 1e-3)],
  ];
  it.each(table)("%s, with bias correction", async (_, block, w) => {
    const { params } = await train(simple(block));
    expect(params.w).toBeCloseTo(w, 13);
  });

  it("--lr overrides the block's learning rate, --steps its length", async () => {
    const { params } = await train(simple("optimizer = sgd(lr = 0.5)  epochs = 10"), "--lr", "0.1", "--steps", "2");
    expect(params.w).toBeCloseTo(sgd(sgd(0.8, 0.1), 0.1), 15);
  });

  it("with both epochs and steps in the block, steps wins", async () => {
    const { file } = await train(simple("optimizer = sgd(0.1)  epochs = 7  steps = 3"));
    expect(file.step).toBe(3);
  });
});

describe("schedules (epoch-based; the simple network takes one step per epoch)", () => {
  const table: [string, string, number[]][] = [
    ["constant", "schedule = constant", [0.1, 0.1, 0.1, 0.1]],
    ["step(2, 0.5): halve every 2 epochs", "schedule = step(2, 0.5)", [0.1, 0.1, 0.05, 0.05]],
    ["step(every = 1, factor = 0.1)", "schedule = step(every = 1, factor = 0.1)", [0.1, 0.01, 0.001, 0.0001]],
    ["exponential(0.5)", "schedule = exponential(0.5)", [0.1, 0.05, 0.025, 0.0125]],
  ];
  it.each(table)("%s", async (_, schedule, rates) => {
    const { params } = await train(simple(`optimizer = sgd(0.1)  epochs = 4  ${schedule}`));
    expect(params.w).toBeCloseTo(rates.reduce(sgd, 0.8), 15);
  });
});

describe("minibatches, shuffle and seeds", () => {
  // One row per step (B = 1): the order of the rows decides where w ends.
  const model = (shuffle: string) =>
    `dim B = 1\ninput x: [B]\ntarget y: [B]\nparam w = 0\nloss L = sum((w * x - y)^2)\ntrain { optimizer = sgd(0.1)  epochs = 1  ${shuffle} }\n`;
  const data = tmp.file("rows.json", JSON.stringify({ x: [1, 2], y: [1, 1] }));
  // rows in order: w = 0.2 then 0.44; reversed: 0.4 then 0.52
  it("shuffle = false feeds the rows in order", async () => {
    for (const seed of ["0", "1", "2"]) {
      const { params } = await train(model("shuffle = false"), "--data", data, "--seed", seed);
      expect(params.w).toBeCloseTo(0.44, 14);
    }
  });

  it("shuffle = true (the default) reorders them, reproducibly per seed", async () => {
    const ends = new Set<number>();
    for (const seed of ["0", "1", "2", "3", "4", "5", "6", "7"]) {
      const a = await train(model(""), "--data", data, "--seed", seed);
      const b = await train(model("shuffle = true"), "--data", data, "--seed", seed);
      expect(a.params.w).toBe(b.params.w);
      expect([0.44, 0.52].some((w) => Math.abs((a.params.w as number) - w) < 1e-14), String(a.params.w)).toBe(true);
      ends.add(Math.round((a.params.w as number) * 100));
    }
    expect([...ends].sort()).toEqual([44, 52]);
  });

  it("a data set of 5 rows with B = 2: 3 steps an epoch, the last one of 1 row", async () => {
    const m = `dim B = 2\ninput x: [B, 1]\ntarget y: [B, 1]\nparam w: [1, 1] = zeros\nloss L = mean((x @ w - y)^2)\ntrain { optimizer = sgd(0.1)  epochs = 2  shuffle = false }\n`;
    const d = tmp.file("five.json", JSON.stringify({ x: [[1], [1], [1], [1], [1]], y: [[1], [1], [1], [1], [1]] }));
    const { file } = await train(m, "--data", d);
    expect(file.step).toBe(6);
    // every batch has the same mean gradient 2(w - 1): six steps of w -= 0.2 (w - 1)
    expect(file.params.w[0][0]).toBeCloseTo(1 - 0.8 ** 6, 14);
  });
});

describe("initializers (params read back after training with a zero gradient)", () => {
  const stats = (v: number[]) => {
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
    return { mean, std, min: Math.min(...v), max: Math.max(...v) };
  };
  const model = (init: string, seed = 1) => `param W: [200, 100] = ${init}\nloss L = sum(W) * 0\ntrain { steps = 1  seed = ${seed} }\n`;
  const flat = async (init: string, seed = 1) => ((await train(model(init, seed))).params.W as number[][]).flat();

  it("xavier: Glorot uniform, U(±sqrt(6 / (fan_in + fan_out)))", async () => {
    const v = await flat("xavier");
    const a = Math.sqrt(6 / 300);
    const s = stats(v);
    expect(s.min).toBeGreaterThanOrEqual(-a);
    expect(s.max).toBeLessThanOrEqual(a);
    expect(s.max).toBeGreaterThan(0.95 * a);
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    expect(s.std).toBeCloseTo(a / Math.sqrt(3), 2);
  });

  it("he: Kaiming normal, N(0, sqrt(2 / fan_in)) with fan_in = 200", async () => {
    const s = stats(await flat("he"));
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    expect(s.std).toBeGreaterThan(0.1 * 0.97);
    expect(s.std).toBeLessThan(0.1 * 1.03);
  });

  it("normal(mean, std)", async () => {
    const s = stats(await flat("normal(1, 0.5)"));
    expect(s.mean).toBeCloseTo(1, 1);
    expect(s.std).toBeGreaterThan(0.5 * 0.97);
    expect(s.std).toBeLessThan(0.5 * 1.03);
  });

  it("uniform(lo, hi)", async () => {
    const s = stats(await flat("uniform(-1, 2)"));
    expect(s.min).toBeGreaterThanOrEqual(-1);
    expect(s.max).toBeLessThan(2);
    expect(s.mean).toBeCloseTo(0.5, 1);
    expect(s.std).toBeCloseTo(3 / Math.sqrt(12), 1);
  });

  it.each([["a number", "-2.5", -2.5], ["zeros", "zeros", 0], ["ones", "ones", 1], ["zeros()", "zeros()", 0]] as const)("%s fills", async (_, init, value) => {
    const v = await flat(init);
    expect(v).toHaveLength(20000);
    expect(v.every((x) => x === value)).toBe(true);
  });

  it("the same seed draws the same params; another seed others", async () => {
    const [a, b, c] = await Promise.all([flat("xavier", 3), flat("xavier", 3), flat("xavier", 4)]);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});
