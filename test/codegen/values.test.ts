// Values files (src/data/values.ts): checked against the model's declarations, with defaults
// for omitted scalars, clear errors (DataError) for missing names and wrong shapes, and user names
// kept off every prototype.
import { describe, expect, it } from "vitest";
import { DataError } from "../../src/diagnostics.ts";
import { compile } from "../../src/compile.ts";
import { flattenValue, parseValuesText, toNested, valuesToInputs } from "../../src/data/values.ts";

const SRC = `
dim B = 2
input x: [B, 3]
input s = 4
target y: [B]
param W: [3] = zeros
param c = 0.5
param k = xavier
loss L = mean((x @ W + c * s + k - y)^2)
`;

describe("values files", () => {
  it("turns nested arrays into row-major typed arrays, in meta order", async () => {
    const { module } = await compile(SRC);
    const v = parseValuesText(JSON.stringify({ x: [[1, 2, 3], [4, 5, 6]], y: [1, 2], W: [0.1, 0.2, 0.3], k: 1.5, s: 2, c: 1 }));
    const { params, data } = valuesToInputs(v, module.meta);
    expect(Array.from(data[0]!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(data[1]!)).toEqual([2]);
    expect(Array.from(params[0]!)).toEqual([0.1, 0.2, 0.3]);
    expect(Array.from(params[2]!)).toEqual([1.5]);
  });

  it("omitted scalars take their default; omitted others are errors naming them all", async () => {
    const { module } = await compile(SRC);
    const v = parseValuesText(JSON.stringify({ x: [[1, 2, 3], [4, 5, 6]], y: [1, 2], W: [0, 0, 0], k: 1 }));
    const { params, data } = valuesToInputs(v, module.meta);
    expect(data[1]![0]).toBe(4); // input s = 4
    expect(params[1]![0]).toBe(0.5); // param c = 0.5
    const missing = parseValuesText(JSON.stringify({ y: [1, 2] }));
    expect(() => valuesToInputs(missing, module.meta)).toThrow(DataError);
    expect(() => valuesToInputs(missing, module.meta)).toThrow(/no value for param W: \[3\], param k: \[\], input x: \[2, 3\]/);
  });

  it("wrong shapes and types are clear errors", () => {
    expect(() => flattenValue([[1, 2], [3]], [2, 2], "W")).toThrow(/W should have shape \[2, 2\], but W\[1\] has 1 entries where 2 are expected/);
    expect(() => flattenValue([1, 2, 3], [2], "b")).toThrow(/b should have shape \[2\], but b has 3 entries where 2 are expected/);
    expect(() => flattenValue(3, [2], "b")).toThrow(/b should be a \[2\] array, found the number 3/);
    expect(() => flattenValue([1, 2], [], "a")).toThrow(/a should be a number \(it is a scalar\), found an array of 2/);
    expect(() => flattenValue([1, "2"], [2], "b")).toThrow(/b\[1\] should be a number, found a string/);
    expect(() => flattenValue([[1, 2]], [1, 2, 1], "t")).toThrow(DataError);
    expect(() => parseValuesText("[1, 2]")).toThrow(/must hold a JSON object/);
    expect(() => parseValuesText("{ nope")).toThrow(/not valid JSON/);
  });

  it("names the model does not declare are reported", async () => {
    const { module } = await compile(SRC);
    const v = parseValuesText(JSON.stringify({ x: [[1, 2, 3], [4, 5, 6]], y: [1, 2], W: [0, 0, 0], k: 1, typo: 3 }));
    expect(() => valuesToInputs(v, module.meta)).toThrow(/"typo" is not declared by model/);
    expect(() => valuesToInputs(v, module.meta, { unknown: "ignore" })).not.toThrow();
  });

  it("__proto__ and constructor are ordinary names", () => {
    const v = parseValuesText('{"__proto__": [1, 2], "constructor": 3}');
    expect(Object.getPrototypeOf(v)).toBe(null);
    expect(Array.from(flattenValue(v["__proto__"], [2], "__proto__"))).toEqual([1, 2]);
    expect(v["constructor"]).toBe(3);
    expect(({} as Record<string, unknown>)["0"]).toBeUndefined(); // Object.prototype untouched
  });

  it("results go back as numbers and nested arrays", () => {
    expect(toNested(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3])).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(toNested(2.5, [])).toBe(2.5);
    expect(toNested(Float64Array.of(7), [])).toBe(7);
    expect(toNested(Float64Array.of(1, 2), [2])).toEqual([1, 2]);
  });
});

describe("netc grad --at: values errors through the CLI", () => {
  it("a wrong shape exits 1 with the message; a missing file exits 2", async () => {
    const { spawnSync } = await import("node:child_process");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const dir = mkdtempSync(join(tmpdir(), "netc-values-"));
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ a: [2, 3], w: 0.8 }));
    const run = spawnSync(process.execPath, ["bin/netc.js", "grad", "examples/simple.net", "--at", bad, "--json"], { encoding: "utf8" });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/a should be a number \(it is a scalar\), found an array of 2/);
    expect(run.stdout).toBe("");
    const missing = spawnSync(process.execPath, ["bin/netc.js", "grad", "examples/simple.net", "--at", join(dir, "nope.json")], { encoding: "utf8" });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: no such file/);
  }, 30_000);
});
