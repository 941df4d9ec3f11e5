// `netc train`, `netc eval` and `netc predict` as real child processes on the example models,
// compiled by the real pipeline: seed 000's tables, XOR, MNIST interrupted with SIGINT and resumed,
// reproducible files, bad data and a diverging loss.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { netc, startNetc, waitForOutput } from "./helpers/cli.ts";
import { tempDir } from "./helpers/run.ts";

const dir = tempDir("netc-cli-");
const at = (name: string) => join(dir, name);

/** The `w` printed on each step line: "step  3/25  loss 0.000576  w 0.5024". */
function wPerStep(stdout: string): number[] {
  return [...stdout.matchAll(/^step +\d+\/\d+ +loss \S+ +w (\S+)$/gm)].map((m) => Number(m[1]));
}

describe.concurrent("netc train on the examples", () => {
  it("reproduces seed 000's tables with the compiled simple network", async () => {
    const [slow, fast] = await Promise.all([
      netc(["train", "examples/simple.net", "--out", at("simple.json")]),
      netc(["train", "examples/simple.net", "--lr", "1.0", "--steps", "5", "--out", at("simple-lr1.json")]),
    ]);
    expect(slow.code).toBe(0);
    const w = wPerStep(slow.stdout);
    expect(w).toHaveLength(25);
    const table: [number, number][] = [[1, 0.56], [2, 0.512], [3, 0.5024], [4, 0.50048], [22, 0.5000000000000001], [23, 0.5], [24, 0.5]];
    for (const [k, v] of table) expect(Math.abs(w[k - 1]! - v)).toBeLessThan(1e-15);
    expect(Math.abs(JSON.parse(readFileSync(at("simple.json"), "utf8")).params.w - 0.5)).toBeLessThan(1e-15);
    expect(slow.stdout).toMatch(/saved parameters to .*simple\.json/);

    expect(fast.code).toBe(0);
    const w1 = wPerStep(fast.stdout);
    [-1.6, 15.2, -102.4, 720.8, -5041.6].forEach((v, i) => expect(Math.abs(w1[i]! - v)).toBeLessThan(1e-12 * Math.abs(v)));
  });

  it("trains seed 003's XOR network to four correct outputs, with plots", async () => {
    const r = await netc(["train", "examples/xor.net", "--data", "xor", "--out", at("xor.json"), "--plot", at("plots")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/trained 10,000 epochs .*accuracy 100\.00% on 4 training examples/);
    writeFileSync(at("xor-in.json"), JSON.stringify({ X: [[0, 0], [0, 1], [1, 0], [1, 1]] }));
    const p = await netc(["predict", "examples/xor.net", "--params", at("xor.json"), "--at", at("xor-in.json")]);
    expect(p.code).toBe(0);
    const yhat = (JSON.parse(p.stdout).yhat as number[][]).map((row) => row[0]!);
    [0, 1, 1, 0].forEach((y, i) => expect(Math.abs(yhat[i]! - y)).toBeLessThan(0.5));
    for (const f of ["loss.svg", "decision.svg"]) expect(readFileSync(join(at("plots"), f), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it("writes byte-identical parameter files for the same seed", async () => {
    const runs = await Promise.all(
      ["a", "b"].map((name) => netc(["train", "examples/xor.net", "--data", "xor", "--epochs", "50", "--seed", "7", "--quiet", "--out", at(`seed-${name}.json`)])),
    );
    for (const r of runs) expect(r.code).toBe(0);
    const [a, b] = ["a", "b"].map((n) => readFileSync(at(`seed-${n}.json`), "utf8"));
    expect(a).toBe(b);
    expect(JSON.parse(a!).seed).toBe(7);
    expect(JSON.parse(a!).step).toBe(50);
  });

  it("stops on a loss that is no longer finite, keeping the last good parameters (exit 1)", async () => {
    const r = await netc(["train", "examples/simple.net", "--lr", "1.0", "--steps", "1000", "--quiet", "--out", at("diverged.json")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^netc: error: the loss became (Infinity|NaN) at epoch \d+, step \d+ .*saved in .*diverged\.json/);
    const saved = JSON.parse(readFileSync(at("diverged.json"), "utf8"));
    expect(Number.isFinite((2 * saved.params.w - 1) ** 2)).toBe(true);
  });

  it("reports bad data with file, row and column before training (exit 1)", async () => {
    writeFileSync(at("bad.csv"), "x0,x1,y\n0,0,0\n0,oops,1\n");
    const r = await netc(["train", "examples/xor.net", "--data", at("bad.csv"), "--out", at("never.json")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:3: column 2 \(x1\): 'oops' is not a finite number/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(at("never.json"))).toBe(false);
  });
});

describe("netc train --data mnist", () => {
  it("saves valid params on SIGINT mid-epoch (exit 130) and resumes to the same result as an uninterrupted run", async () => {
    const common = ["train", "examples/mnist_mlp.net", "--data", "mnist", "--epochs", "2"];
    const straight = netc([...common, "--quiet", "--out", at("mlp-straight.json")]);
    const run = startNetc([...common, "--out", at("mlp-cut.json")]);
    // The header is printed just before the first step; the signal is handled at the loop's first
    // pause (every 20 ms of steps), so it lands after step 1 and, at ~1,000 steps/s, mid-epoch.
    await waitForOutput(run.stdout, /^training mnist_mlp/m);
    run.child.kill("SIGINT");
    const cut = await run.done;
    expect(cut.code).toBe(130);
    expect(cut.stderr).toMatch(/interrupted after step \d+ of 500/);
    const saved = JSON.parse(readFileSync(at("mlp-cut.json"), "utf8"));
    expect(Object.keys(saved.params)).toEqual(["W1", "b1", "W2", "b2"]);
    expect(saved.params.W1).toHaveLength(784);
    expect(saved.step).toBeGreaterThan(0);
    expect(saved.step).toBeLessThan(500);

    const resumed = await netc([...common, "--resume", at("mlp-cut.json"), "--out", at("mlp-resumed.json")]);
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`resuming from .*mlp-cut\\.json at epoch ${saved.epoch + 1}, step ${saved.step}`));
    expect((await straight).code).toBe(0);
    expect(readFileSync(at("mlp-resumed.json"), "utf8")).toBe(readFileSync(at("mlp-straight.json"), "utf8"));

    const ev = await netc(["eval", "examples/mnist_mlp.net", "--params", at("mlp-resumed.json"), "--data", "mnist", "--json"]);
    expect(ev.code).toBe(0);
    const { loss, accuracy } = JSON.parse(ev.stdout);
    expect(loss).toBeGreaterThan(0);
    expect(accuracy).toBeGreaterThan(0.6);
    expect(accuracy).toBeLessThanOrEqual(1);
  });
});
