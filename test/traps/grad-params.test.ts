// `netc grad FILE --at VALUES.json --params P.json` (contract v2): gradients at trained weights,
// for any number of rows (the batch dimension is resized as `predict` does), and a batch-size
// mismatch that cannot be resized names `--dim`.
import { describe, expect, it } from "vitest";
import { netcHere, scratch } from "../contract/helpers.ts";

const tmp = scratch("grad-params");
const MODEL = tmp.file(
  "lin.net",
  "dim B = 4\ninput x: [B, 2]\ntarget y: [B]\nparam w: [2] = zeros\nparam c = 0\nyhat = x @ w + c\nloss L = mean((yhat - y)^2)\n",
);
const PARAMS = tmp.file("p.json", JSON.stringify({ params: { w: [2, -1], c: 0.5 }, model: "lin" }));
const x = [[1, 2], [3, 4], [0, 1]];
const y = [1, 0, 2];

/** dL/dw, dL/dc of mean((x·w + c − y)²) over the rows, by hand. */
function expected(w: number[], c: number) {
  const r = x.map((row, i) => row[0]! * w[0]! + row[1]! * w[1]! + c - y[i]!);
  const n = x.length;
  return {
    L: r.reduce((s, v) => s + v * v, 0) / n,
    w: [0, 1].map((j) => r.reduce((s, v, i) => s + (2 * v * x[i]![j]!) / n, 0)),
    c: r.reduce((s, v) => s + (2 * v) / n, 0),
  };
}

describe("netc grad --at --params", () => {
  it("takes the params from P.json and resizes B to the 3 rows given", async () => {
    const at = tmp.file("v.json", JSON.stringify({ x, y }));
    const r = await netcHere("grad", MODEL, "--at", at, "--params", PARAMS, "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { value: Record<string, number>; grad: Record<string, number | number[]> };
    const e = expected([2, -1], 0.5);
    expect(out.value["L"]).toBeCloseTo(e.L, 12);
    (out.grad["L/w"] as number[]).forEach((g, j) => expect(g).toBeCloseTo(e.w[j]!, 12));
    expect(out.grad["L/c"]).toBeCloseTo(e.c, 12);
  });

  it("without --params, the values file's own params and 3 rows work too", async () => {
    const at = tmp.file("v2.json", JSON.stringify({ x, y, w: [1, 1], c: 0 }));
    const r = await netcHere("grad", MODEL, "--at", at, "--json");
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { grad: Record<string, number> };
    expect(out.grad["L/c"]).toBeCloseTo(expected([1, 1], 0).c, 12);
  });

  it("a param in both files is an error naming both", async () => {
    const at = tmp.file("v3.json", JSON.stringify({ x, y, c: 1 }));
    const r = await netcHere("grad", MODEL, "--at", at, "--params", PARAMS);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/c is given by both .*v3\.json and --params .*p\.json/);
  });

  it("a batch size fixed by --dim that the rows do not match names --dim", async () => {
    const at = tmp.file("v4.json", JSON.stringify({ x, y }));
    const r = await netcHere("grad", MODEL, "--at", at, "--params", PARAMS, "--dim", "B=4");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/x has 3 rows along B, but --dim B=4 .*--dim B=3/);
  });

  it("--params without --at is bad command-line use", async () => {
    const r = await netcHere("grad", MODEL, "--params", PARAMS);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--params needs --at/);
  });

  it("rows that disagree between names are an error naming both", async () => {
    const at = tmp.file("v5.json", JSON.stringify({ x, y: [1, 0] }));
    const r = await netcHere("grad", MODEL, "--at", at, "--params", PARAMS);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/y has 2 rows.*x has 3/);
  });
});
