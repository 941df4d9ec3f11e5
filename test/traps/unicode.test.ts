// Identifiers may be Unicode letters (contract v2; the seeds write ŷ, δ, σ). They parse, keep
// their spelling in every user-facing place (values JSON, gradient keys, `netc grad` text, `--dim`)
// and are mangled safely in the emitted code: no collisions, no injection.
import { describe, expect, it } from "vitest";
import { compileToText } from "../../src/compile.ts";
import { parse } from "../../src/parse/index.ts";
import { gradAt, netcHere, scratch } from "../contract/helpers.ts";

const tmp = scratch("unicode");

describe("unicode identifiers", () => {
  it("parse: letters of any script start a name; digits, marks and _ continue it", () => {
    const src = "input x\nŷ = x^2\nδ_1 = ŷ * 2\nσ2 = δ_1\nΣ = σ2\nλ = Σ\ncafé = λ\n名前 = café\ngrad 名前 wrt x\n";
    expect(parse(src, "u.net").statements.flatMap((st) => ("name" in st && typeof st.name === "object" ? [st.name.name] : []))).toEqual(["x", "ŷ", "δ_1", "σ2", "Σ", "λ", "café", "名前"]);
    // a combining mark continues a name (y + U+0302 is ŷ written in two code points)
    expect(parse("input x\ny\u0302 = x\n", "m.net").statements.length).toBe(2);
    // but cannot start one, and symbols and invisible characters are still not letters
    for (const bad of ["\u0302y = 1\n", "a→b = 1\n", "a\u200bb = 1\n", "x€ = 1\n"]) expect(() => parse(bad, "b.net"), bad).toThrow(/error/);
  });

  it("netc grad --at --json: a model written as the seeds write it", async () => {
    const model = [
      "input x: [2, 3]",
      "target y: [2, 2]",
      "param W: [3, 2] = 0.5",
      "param δ: [2] = zeros",
      "σ = sigmoid(x @ W + δ)",
      "output ŷ = σ",
      "loss ℓ = mean(sum((ŷ - y)^2, 1))",
    ].join("\n");
    const out = await gradAt(tmp, "greek", model, { x: [[1, 2, 3], [0, -1, 1]], y: [[1, 0], [0, 1]], W: [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], δ: [0.1, -0.1] });
    expect(Object.keys(out.value).sort()).toEqual(["ŷ", "ℓ"].sort());
    expect(Object.keys(out.grad).sort()).toEqual(["ℓ/W", "ℓ/δ"]);
    // the reference, by hand: ℓ = mean over rows of Σ_j (σ_ij - y_ij)², σ = sigmoid(xW + δ)
    const x = [[1, 2, 3], [0, -1, 1]], y = [[1, 0], [0, 1]], W = [[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], d = [0.1, -0.1];
    const s = x.map((r) => [0, 1].map((j) => 1 / (1 + Math.exp(-(r[0]! * W[0]![j]! + r[1]! * W[1]![j]! + r[2]! * W[2]![j]! + d[j]!)))));
    const loss = s.reduce((a, r, i) => a + r.reduce((b, v, j) => b + (v - y[i]![j]!) ** 2, 0), 0) / 2;
    expect(out.value["ℓ"] as number).toBeCloseTo(loss, 12);
    const dd = [0, 1].map((j) => s.reduce((a, r, i) => a + (2 * (r[j]! - y[i]![j]!) * r[j]! * (1 - r[j]!)) / 2, 0));
    (out.grad["ℓ/δ"] as number[]).forEach((g, j) => expect(g).toBeCloseTo(dd[j]!, 12));
  });

  it("netc grad prints the derivative in the user's letters", async () => {
    const r = await netcHere("grad", tmp.file("s.net", "input x\nσ = x^2\nλ = 3 * σ\ngrad λ wrt x\n"));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dλ\/dx = 6 \* x|dλ\/dx = 6x|λ.*x/);
  });

  it("--dim takes a Unicode dim name", async () => {
    const f = tmp.file("dim.net", "dim Β = 4\ninput x: [Β, 2]\nparam w: [2] = 1\noutput o = x @ w\n");
    const r = await netcHere("compile", f, "-o", tmp.dir, "--dim", "Β=8");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("emitted identifiers are valid, distinct and cannot inject", async () => {
    // names that differ only in how they would be mangled, next to JS names that must not be shadowed
    const src = "input ŷ\ninput y\ninput ŷ_1\nf = ŷ * y + ŷ_1 + ŷ^2\ngrad f wrt ŷ, y, ŷ_1\n";
    const { text } = await compileToText(src, { file: "c.net" });
    const decls = [...text.matchAll(/\bconst ([^\s=:]+)\s*=/gu)].map((m) => m[1]!);
    expect(new Set(decls).size).toBe(decls.length);
    for (const d of decls) expect(() => new Function(`const ${d} = 1;`), d).not.toThrow();
    const out = await gradAt(tmp, "clash", src, { ŷ: 3, y: 2, ŷ_1: 5 });
    expect(out.grad).toEqual({ "f/ŷ": 2 + 6, "f/y": 3, "f/ŷ_1": 1 });
  });
});
