// `netc grad FILE` prints every derivative once, then one shared `where` block; every printed
// formula is .net: for every example, the `where` lines as bindings and each derivative as an
// output make a model that compiles and computes the same gradients as the model's own code.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compile, frontEnd } from "../../src/compile.ts";
import { createRng } from "../../src/runtime/rng.ts";
import { netcHere } from "../contract/helpers.ts";
import { INTERNAL_CALL } from "../support/examples.ts";

const EXAMPLES = readdirSync("examples").filter((f) => f.endsWith(".net")).map((f) => `examples/${f}`);

describe.each(EXAMPLES)("netc grad %s", (file) => {
  it("prints one where block, and its formulas re-parse to the compiled gradients", async () => {
    const run = await netcHere("grad", file);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => l === "where").length).toBeLessThanOrEqual(1);
    const at = lines.indexOf("where");
    const heads = (at < 0 ? lines : lines.slice(0, at)).map((l) => /^d(.+?)\/d(.+?) = (.*?)    # shape \[.*\]$/u.exec(l)!);
    expect(heads.every((m) => m !== null), lines.join("\n")).toBe(true);
    const where = at < 0 ? [] : lines.slice(at + 1).map((l) => l.trim());
    // no where line twice, and no internal op names
    expect(new Set(where).size).toBe(where.length);
    // internal op names never print (every op is a built-in); `keepdims = true` is .net syntax (contract v2), as every formula here is
    expect(run.stdout).not.toMatch(INTERNAL_CALL);

    const source = readFileSync(file, "utf8");
    const { model } = frontEnd(source, { file });
    const decl = (s: readonly number[]) => (s.length === 0 ? "" : `: [${s.join(", ")}]`);
    const program = [
      ...model.data.map((d) => `input ${d.name}${decl(d.shape)}`),
      ...model.params.map((p) => `param ${p.name}${decl(p.shape)} = zeros`),
      ...where,
      ...heads.map((m, i) => `output g${i} = ${m[3]}`),
    ].join("\n");
    const printed = (await compile(program, { file: `${file} (netc grad)`, format: false })).module;
    const code = (await compile(source, { file, format: false })).module;
    const rng = createRng(3, "grad-print");
    // token ids (take's indices) are row numbers; everything else a number in [-1, 1]
    const draw = (rows: number | undefined) => (rows === undefined ? 2 * rng.uniform() - 1 : rng.int(0, rows - 1));
    const values = new Map([...model.data.map((d) => ({ ...d, rows: d.indexRows })), ...model.params.map((p) => ({ ...p, rows: undefined }))].map((l) => [l.name, Float64Array.from({ length: l.shape.reduce((a, b) => a * b, 1) }, () => draw(l.rows))]));
    const mine = printed.forward(printed.meta.params.map((p) => values.get(p.name)!), printed.meta.data.map((d) => values.get(d.name)!));
    const theirs = code.gradient(code.meta.params.map((p) => values.get(p.name)!), code.meta.data.map((d) => values.get(d.name)!));
    heads.forEach((m, i) => {
      const k = code.meta.grads.findIndex((g) => g.key === `${m[1]}/${m[2]}`);
      const a = mine.outputs[i]!;
      const b = theirs.grads[k]!;
      const [x, y] = [typeof a === "number" ? [a] : a, typeof b === "number" ? [b] : b];
      const scale = Math.max(1, ...Array.from(y, Math.abs));
      for (let j = 0; j < y.length; j++) expect(Math.abs(x[j]! - y[j]!), `${m[0]} [${j}]`).toBeLessThanOrEqual(1e-9 * scale);
    });
  });
});
