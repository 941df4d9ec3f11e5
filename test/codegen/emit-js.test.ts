// The JavaScript module codegen emits (what loading runs, and `netc compile --emit js`) is the
// TypeScript module with its types left out, token for token: esbuild's type stripping of the
// TypeScript and its reprinting of the JavaScript give the same program for every example, in
// both dtypes, for random models of every op, and for every helper function (op preludes, the
// sparse path's check).
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { transform } from "esbuild";
import { compileToText } from "../../src/compile.ts";
import { generate } from "../../src/codegen/index.ts";
import { helperIn } from "../../src/codegen/code.ts";
import { ops } from "../../src/ops/registry.ts";
import type { OpDef } from "../../src/ops/types.ts";
import { ALL_FINITE } from "../../src/codegen/kernels/sparse.ts";
import { randomModel } from "./random-model.ts";

const normalize = async (text: string, loader: "ts" | "js"): Promise<string> =>
  (await transform(text, { loader, format: "esm", target: "es2022", minifyWhitespace: true })).code;

const examples = readdirSync("examples").filter((f) => f.endsWith(".net"));

describe("emitted JavaScript is the emitted TypeScript without its types", () => {
  for (const file of examples) {
    it(file, async () => {
      const source = readFileSync(`examples/${file}`, "utf8");
      for (const dtype of ["f64", "f32"] as const) {
        const ts = await compileToText(source, { file, dtype, format: false });
        const js = generate(ts.ir, { dtype, sourceHash: ts.hash, lang: "js" });
        expect(await normalize(js, "js")).toBe(await normalize(ts.text, "ts"));
      }
    });
  }

  it("random models of every op, plain and with named bindings", async () => {
    for (let seed = 1; seed <= 10; seed++) {
      for (const source of [randomModel(seed), randomModel(seed, { named: true })]) {
        const ts = await compileToText(source, { file: `random-${seed}.net`, format: false });
        const js = generate(ts.ir, { dtype: "f64", sourceHash: ts.hash, lang: "js" });
        expect(await normalize(js, "js")).toBe(await normalize(ts.text, "ts"));
      }
    }
  });

  it("every helper function (op preludes, the sparse check) strips to plain JavaScript", async () => {
    const helpers = [...(Object.values(ops) as OpDef[]).flatMap((o) => (o.prelude ? [o.prelude.code] : [])), ALL_FINITE];
    expect(helpers.length).toBeGreaterThanOrEqual(3);
    for (const text of helpers) {
      const js = helperIn("js", text.replace(/\bTensor\b/g, "Float64Array"));
      expect(() => new Function(js)).not.toThrow();
      expect(await normalize(js, "js")).toBe(await normalize(text, "ts"));
    }
  });
});
