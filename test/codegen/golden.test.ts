// Golden emitted code: the formatted TypeScript of every example is committed under test/golden/
// and compared here, so any change to code generation shows as a readable diff. Rewrite them with
// NETC_UPDATE_GOLDEN=1 npx vitest run test/codegen/golden.test.ts
import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { examples } from "../support/examples.ts";
import { compileToText } from "../../src/compile.ts";

const GOLDEN_DIR = join("test", "golden");
const update = process.env.NETC_UPDATE_GOLDEN === "1";

describe("golden emitted code", () => {
  for (const ex of examples()) {
    it(`${ex.name}.ts`, async () => {
      const { text } = await compileToText(ex.source, { file: ex.file });
      const path = join(GOLDEN_DIR, `${ex.name}.ts`);
      if (update) {
        mkdirSync(GOLDEN_DIR, { recursive: true });
        writeFileSync(path, text);
      }
      expect(existsSync(path), `${path} is missing: run with NETC_UPDATE_GOLDEN=1`).toBe(true);
      expect(text).toBe(readFileSync(path, "utf8"));
    });
  }

  it("the MNIST MLP reads like seed 002: dL/dO, each layer's delta and each dL/dW by name", () => {
    const text = readFileSync(join(GOLDEN_DIR, "mnist_mlp.ts"), "utf8");
    // each layer's delta and each weight gradient are variables; dL/dh is bound by name where it
    // is computed; dL/dyhat (dL/dO) appears in the chain-rule steps that use it
    for (const name of ["delta_W2", "delta_W1", "dL_dW1", "dL_dW2", "dL_db1", "dL_db2"]) expect(text).toMatch(new RegExp(`const ${name} = new Float64Array`));
    expect(text).toMatch(/const dL_dh =/);
    expect(text).toMatch(/\/\/ dL\/dW2 = .*dL_dyhat/);
    // the chain-rule steps and the source lines are in the comments
    expect(text).toMatch(/\/\/ dL\/dW2 = .*h.*line \d+\)/);
    expect(text).toMatch(/\/\/ h = dense\(x, W1, b1\)\s+\(line \d+\)/);
    expect(text).toMatch(/Do not edit/);
  });
});
