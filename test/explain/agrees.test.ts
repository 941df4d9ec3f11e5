// The explanation cannot disagree with the code: for every example, every step's `expr` from
// `netc explain --format json` is parsed back as .net (the forward lines as bindings, each step
// as an output that uses the outputs of the steps before it), compiled, and evaluated at random
// points (take's indices at random row numbers). A step for a param or an input equals what the model's compiled gradient code returns
// for it; since it is computed from the explained steps before it, that checks the whole chain
// against the code. The code keeps the steps for bindings and pre-activations (dL_dh, δ₂) in
// buffers it does not return (and the language has no `grad L wrt h` for a binding), so each of
// those is compared with the compiler's own IR node for that adjoint at the same point.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile, frontEnd, toIR } from "../../src/compile.ts";
import { interpret } from "../../src/ir/interpret.ts";
import { explainSource } from "../../src/explain/index.ts";
import { createRng } from "../../src/runtime/rng.ts";

const netFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".net")).map((f) => `${dir}/${f}`);
// the examples, and models of ops no example uses yet (test/explain/models)
const EXAMPLES = [...netFiles("examples"), ...netFiles("test/explain/models")];
const shapeDecl = (shape: readonly number[]) => (shape.length === 0 ? "" : `: [${shape.join(", ")}]`);

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 1;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  for (let i = 0; i < expected.length; i++) {
    if (Math.abs(actual[i]! - expected[i]!) > 1e-9 * scale) expect.fail(`${what}[${i}]: explain ${actual[i]} vs code ${expected[i]}`);
  }
}

describe.each(EXAMPLES)("%s: every step's expr equals what the compiled code computes", (file) => {
  it("at two random points", async () => {
    const source = readFileSync(file, "utf8");
    const { model } = frontEnd(source, { file });
    const e = await explainSource(source, { file });
    const leaves = [
      ...model.data.map((d) => ({ kind: "input", name: d.name, shape: d.shape, rows: d.indexRows })),
      ...model.params.map((p) => ({ kind: "param", name: p.name, shape: p.shape, rows: undefined })),
    ];

    // the explanation as a .net program: leaves, the forward lines, each step an output
    const program = [
      ...leaves.map((l) => `${l.kind} ${l.name}${shapeDecl(l.shape)}${l.kind === "param" ? " = zeros" : ""}`),
      ...e.forward.map((f) => `${f.name} = ${f.expr}`),
      ...e.steps.map((s) => `output ${s.name} = ${s.expr}`),
    ].join("\n");
    const explained = (await compile(program, { file: `${file} (explained)`, format: false })).module;

    const code = (await compile(source, { file, format: false })).module;
    const { raw } = toIR(model);

    for (const seed of [1, 2]) {
      const rng = createRng(seed, "explain-agrees");
      // token ids (take's indices) are row numbers; everything else a number in [-1, 1]
      const draw = (rows: number | undefined) => (rows === undefined ? 2 * rng.uniform() - 1 : rng.int(0, rows - 1));
      const values = new Map(leaves.map((l) => [l.name, Float64Array.from({ length: l.shape.reduce((a, b) => a * b, 1) }, () => draw(l.rows))]));
      const mine = explained.forward(explained.meta.params.map((p) => values.get(p.name)!), explained.meta.data.map((d) => values.get(d.name)!));
      const theirs = code.gradient(code.meta.params.map((p) => values.get(p.name)!), code.meta.data.map((d) => values.get(d.name)!));
      const ir = interpret((raw.steps ?? []).map((s) => s.adjoint), values);
      const asArray = (v: number | Float64Array) => (typeof v === "number" ? [v] : v);
      e.steps.forEach((s, i) => {
        const got = asArray(mine.outputs[explained.meta.outputs.findIndex((o) => o.name === s.name)]! as number | Float64Array);
        const k = code.meta.grads.findIndex((g) => g.key === `${s.of}/${s.wrt}`);
        if (k >= 0) close(got, asArray(theirs.grads[k]! as number | Float64Array), `${s.id} ${s.name} = ${s.expr}`);
        else close(got, ir.get(raw.steps![i]!.adjoint)!, `${s.id} ${s.name} = ${s.expr} (IR)`);
      });
    }
  });
});
