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
    const backward = text.slice(text.indexOf("function backprop"), text.indexOf("export function gradient"));
    // dL/dO (dL_dyhat) is computed by name, scaled by 2/B in the loop that makes the output
    // layer's delta: no separate pass over a buffer to multiply by a constant
    expect(backward).toMatch(/const dL_dyhat = 0\.0625 \* /);
    expect(backward).toMatch(/dL_dz2\[p\] = dL_dyhat \* \(yhat\[p\]! \* \(1 - yhat\[p\]!\)\);/);
    expect(backward).not.toMatch(/\[p\] = 0\.0625 \* \w+\[p\];/);
    expect(backward).not.toMatch(/unscaled/);
    // each layer's delta (the adjoint of its pre-activation) and each dL/dW, dL/db is a buffer
    for (const name of ["dL_dz2", "dL_dz1", "dL_dW1", "dL_dW2", "dL_db1", "dL_db2"]) expect(text).toMatch(new RegExp(`^const ${name} = new Float64Array`, "m"));
    expect(text).not.toMatch(/^const delta_|^const dL_dyhat = new/m);
    // the residual yhat - y is recomputed where it is read (loss and dL/dyhat), not stored
    expect(text).not.toMatch(/^const L_sub/m);
    expect(backward).toMatch(/const dL_dyhat = 0\.0625 \* \(yhat\[p\]! - y\[p\]!\);/);
    // dL/dh is bound by name where it is computed, in the loop that makes the hidden delta
    expect(backward).toMatch(/const dL_dh =\s+dL_dz2\[i \* 10\]! \* W2\[j \* 10\]!/);
    expect(backward).toMatch(/dL_dz1\[i \* 15 \+ j\] = dL_dh \* \(h\[i \* 15 \+ j\]! \* \(1 - h\[i \* 15 \+ j\]!\)\);/);
    // every block opens with its chain-rule step, the source expression it comes from and its line
    const steps = [
      "// dL/dyhat = 1/32*(2*(yhat - y))   (loss L = mean(sum((yhat - y)^2, 1)), line 20; explain s1)",
      "// dL/dz2 = dL_dyhat*(yhat*(1 - yhat)): the delta of yhat = sigmoid(z2), z2 = h @ W2 + b2   (output yhat = dense(h, W2, b2), line 19; explain s2)",
      "// dL/db2 = sum(dL_dz2, 0)   (output yhat = dense(h, W2, b2), line 19; explain s3)",
      "// dL/dW2 = transpose(h) @ dL_dz2   (output yhat = dense(h, W2, b2), line 19; explain s4)",
      "// dL/dh = dL_dz2 @ transpose(W2)   (output yhat = dense(h, W2, b2), line 19; explain s5)",
      "// dL/dz1 = dL_dh*(h*(1 - h)): the delta of h = sigmoid(z1), z1 = x @ W1 + b1   (h = dense(x, W1, b1), line 18; explain s6)",
      "// dL/db1 = sum(dL_dz1, 0)   (h = dense(x, W1, b1), line 18; explain s7)",
      "// dL/dW1 = transpose(x) @ dL_dz1   (h = dense(x, W1, b1), line 18; explain s8)",
    ];
    // in this order: backwards, layer by layer, each delta before the gradients that use it
    const at = steps.map((s) => backward.indexOf(s));
    expect(at.every((p) => p >= 0), steps.filter((_, k) => at[k]! < 0).join("\n")).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(text).toMatch(/\/\/ h = dense\(x, W1, b1\)\s+\(line \d+\)/);
    expect(text).toMatch(/Do not edit/);
  });

  // every example with layers reads the same way: the seed 002 names, no leftover constant passes
  const layered: [string, string, string[]][] = [
    ["fnn_mse", "L", ["dL_da3", "dL_dz3", "dL_da2", "dL_dz2", "dL_da1", "dL_dz1"]],
    ["net_5_2_4_3_3_1", "L", ["dL_dO100", "dL_dz100", "dL_dO99", "dL_dz99", "dL_dz98", "dL_dz97", "dL_dz96"]],
    ["relu_mlp", "Loss", ["dLoss_dout", "dLoss_dh4", "dLoss_dz4", "dLoss_dz3", "dLoss_dz2", "dLoss_dz1"]],
    ["mnist_softmax", "L", ["dL_dlogits", "dL_dh2", "dL_dz2", "dL_dh1", "dL_dz1"]],
    ["xor", "L", ["dL_dyhat", "dL_da", "dL_dh"]],
  ];
  for (const [name, loss, adjoints] of layered) {
    it(`${name}.ts names its adjoints and comments each gradient with its step and line`, () => {
      const text = readFileSync(join(GOLDEN_DIR, `${name}.ts`), "utf8");
      const backward = text.slice(text.indexOf("function backprop"), text.indexOf("export function gradient"));
      for (const a of adjoints) expect(backward, a).toMatch(new RegExp(`\\b${a}\\b`));
      for (const p of [...text.matchAll(/\{ name: "(\w+)", shape: \[[\d, ]*\], size: \d+, init/g)].map((m) => m[1]!)) {
        expect(text).toMatch(new RegExp(`^const d${loss}_d${p} = new Float64Array`, "m"));
        expect(backward).toMatch(new RegExp(`// d${loss}/d${p} = .*\\(.*, line \\d+; explain s\\d+\\)$`, "m"));
      }
      // no buffer is passed over only to scale it by a constant, and no delta is left unnamed
      expect(backward).not.toMatch(/(\w+)\[(p|i)\] = -?[\d.e-]+ \* \1\[\2\];/);
      expect(text).not.toMatch(/unscaled|^const delta_|^const t_/m);
    });
  }
});
