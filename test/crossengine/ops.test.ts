// Every op of the registry, at random shapes and values: its value and its derivative rule (the
// vjp, reduced back to each operand's shape) against TensorFlow.js (float32), and the rule against
// float64 central differences of the op's reference eval. Iterates the registry, so a new op is
// covered with no edit here — and fails the coverage test until it has a tfjs mapping or a
// justified exemption.
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { ops } from "../../src/ops/registry.ts";
import type { OpDef } from "../../src/ops/types.ts";
import type { Node, OpName } from "../../src/graph/node.ts";
import { interpret } from "../../src/ir/interpret.ts";
import { createRng } from "../../src/runtime/rng.ts";
import { probeGradient, ScalarFunction } from "../../src/gradcheck/probe.ts";
import { relativeError, TOLERANCES } from "../../src/gradcheck/tolerance.ts";
import { tfjsEvaluate, tfjsOps, tfjsValueAndGrads, toTf, useCpuBackend } from "../support/tfjs-eval.ts";
import { buildCase, describeCase, drawOpCase, type OpCase } from "../support/op-cases.ts";
import { expectClose, FLOAT32 } from "../support/close.ts";

const DRAWS = 20;
const registry = Object.entries(ops) as [string, OpDef][];
const computed = registry.filter(([name]) => typeof tfjsOps[name as OpName] === "function").map(([name]) => name);

beforeAll(useCpuBackend);

/** netc's derivative of Σ op(x) ⊙ g w.r.t. each operand: the op's vjp rule, unbroadcast. */
function derived(c: OpCase): Float64Array[] {
  const { b, args, out, g } = buildCase(c);
  const rule = ops[c.op as keyof typeof ops] as OpDef;
  const adjoints = rule.vjp({ g, out, args, b }).map((r, i) => (r ? b.unbroadcast(r, args[i]!.shape) : b.zeros(args[i]!.shape)));
  const values = interpret(adjoints, c.values);
  return adjoints.map((n: Node) => Float64Array.from(values.get(n)!));
}

describe("op coverage", () => {
  it("every op of the registry has a TensorFlow.js mapping or a justified exemption", () => {
    // tsc demands an entry per op (the table is typed over OpName); this checks the exemptions say why
    const exempt = Object.values(tfjsOps).filter((m) => typeof m !== "function");
    for (const m of exempt) expect(m.exempt.length).toBeGreaterThan(10);
    expect(exempt.length).toBeLessThanOrEqual(3);
    expect(computed.length).toBeGreaterThan(25);
  });
});

describe.each(computed)("op %s", (name) => {
  const def = ops[name as keyof typeof ops] as OpDef;

  it(`agrees with TensorFlow.js on value and gradient (${DRAWS} random draws)`, () => {
    const rng = createRng(1, `tfjs:${name}`);
    for (let draw = 0; draw < DRAWS; draw++) {
      const c = drawOpCase(def, rng);
      const { out, root } = buildCase(c);
      const context = () => `draw ${draw} of op ${name}:\n${describeCase(c)}`;
      const netcValue = interpret([out], c.values).get(out)!;
      const tfValue = tf.tidy(() => {
        const leaves = new Map(c.shapes.map((s, i) => [`x${i}`, toTf(c.values.get(`x${i}`)!, s)]));
        return tfjsEvaluate([out], leaves).get(out)!.dataSync();
      });
      expectClose(netcValue, tfValue, FLOAT32, `value of ${name}`, context);
      const shapes = new Map([...c.shapes.map((s, i) => [`x${i}`, s] as const), ["g", [...out.shape]] as const]);
      // index arguments (take's idx) have no gradient
      const args = c.shapes.map((_, i) => i).filter((i) => !def.domain?.indexArgs?.includes(i));
      const reference = tfjsValueAndGrads(root, shapes, c.values, args.map((i) => `x${i}`));
      const ours = derived(c);
      args.forEach((i, k) => expectClose(ours[i]!, reference.grads[k]!, FLOAT32, `gradient of ${name} w.r.t. x${i}`, context));
    }
  });

  it(`derivative rule agrees with float64 central differences (${DRAWS} random draws)`, () => {
    const rng = createRng(2, `fd:${name}`);
    const { h, tol, floor } = TOLERANCES.f64;
    for (let draw = 0; draw < DRAWS; draw++) {
      const c = drawOpCase(def, rng);
      const { root } = buildCase(c);
      const f = new ScalarFunction(root);
      const scale = Math.max(1, Math.abs(f.at(c.values).value));
      derived(c).forEach((g, i) => {
        if (def.domain?.indexArgs?.includes(i)) return; // integer indices are not perturbed
        const summary = probeGradient(f, c.values, `x${i}`, c.shapes[i]!, g, {
          h,
          rng,
          relError: (a, n) => relativeError(a, n, floor * scale),
        });
        for (const p of summary.probes) {
          if (!(p.rel < tol)) {
            throw new Error(`draw ${draw} of op ${name}: d/dx${i}${p.where}: derived ${p.analytic}, central differences ${p.numeric} (rel. error ${p.rel})\n${describeCase(c)}`);
          }
        }
        expect(summary.probes.length + summary.skipped).toBeGreaterThan(0);
      });
    }
  });
});
