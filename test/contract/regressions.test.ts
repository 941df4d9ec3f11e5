// Regressions found by contract testing, one case each: the model, the values, and what
// `netc grad --at --json` must print.
import { describe, expect, it } from "vitest";
import { netcHere, scratch } from "./helpers.ts";

const files = scratch("regressions");

const cases: [scenario: string, model: string, values: object, expected: { value: object; grad: object }][] = [
  [
    "logsumexp of a scalar is the scalar (its derivative 1)",
    "input x\nf = logsumexp(x)\ng = logsumexp(x * x)\nloss L = f + g\ngrad f wrt x\ngrad L wrt x\n",
    { x: 2 },
    { value: { L: 6, f: 2 }, grad: { "f/x": 1, "L/x": 5 } },
  ],
];

describe("regressions (netc grad --at --json)", () => {
  it.each(cases)("%s", async (_scenario, model, values, expected) => {
    const net = files.file("", model);
    const at = files.file("", JSON.stringify(values));
    const run = await netcHere("grad", net, "--at", at, "--json");
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });
});
