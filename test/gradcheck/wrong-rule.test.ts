// A deliberately wrong derivative rule must make the check fail and name the binding and line
// where the adjoint first disagrees. The rule is broken in a copy of the registry that replaces
// src/ops/registry.ts in this test file only (vi.mock; every other test file has its own modules).
import { afterEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpDef } from "../../src/ops/types.ts";

/** Which op's derivative rule is broken (its adjoints are scaled by 1.5), if any. */
const broken = vi.hoisted(() => ({ op: null as string | null }));

vi.mock("../../src/ops/registry.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/ops/registry.ts")>();
  const wrap = (def: OpDef): OpDef => ({
    ...def,
    vjp: (ctx) => {
      const adjoints = def.vjp(ctx);
      return broken.op === def.name ? adjoints.map((a) => (a ? ctx.b.mul(a, 1.5) : a)) : adjoints;
    },
  });
  const ops = Object.fromEntries(Object.entries(real.ops).map(([k, d]) => [k, wrap(d as OpDef)])) as typeof real.ops;
  const getOp = (name: string): OpDef => {
    if (!Object.prototype.hasOwnProperty.call(ops, name)) throw new Error(`internal error: unknown op '${name}'`);
    return ops[name as keyof typeof ops];
  };
  return { ...real, ops, getOp };
});

const { compile } = await import("../../src/compile.ts");
const { runGradCheck } = await import("../../src/gradcheck/run.ts");
const { checkCommand } = await import("../../src/commands/check.ts");

// A unique comment keeps this source's compiled module apart from any other's.
const SOURCE = `# gradcheck wrong-rule test model
model wrongrule
dim B = 4
input x: [B, 3]
target y: [B, 2]
param W1: [3, 5] = xavier
param b1: [5] = normal(0, 0.5)
param W2: [5, 2] = xavier
param b2: [2] = zeros
h = sigmoid(x @ W1 + b1)
z = h @ W2 + b2
yhat = tanh(z)
loss L = mean(sum((yhat - y)^2, 1))
`;
const LINE = { h: 10, z: 11, yhat: 12, L: 13 };

async function check(op: string | null) {
  broken.op = op;
  const compiled = await compile(SOURCE, { file: "wrongrule.net", format: false });
  return runGradCheck(compiled, { seed: 0 });
}

afterEach(() => {
  broken.op = null;
  process.exitCode = undefined;
});

describe("a wrong derivative rule", () => {
  it("passes with the real rules (the test model itself is fine)", async () => {
    const result = await check(null);
    expect(result.ok).toBe(true);
    expect(result.location).toBeNull();
  });

  it.each([
    // broken op, binding whose chain-rule step is wrong, a name whose adjoint disagrees
    ["tanh", "yhat", "z"],
    ["sigmoid", "h", "W1"],
    ["matmul", "z", "h"],
  ])("in %s: the check fails and names `%s` and its line", async (op, binding, badName) => {
    const result = await check(op);
    expect(result.ok).toBe(false);
    expect(result.location).toMatchObject({ kind: "binding", binding, line: LINE[binding as keyof typeof LINE] });
    if (result.location?.kind !== "binding") throw new Error("unreachable");
    expect(result.location.good.ok).toBe(true);
    expect(result.location.bad.map((b) => b.name)).toContain(badName);
  });

  it("in the generated code (IR rules all right): the check fails and says the generated code disagrees", async () => {
    const compiled = await compile(SOURCE, { file: "wrongrule.net", format: false });
    const real = compiled.module.gradient;
    const gradient: typeof real = (params, data) => {
      const r = real(params, data);
      const g0 = r.grads[0]!;
      if (typeof g0 !== "number") g0[0] = g0[0]! * 1.5 + 0.1;
      return r;
    };
    const result = runGradCheck({ ...compiled, module: { ...compiled.module, gradient } }, { seed: 0 });
    expect(result.ok).toBe(false);
    expect(result.rows.filter((r) => !r.ok).map((r) => r.key)).toEqual([compiled.module.meta.grads[0]!.key]);
    expect(result.location).toEqual({ kind: "codegen", of: "L" });
  });

  it("`netc check` exits 1 and prints the file, line and binding", async () => {
    broken.op = "tanh";
    const file = join(mkdtempSync(join(tmpdir(), "netc-check-")), "wrongrule.net");
    writeFileSync(file, SOURCE);
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    try {
      await checkCommand(file, { seed: 0, dtype: "f64" });
    } finally {
      spy.mockRestore();
    }
    const text = out.join("");
    expect(process.exitCode).toBe(1);
    expect(text).toContain("FAIL");
    expect(text).toContain(`${file}:${LINE.yhat}: the derivative first disagrees in the chain rule through \`yhat = tanh(z)\``);
    expect(text).toMatch(/dL\/dz.*rel\. error/);
  });
});
