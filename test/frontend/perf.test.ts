// Front-end speed: a model of 3,000 chained bindings (~100 KB) checks in under 3 s, and 100
// levels of nested parentheses in under 1 s. Parse and check times are printed separately; the
// limits apply to CPU time, which other work on the machine does not inflate.
import { describe, expect, it } from "vitest";
import { parse } from "../../src/parse/index.ts";
import { check } from "../../src/check/index.ts";

/** Runs `f`, returning its result and the CPU time it took in ms (this process only, so other
 * processes on the shared 2-core machine do not count), and printing the wall time too. */
function timed<T>(label: string, f: () => T): [T, number] {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = f();
  const wall = performance.now() - t0;
  const { user, system } = process.cpuUsage(cpu0);
  const cpu = (user + system) / 1000;
  console.log(`  ${label}: ${cpu.toFixed(1)} ms CPU, ${wall.toFixed(1)} ms wall`);
  expect(wall).toBeLessThan(10_000); // not hung, whatever the load
  return [result, cpu];
}

function chainedModel(n: number): string {
  const lines = ["dim B = 8", "input x: [B, 16]", "param W: [16, 16] = xavier", "param b: [16] = zeros", "h0 = x"];
  for (let i = 1; i <= n; i++) lines.push(`h${i} = tanh(h${i - 1} @ W + b) * 0.5`);
  lines.push(`loss L = mean(h${n}^2)`);
  return lines.join("\n") + "\n";
}

describe("front-end speed", () => {
  it("checks 3,000 chained bindings (~100 KB) in under 3 s", () => {
    parse("input warm\ny = warm", "warmup.net"); // load the grammar outside the measurement
    const source = chainedModel(3000);
    expect(source.length).toBeGreaterThan(95_000);
    console.log(`3,000 chained bindings, ${(source.length / 1024).toFixed(0)} KB:`);
    const [program, parseMs] = timed("parse", () => parse(source, "chain.net"));
    const [{ model }, checkMs] = timed("check", () => check(program));
    expect(model.bindings).toHaveLength(3002);
    expect(model.bindings[3000]!.shape).toEqual([8, 16]);
    expect(parseMs + checkMs).toBeLessThan(3000);
  });

  it("checks 100 levels of nested parentheses in under 1 s", () => {
    const source = "input x: [3]\ny = " + "(".repeat(100) + "x + 1" + ")".repeat(100) + "\nz = " + "(".repeat(100) + "-x" + ")".repeat(100);
    console.log("100 nested parentheses:");
    const [program, parseMs] = timed("parse", () => parse(source, "nested.net"));
    const [{ model }, checkMs] = timed("check", () => check(program));
    expect(model.bindings.map((b) => b.shape)).toEqual([[3], [3]]);
    expect(parseMs + checkMs).toBeLessThan(1000);
  });

  it("checks 100 nested calls in under 1 s", () => {
    const source = "input x: [3]\ny = " + "sigmoid(".repeat(100) + "x" + ")".repeat(100);
    console.log("100 nested calls:");
    const [program, parseMs] = timed("parse", () => parse(source, "calls.net"));
    const [{ model }, checkMs] = timed("check", () => check(program));
    expect(model.bindings[0]!.shape).toEqual([3]);
    expect(parseMs + checkMs).toBeLessThan(1000);
  });
});
