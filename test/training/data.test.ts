// Data sources and binding them to a model: the built-ins, values files and CSV files, and every
// kind of bad data reported with file, row and column before training starts.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataError, UsageError } from "../../src/diagnostics.ts";
import { usageMessage } from "../../src/commands/common.ts";
import type { DataMeta, ModelMeta } from "../../src/runtime/contract.ts";
import { loadMnist } from "../../src/data/mnist.ts";
import { loadDataSource } from "../../src/data/source.ts";
import { BatchBuffers, bindData, rowsIn } from "../../src/runtime/feed.ts";
import { softmaxModule } from "./fixtures/softmax-module.ts";
import { tempDir } from "./helpers/run.ts";

const meta = softmaxModule(4).meta; // input x: [B, 2], target y: [B, 2]
const dir = tempDir("netc-data-");
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
function load(path: string, m: ModelMeta = meta) {
  return bindData(m, loadDataSource(path, m.data).train);
}
function errorOf(f: () => unknown): Error {
  try {
    f();
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected an error");
}

describe("built-in data", () => {
  it("mnist: 8,000 training and 2,000 test digits, pixels in [0, 1], one-hot labels, a fixed split", () => {
    const { train, test } = loadMnist();
    expect([train.n, test.n, train.xWidth, train.yWidth]).toEqual([8000, 2000, 784, 10]);
    expect(train.x.length).toBe(8000 * 784);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of test.x) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
    expect([lo, hi]).toEqual([0, 1]);
    const counts = new Array(10).fill(0);
    for (let r = 0; r < test.n; r++) {
      const row = Array.from(test.y.subarray(r * 10, r * 10 + 10));
      expect(row.filter((v) => v === 1)).toHaveLength(1);
      expect(row.reduce((a, b) => a + b)).toBe(1);
      counts[row.indexOf(1)]++;
    }
    // Shuffled before the split: every digit is in the test set, none dominates.
    for (const c of counts) expect(c).toBeGreaterThan(120), expect(c).toBeLessThan(300);
    expect(loadMnist()).toBe(loadMnist()); // decoded once, cached
  });

  it("xor: seed 003's four rows feed a model's single input and target", () => {
    const xorMeta: ModelMeta = { ...meta, data: [
      { name: "X", shape: [4, 2], size: 8, role: "input", default: null, batchDim: "N" },
      { name: "Y", shape: [4, 1], size: 4, role: "target", default: null, batchDim: "N" },
    ] };
    const feed = bindData(xorMeta, loadDataSource("xor", xorMeta.data).train);
    expect(feed.n).toBe(4);
    expect(Array.from(feed.slots[0]!.data)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
    expect(Array.from(feed.slots[1]!.data)).toEqual([0, 1, 1, 0]);
  });

  it("mnist feeds [B, 784] and, pixel for pixel, an image input [B, 1, 28, 28]", () => {
    const image: ModelMeta = { ...meta, dims: { B: 4 }, data: [
      { name: "x", shape: [4, 1, 28, 28], size: 4 * 784, role: "input", default: null, batchDim: "B" },
      { name: "y", shape: [4, 10], size: 40, role: "target", default: null, batchDim: "B" },
    ] };
    const flat: ModelMeta = { ...image, data: [{ ...image.data[0]!, shape: [4, 784] }, image.data[1]!] };
    const buffers = [image, flat].map((m) => {
      const b = new BatchBuffers(bindData(m, loadDataSource("mnist", m.data).train), m);
      b.fill(null, 8);
      return Array.from(b.tensors[0]!);
    });
    expect(buffers[0]).toEqual(buffers[1]);
    expect(buffers[0]!.some((v) => v > 0)).toBe(true);
  });

  it("mnist refuses a model whose data does not have that shape", () => {
    const e = errorOf(() => load("mnist"));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toBe("mnist (training digits): x has rows of [784] (784 values), but input x: [B, 2] expects rows of [2] (2)");
  });
});

describe("values files (.json)", () => {
  it("feeds rows along the batch dimension, with class-index targets turned one-hot", () => {
    const feed = load(file("ok.json", JSON.stringify({ x: [[1, 2], [3, 4], [5, 6]], y: [1, 0, 1] })));
    expect(feed.n).toBe(3);
    expect(Array.from(feed.slots[1]!.data)).toEqual([0, 1, 1, 0, 0, 1]);
    const b = new BatchBuffers(feed, softmaxModule(2).meta);
    b.fill(Uint32Array.from([2, 0, 1]), 0);
    expect(Array.from(b.tensors[0]!)).toEqual([5, 6, 1, 2]);
  });

  it("fills a float32 module's batches from a float32 copy made once, with the values a per-step conversion gives", () => {
    const feed = load(file("f32.json", JSON.stringify({ x: [[0.1, 1 / 3], [2 / 7, 1e-8], [5.5, 6.25]], y: [1, 0, 1] })));
    const f32: ModelMeta = { ...softmaxModule(2).meta, dtype: "f32" };
    const b = new BatchBuffers(feed, f32);
    b.fill(Uint32Array.from([2, 0, 1]), 0);
    expect(b.tensors[0]).toBeInstanceOf(Float32Array);
    expect(Array.from(b.tensors[0]!)).toEqual([5.5, 6.25, 0.1, 1 / 3].map(Math.fround));
    // one copy per array, shared by every buffer that feeds from it; a float64 module reads the data itself
    expect(rowsIn("f32", feed.slots[0]!.data)).toBe(rowsIn("f32", feed.slots[0]!.data));
    expect(rowsIn("f64", feed.slots[0]!.data)).toBe(feed.slots[0]!.data);
  });

  it.each([
    ["not JSON", "{ x: [1] }", /^.*bad1\.json:1:3: not valid JSON/],
    ["a ragged array", '{"x": [[1, 2], [3]], "y": [0, 1]}', /bad2\.json: x\[1\]: expected 2 elements, found 1/],
    ["a string", '{"x": [[1, 2], [3, "a"]], "y": [0, 1]}', /bad3\.json: x\[1\]\[1\]: expected a number, found the string "a"/],
    ["the wrong width", '{"x": [[1, 2, 3]], "y": [0]}', /bad4\.json: x has rows of \[3\] \(3 values\), but input x: \[B, 2\] expects rows of \[2\]/],
    ["a missing name", '{"x": [[1, 2]]}', /bad5\.json: no data for target y: \[B, 2\] \(the file has x\)/],
    ["a label out of range", '{"x": [[1, 2], [3, 4]], "y": [1, 2]}', /bad6\.json: y\[1\]: label 2 is out of range: target y: \[B, 2\] has 2 classes/],
    ["rows that disagree", '{"x": [[1, 2], [3, 4]], "y": [1]}', /bad7\.json: y has 1 rows, but x has 2/],
    ["not an object", "[1, 2]", /bad8\.json: expected a JSON object/],
  ])("reports %s", (_what, text, message) => {
    const i = ["not JSON", "a ragged array", "a string", "the wrong width", "a missing name", "a label out of range", "rows that disagree", "not an object"].indexOf(_what) + 1;
    const e = errorOf(() => load(file(`bad${i}.json`, text)));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(message);
  });
});

describe("CSV files", () => {
  it("maps x[0], x[1] (or x0, x1) to input x and y to class indices or y[0], y[1] to one-hot rows", () => {
    const a = load(file("a.csv", "x[0],x[1],y\n1,2,0\n3,4,1\n"));
    const b = load(file("b.csv", "y[1],x1,x0,y[0]\n0,2,1,1\n1,4,3,0\n"));
    for (const f of [a, b]) {
      expect(f.n).toBe(2);
      expect(Array.from(f.slots[0]!.data)).toEqual([1, 2, 3, 4]);
      expect(Array.from(f.slots[1]!.data)).toEqual([1, 0, 0, 1]);
    }
  });

  it.each([
    ["a cell that is not a number", "x0,x1,y\n1,2,0\n3,abc,1\n", /c1\.csv:3: column 2 \(x1\): 'abc' is not a finite number/],
    ["NaN", "x0,x1,y\n1,NaN,0\n", /c2\.csv:2: column 2 \(x1\): 'NaN' is not a finite number/],
    ["an empty cell", "x0,x1,y\n1,,0\n", /c3\.csv:2: column 2 \(x1\): an empty cell is not a finite number/],
    ["a short row", "x0,x1,y\n1,2,0\n1,2\n", /c4\.csv:3: expected 3 columns as in the header, found 2/],
    ["a missing column", "x0,y\n1,0\n", /c5\.csv:1: column x\[1\] is missing \(x has 2 values per row\)/],
    ["an unknown column", "x0,x1,y,z\n1,2,0,5\n", /c6\.csv:1: column z matches no input or target of the model \(x, y\)/],
    ["a label out of range", "x0,x1,y\n1,2,0\n1,2,7\n", /c7\.csv:3: column 3 \(y\): label 7 is out of range/],
    ["no header", "1,2,0\n3,4,1\n", /c8\.csv:1: the first row must be a header of column names/],
  ])("reports %s with its line and column", (what, text, message) => {
    const i = ["a cell that is not a number", "NaN", "an empty cell", "a short row", "a missing column", "an unknown column", "a label out of range", "no header"].indexOf(what) + 1;
    const e = errorOf(() => load(file(`c${i}.csv`, text)));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(message);
  });
});

describe("sources", () => {
  it("refuses a file that is neither JSON nor CSV, and a missing file", () => {
    const e = errorOf(() => load(file("d.txt", "hello\nworld\n")));
    expect(e).toBeInstanceOf(DataError);
    expect(e.message).toMatch(/d\.txt: not a data file netc reads \(expected mnist, xor, a \.json values file or a \.csv file\)/);
    const m = errorOf(() => load(join(dir, "nope.csv")));
    expect(m).toBeInstanceOf(UsageError);
    expect(m.message).toMatch(/cannot read data .*nope\.csv: no such file/);
  });

  it("feeds whole tensors and defaults to names without a batch dimension", () => {
    const data: DataMeta[] = [
      { name: "a", shape: [], size: 1, role: "input", default: 2, batchDim: null },
      { name: "M", shape: [2, 2], size: 4, role: "input", default: null, batchDim: null },
    ];
    const m: ModelMeta = { ...meta, data };
    const feed = load(file("w.json", '{"M": [[1, 2], [3, 4]]}'), m);
    expect(feed.n).toBeNull();
    expect(Array.from(feed.slots[0]!.data)).toEqual([2]);
    expect(Array.from(feed.slots[1]!.data)).toEqual([1, 2, 3, 4]);
    const e = errorOf(() => bindData(m, null));
    expect(e).toBeInstanceOf(UsageError);
    expect(e.message).toBe("input M: [2, 2] has no default value");
    expect(usageMessage(e as UsageError)).toMatch(/input M: \[2, 2\] has no default value: give data with --data/);
  });
});
