// `netc check` as a user runs it: in child processes, it passes on every example (iterated from
// examples/) with a per-name table, and checks the 784-15-10 MNIST MLP in under 10 seconds; in
// process (through the CLI's `main`, for speed), f32 tolerances, --at values and kink skipping.
import { afterEach, describe, expect, it, vi } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { examples } from "../support/examples.ts";
import { main } from "../../src/cli.ts";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

function netc(...args: string[]): Promise<Run> {
  const start = performance.now();
  return new Promise((resolve) => {
    execFile(process.execPath, ["bin/netc.js", ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, stdout, stderr, seconds: (performance.now() - start) / 1000 });
    });
  });
}

/** `netc ARGS` through the CLI's entry point in this process, capturing what it prints. */
async function netcHere(...args: string[]): Promise<Omit<Run, "seconds">> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: unknown) => (into.push(String(chunk)), true);
  const o = vi.spyOn(process.stdout, "write").mockImplementation(capture(out));
  const e = vi.spyOn(process.stderr, "write").mockImplementation(capture(err));
  try {
    const code = await main(args);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

/** Runs the jobs two at a time (the machine is shared). */
async function pooled<T, R>(items: readonly T[], job: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]!);
    }
  };
  await Promise.all([worker(), worker()]);
  return results;
}

const tmp = mkdtempSync(join(tmpdir(), "netc-check-cli-"));
const write = (name: string, text: string): string => {
  const file = join(tmp, name);
  writeFileSync(file, text);
  return file;
};

describe("netc check", () => {
  it("passes on every example and prints a row per derivative", async () => {
    const all = examples();
    expect(all.length).toBeGreaterThanOrEqual(5);
    const runs = await pooled(all, (e) => netc("check", e.file));
    all.forEach((e, i) => {
      const run = runs[i]!;
      const context = `netc check ${e.file} exited ${run.code}\n${run.stdout}${run.stderr}`;
      expect(run.code, context).toBe(0);
      expect(run.stdout, context).toMatch(/name\s+of\s+shape\s+probes\s+skipped\s+worst rel\. error\s+status/);
      expect(run.stdout, context).toMatch(/^ok: (all \d+ derivatives agree|the derivative agrees)/m);
      expect(run.stderr, context).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      for (const param of e.source.matchAll(/^\s*param\s+([A-Za-z_]\w*)/gm)) expect(run.stdout, context).toMatch(new RegExp(`^  ${param[1]}\\s`, "m"));
    });
  }, 120_000);

  it("checks the 784-15-10 MNIST MLP in under 10 seconds, along random directions", async () => {
    const run = await netc("check", "examples/mnist_mlp.net");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^  W1\s+L\s+\[784, 15\]\s+4\s/m);
    expect(run.seconds).toBeLessThan(10);
  });

  it("checks f32 code with f32 tolerances", async () => {
    const run = await netcHere("check", "examples/mnist_mlp.net", "--dtype", "f32");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("< 1e-2");
  });

  it("checks at the values of --at, and names a value the file lacks", async () => {
    const model = write("simple.net", "input a = 2\ntarget d = 1\nparam w = 0.8\nf = a * w\nloss C = (f - d)^2\n");
    const ok = await netcHere("check", model, "--at", write("at.json", JSON.stringify({ a: 2, d: 1, w: 0.8 })));
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^  w\s+C\s+\[\]\s+1\s+0\s/m);
    const defaults = await netcHere("check", model, "--at", write("defaults.json", JSON.stringify({ w: -0.3 })));
    expect(defaults.code, defaults.stdout + defaults.stderr).toBe(0);
    const vector = write("vector.net", "input x: [2]\nparam w: [2] = ones\nloss L = sum(x * w)\n");
    const missing = await netcHere("check", vector, "--at", write("partial.json", JSON.stringify({ w: [1, 2] })));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no value for input x: \[2\]/);
    const absent = await netcHere("check", model, "--at", join(tmp, "nope.json"));
    expect(absent.code).not.toBe(0);
    expect(absent.stderr).toMatch(/nope\.json: no such file/);
  });

  it("skips probes whose step crosses a kink (relu at 0, a tie of max), says how many, and exits 3: not verified", async () => {
    const model = write("kink.net", "param w = 0\nparam v = 0.5\nparam u = 0.5\ninput c = 0.5\nloss L = relu(w) + w^2 + abs(v) + max(u, c)\n");
    const run = await netcHere("check", model);
    expect(run.code, run.stdout + run.stderr).toBe(3);
    expect(run.stdout).toMatch(/^  w\s+L\s+\[\]\s+0\s+1\s+-\s+not verified/m);
    expect(run.stdout).toMatch(/^  v\s+L\s+\[\]\s+1\s+0\s.*ok$/m);
    expect(run.stdout).toMatch(/^  u\s+L\s+\[\]\s+0\s+1\s+-\s+not verified/m);
    expect(run.stdout).toContain("skipped 2 probes whose ±h step crosses a kink");
  });
});
