// The gradient ops are built-ins a user can write (conv2d_input, conv2d_weight, maxpool2d_input,
// avgpool2d_input, scatter_add, broadcast_to, heaviside, sign, ge, argmax_mask, maxpool2d_select),
// so `netc explain` and `netc grad` print real .net. Each one, written in a model, computes exactly
// what the compiler derives for the op it is the gradient of: in one model, the compiled gradient
// of L = sum(f(P) * G) with respect to P equals the built-in's output at random points. And a model
// that differentiates through every one of them passes `netc check` (central differences).
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, frontEnd } from "../../src/compile.ts";
import { createRng } from "../../src/runtime/rng.ts";
import { netcHere } from "../contract/helpers.ts";

interface Case {
  name: string;
  /** Declarations and the forward binding y (of P); G is y's cotangent, declared here too. */
  decls: string;
  /** The built-in expression that must equal dL/dP. */
  builtin: string;
}

const CASES: Case[] = [
  {
    name: "conv2d_input (stride 2, padding 1)",
    decls: "param P: [2, 2, 5, 5] = zeros\ninput K: [3, 2, 3, 3]\ninput G: [2, 3, 3, 3]\ny = conv2d(P, K, stride = 2, padding = 1)",
    builtin: "conv2d_input(G, K, [2, 2, 5, 5], stride = 2, padding = 1)",
  },
  {
    name: "conv2d_weight (stride 2, padding 1)",
    decls: "input x: [2, 2, 5, 5]\nparam P: [3, 2, 3, 3] = zeros\ninput G: [2, 3, 3, 3]\ny = conv2d(x, P, stride = 2, padding = 1)",
    builtin: "conv2d_weight(x, G, [3, 2, 3, 3], stride = 2, padding = 1)",
  },
  {
    name: "conv1d_input",
    decls: "param P: [2, 2, 7] = zeros\ninput K: [3, 2, 3]\ninput G: [2, 3, 7]\ny = conv1d(P, K, padding = 1)",
    builtin: "conv1d_input(G, K, [2, 2, 7], padding = 1)",
  },
  {
    name: "conv1d_weight",
    decls: "input x: [2, 2, 7]\nparam P: [3, 2, 3] = zeros\ninput G: [2, 3, 5]\ny = conv1d(x, P)",
    builtin: "conv1d_weight(x, G, [3, 2, 3])",
  },
  {
    name: "maxpool2d_input",
    decls: "param P: [2, 2, 4, 6] = zeros\ninput G: [2, 2, 2, 3]\ny = maxpool2d(P, 2)",
    builtin: "maxpool2d_input(P, G, 2)",
  },
  {
    name: "avgpool2d_input (stride 1)",
    decls: "param P: [2, 2, 4, 4] = zeros\ninput G: [2, 2, 3, 3]\ny = avgpool2d(P, 2, stride = 1)",
    builtin: "avgpool2d_input(G, [2, 2, 4, 4], 2, stride = 1)",
  },
  {
    name: "scatter_add",
    decls: "param P: [5, 3] = zeros\ninput idx: [4, 2]\ninput G: [4, 2, 3]\ny = take(P, idx)",
    builtin: "scatter_add(G, idx, [5, 3])",
  },
  {
    name: "heaviside (relu's mask)",
    decls: "param P: [3, 4] = zeros\ninput G: [3, 4]\ny = relu(P)",
    builtin: "G*heaviside(P)",
  },
  {
    name: "sign (abs's derivative)",
    decls: "param P: [3, 4] = zeros\ninput G: [3, 4]\ny = abs(P)",
    builtin: "G*sign(P)",
  },
  {
    name: "ge (max's routing)",
    decls: "param P: [3, 4] = zeros\ninput Q: [3, 4]\ninput G: [3, 4]\ny = max(P, Q)",
    builtin: "G*ge(P, Q)",
  },
  {
    name: "argmax_mask and broadcast_to (a max along an axis)",
    decls: "param P: [3, 4] = zeros\ninput G: [3]\ny = max(P, axis = 1)",
    builtin: "broadcast_to(reshape(G, [3, 1]), [3, 4])*argmax_mask(P, 1)",
  },
  {
    name: "maxpool2d_select (maxpool2d_input's derivative in its dy)",
    decls: "input x: [1, 2, 4, 4]\nparam P: [1, 2, 2, 2] = zeros\ninput G: [1, 2, 4, 4]\ny = maxpool2d_input(x, P, 2)",
    builtin: "maxpool2d_select(x, G, 2)",
  },
];

describe("a gradient built-in equals the gradient the compiler derives", () => {
  it.each(CASES)("$name", async ({ decls, builtin }) => {
    const source = `${decls}\nloss L = sum(y*G)\noutput o = ${builtin}\n`;
    const { model } = frontEnd(source, { file: "case.net" });
    const { module } = await compile(source, { file: "case.net", format: false });
    const rng = createRng(7, "gradient-builtins");
    for (let trial = 0; trial < 2; trial++) {
      // maxpool windows and relu/abs/max keep away from ties and kinks: values spread in [-1, 1]
      const value = (d: { shape: readonly number[]; indexRows?: number }) =>
        Float64Array.from({ length: d.shape.reduce((a, b) => a * b, 1) }, () => (d.indexRows !== undefined ? rng.int(0, d.indexRows - 1) : 2 * rng.uniform() - 1));
      const params = model.params.map(value);
      const data = model.data.map(value);
      const { grads } = module.gradient(params, data);
      const { outputs } = module.forward(params, data);
      const derived = grads[module.meta.grads.findIndex((g) => g.key === "L/P")] as Float64Array;
      const written = outputs[module.meta.outputs.findIndex((o) => o.name === "o")] as Float64Array;
      expect(written.length).toBe(derived.length);
      for (let i = 0; i < derived.length; i++) expect(Math.abs(written[i]! - derived[i]!), `entry ${i}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(derived[i]!)));
    }
  });
});

describe("netc check differentiates through the gradient built-ins", () => {
  it("agrees with central differences", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netc-gradient-builtins-"));
    const file = join(dir, "through.net");
    writeFileSync(
      file,
      [
        "input x: [2, 2, 5, 5]",
        "input idx: [3]",
        "param K: [3, 2, 3, 3] = he",
        "param D: [2, 3, 3, 3] = he",
        "param E: [4, 2] = he",
        "param R: [3, 2] = he",
        "y = conv2d(x, K, stride = 2, padding = 1)",
        "a = conv2d_input(D*y, K, [2, 2, 5, 5], stride = 2, padding = 1)",
        "k = conv2d_weight(x*a, y, [3, 2, 3, 3], stride = 2, padding = 1)",
        "p = maxpool2d_input(x, avgpool2d(a, 2, stride = 1), 2, stride = 1) + avgpool2d_input(maxpool2d(a, 2, stride = 1), [2, 2, 5, 5], 2, stride = 1)",
        "s = scatter_add(R, idx, [4, 2]) * E",
        "loss L = sum(a*p) + sum(k*k) + sum(s*s) + sum(maxpool2d_select(x, p, 2, stride = 1))",
      ].join("\n") + "\n",
    );
    const run = await netcHere("check", file);
    expect(run.stdout + run.stderr).toMatch(/ok: all \d+ derivatives agree with finite differences/);
    expect(run.code).toBe(0);
  });
});
