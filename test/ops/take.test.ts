// take(E, idx): bad index entries are run-time errors that name the input and the position —
// never a silent NaN — whether they come from a values file, a training data file, or a direct
// call of the generated module.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/diagnostics.ts";
import { valuesToInputs } from "../../src/data/values.ts";
import { bindData } from "../../src/runtime/feed.ts";
import { loadDataSource } from "../../src/data/source.ts";
import { irOf, load } from "../codegen/support.ts";
import { generate } from "../../src/codegen/index.ts";
import { tempDir } from "../training/helpers/run.ts";

const SOURCE = "dim B = 2\nparam E: [4, 3] = normal(0, 1)\ninput tok: [B, 2]\ntarget y: [B, 3]\nloss L = mse(mean(take(E, tok), 1), y)\n";

function metaOf() {
  const text = generate(irOf(SOURCE, "take.net"), { dtype: "f64", sourceHash: "t" });
  return { text, ir: irOf(SOURCE, "take.net") };
}

function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
}

describe("take's indices", () => {
  it("the model's meta marks the index input with its row count", async () => {
    const mod = await load(metaOf().ir);
    expect(mod.meta.data.find((d) => d.name === "tok")!.indexRows).toBe(4);
  });

  it("a values file with a fractional or out-of-range entry: a DataError naming the entry", async () => {
    const { meta } = await load(metaOf().ir);
    const base = { E: [[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]], y: [[0, 0, 0], [0, 0, 0]] };
    const frac = errorOf(() => valuesToInputs({ ...base, tok: [[0, 1], [2.5, 3]] }, meta, { source: "v.json" }));
    expect(frac).toBeInstanceOf(DataError);
    expect(frac.message).toBe("v.json: tok[1][0]: 2.5 is not a row number for take: input tok holds integers 0 to 3");
    const big = errorOf(() => valuesToInputs({ ...base, tok: [[0, 4], [1, 1]] }, meta, { source: "v.json" }));
    expect(big.message).toContain("tok[0][1]: 4 is not a row number");
    expect(() => valuesToInputs({ ...base, tok: [[0, 3], [1, 2]] }, meta, { source: "v.json" })).not.toThrow();
  });

  it("training data with a bad entry: a DataError naming the file, line and column", async () => {
    const { meta } = await load(metaOf().ir);
    const dir = tempDir("netc-take-");
    const path = join(dir, "tok.csv");
    writeFileSync(path, "tok[0],tok[1],y[0],y[1],y[2]\n0,1,0,0,1\n3,-1,1,0,0\n");
    const e = errorOf(() => bindData(meta, loadDataSource(path, meta.data).train));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe(`${path}:3: column 2 (tok[1]): -1 is not a row number for take: input tok holds integers 0 to 3`);
  });

  it("the generated module itself refuses an index outside E (no read past its rows)", async () => {
    const mod = await load(metaOf().ir);
    const params = [new Float64Array(12)];
    const data = [Float64Array.of(0, 1, 7, 0), new Float64Array(6)];
    expect(() => mod.forward(params, data)).toThrow("tok: entry 2 is 7, not a row number 0 to 3");
    expect(() => mod.forward(params, [Float64Array.of(0, 1, 3, 0), new Float64Array(6)])).not.toThrow();
  });
});
