// PARAMS.json: exact float round trips, atomic writes, and every way a file can be wrong.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/diagnostics.ts";
import { loadParams, saveParams } from "../../src/commands/params-file.ts";
import { softmaxModule } from "./fixtures/softmax-module.ts";
import { tempDir } from "./helpers/run.ts";

const adam = { optimizer: { kind: "adam", lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 } } as const;
const meta = softmaxModule(4, adam).meta;

describe("PARAMS.json", () => {
  it("round-trips float64 values bit for bit, with optimizer state and counters", () => {
    const dir = tempDir();
    const out = join(dir, "sub", "p.json");
    const W = Float64Array.from([0.1 + 0.2, Math.PI, -1e-300, 5e-324]);
    const b = Float64Array.from([1 / 3, 0]); // (JSON has no -0: it reads back as 0)
    const state = [new Float64Array(4).fill(1 / 7), new Float64Array(4).fill(2 / 7), new Float64Array(2), new Float64Array(2).fill(1e-9)];
    saveParams(out, { meta, params: [W, b], state, step: 7, stepsPerEpoch: 3, seed: 5, lr: 0.01 });
    expect(readdirSync(join(dir, "sub"))).toEqual(["p.json"]); // no temporary file left behind
    const json = JSON.parse(readFileSync(out, "utf8"));
    expect(json.params.W).toEqual([[0.30000000000000004, Math.PI], [-1e-300, 5e-324]]);
    expect([json.step, json.epoch, json.batch, json.seed, json.model]).toEqual([7, 2, 1, 5, "softmax"]);
    const back = loadParams(out, meta);
    expect(back.params[0]).toEqual(W);
    expect(back.params[1]).toEqual(b);
    expect(back.state).toEqual(state);
    expect([back.step, back.seed]).toEqual([7, 5]);
  });

  it.each([
    ["not JSON", "{", /p\.json:1:2: not valid JSON/],
    ["no params", '{"w": 1}', /p\.json: expected "params": an object/],
    ["a missing param", '{"params": {"W": [[1, 2], [3, 4]]}}', /p\.json: params lacks b \(param b: \[2\]\)/],
    ["an unknown param", '{"params": {"W": [[1, 2], [3, 4]], "b": [0, 0], "c": 1}}', /p\.json: params has c, which softmax does not declare/],
    ["a wrong shape", '{"params": {"W": [[1, 2, 3], [3, 4, 5]], "b": [0, 0]}}', /p\.json: params\.W: has shape \[2, 3\], but the model declares \[2, 2\]/],
    ["a bad value", '{"params": {"W": [[1, 2], [3, null]], "b": [0, 0]}}', /p\.json: params\.W\[1\]\[1\]: expected a number, found null/],
  ])("reports %s", (_what, text, message) => {
    const file = join(tempDir(), "p.json");
    writeFileSync(file, text);
    let err: unknown;
    try {
      loadParams(file, meta);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(message);
  });
});
