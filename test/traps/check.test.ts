// `netc check` traps: a derivative that no probe measured is "not verified" (exit 3), not "ok";
// and a correct derivative is not blamed because the fixed step was too large for the point
// (sqrt(x) at x = 2e-5 with h = 1e-5): the step shrinks until the estimate settles.
import { describe, expect, it } from "vitest";
import { Builder } from "../../src/ir/builder.ts";
import { createRng } from "../../src/runtime/rng.ts";
import { relativeError, TOLERANCES } from "../../src/gradcheck/tolerance.ts";
import { probeGradient, ScalarFunction } from "../../src/gradcheck/probe.ts";
import { netcHere, scratch } from "../contract/helpers.ts";

const tmp = scratch("check-traps");
const { h, tol } = TOLERANCES.f64;

async function check(model: string, values?: Record<string, unknown>) {
  const file = tmp.file("", model);
  const at = values ? ["--at", tmp.file("", JSON.stringify(values))] : [];
  return netcHere("check", file, ...at);
}

describe("a derivative that nothing measured is not verified", () => {
  it("relu at its kink: 'not verified', exit 3, never 'ok'", async () => {
    const r = await check("input x\nf = relu(x)\ngrad f wrt x\n", { x: 0 });
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout).toMatch(/^  x\s+f\s+\[\]\s+0\s+1\s+-\s+not verified$/m);
    expect(r.stdout).toMatch(/^not verified: df\/dx: /m);
    expect(r.stdout).not.toMatch(/^ok/m);
  });

  it("one measured and one unmeasured derivative: still not verified (exit 3)", async () => {
    const r = await check("param w = 0\nparam v = 0.5\nloss L = relu(w) + v^2\n");
    expect(r.code, r.stdout).toBe(3);
    expect(r.stdout).toMatch(/^  v\s+L\s+\[\]\s+1\s+0\s.*ok$/m);
    expect(r.stdout).toMatch(/^not verified: dL\/dw: /m);
  });

  it("netc check --help documents the exit statuses", async () => {
    const r = await netcHere("check", "--help");
    expect(r.stdout).toMatch(/exit status/i);
    expect(r.stdout).toMatch(/\b3\b.*not verified/);
  });
});

describe("the step fits the point", () => {
  it("sqrt(x) at x = 2e-5 (h = 1e-5): ok, exit 0", async () => {
    const r = await check("input x\nf = sqrt(x)\ngrad f wrt x\n", { x: 2e-5 });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^ok: /m);
  });

  it("where x ± h leaves the domain (sqrt at 5e-6, log at 1e-6): ok", async () => {
    const r = await check("input x\ninput y\nf = sqrt(x) + log(y)\ngrad f wrt x, y\n", { x: 5e-6, y: 1e-6 });
    expect(r.code, r.stdout).toBe(0);
  });

  it("a point 1e-7 from relu's kink is measured (the step shrinks below it), not skipped", async () => {
    const r = await check("input x\nf = relu(x) * x\ngrad f wrt x\n", { x: 1e-7 });
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^  x\s+f\s+\[\]\s+1\s+0\s.*ok$/m);
  });

  it("a derivative wrong by 1% is still caught at that point", () => {
    const b = new Builder();
    const x = b.input("x", [1]);
    const f = new ScalarFunction(b.sum(b.fn("sqrt", x)));
    const point = new Map([["x", Float64Array.of(2e-5)]]);
    const exact = 1 / (2 * Math.sqrt(2e-5));
    const rel = (a: number, n: number) => relativeError(a, n, 1e-3);
    const probe = (g: number) => probeGradient(f, point, "x", [1], [g], { h, tol, rng: createRng(0), relError: rel }).probes[0]!;
    expect(probe(exact).rel).toBeLessThan(tol);
    expect(probe(exact * 1.01).rel).toBeGreaterThan(5e-3);
    expect(probe(exact * 1.01).numeric).toBeCloseTo(exact, 6);
  });
});
