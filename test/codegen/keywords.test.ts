// A model whose every name is a JavaScript keyword, a global the generated code relies on, an
// Object.prototype member or an identifier of the generated module itself compiles, runs and
// gives correct gradients through the CLI: `netc grad FILE --at VALUES.json --json`.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { interpret } from "../../src/ir/interpret.ts";
import { flattenValue, parseValuesText } from "../../src/data/values.ts";
import { irOf, relError } from "./support.ts";
import { compileToText } from "../../src/compile.ts";

const MODEL = "test/codegen/fixtures/keywords.net";
const VALUES = "test/codegen/fixtures/keywords.json";

const flat = (v: unknown): Float64Array => Float64Array.from((Array.isArray(v) ? v.flat(4) : [v]) as number[]);

describe("names from the model cannot break or inject code", () => {
  it("netc grad --at --json on a model named with keywords and prototype members", () => {
    const run = spawnSync(process.execPath, ["bin/netc.js", "grad", MODEL, "--at", VALUES, "--json"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { value: Record<string, unknown>; grad: Record<string, unknown> };
    // keys are the user's names, including __proto__ (an own key, not a prototype)
    expect(Object.keys(out.value).sort()).toEqual(["class", "hasOwnProperty", "return"]);
    expect(Object.keys(out.grad)).toContain("hasOwnProperty/__proto__");

    // the reference: the interpreter on the same IR at the same values
    const source = readFileSync(MODEL, "utf8");
    const ir = irOf(source, MODEL);
    const values = parseValuesText(readFileSync(VALUES, "utf8"));
    const leaves = new Map<string, Float64Array>();
    for (const d of [...ir.checked.params, ...ir.checked.data]) leaves.set(d.name, flattenValue(values[d.name], d.shape, d.name) as Float64Array);
    const ref = interpret([...ir.grads.map((g) => g.node), ...ir.outputs.map((o) => o.node), ir.loss!.node], leaves);
    expect(ir.grads.length).toBe(6);
    for (const g of ir.grads) {
      expect(Object.prototype.hasOwnProperty.call(out.grad, g.key), g.key).toBe(true);
      expect(relError(flat(out.grad[g.key]), ref.get(g.node)!), g.key).toBeLessThanOrEqual(1e-12);
    }
    expect(relError(flat(out.value["hasOwnProperty"]), ref.get(ir.loss!.node)!)).toBeLessThanOrEqual(1e-12);
    expect(relError(flat(out.value["return"]), ref.get(ir.outputs[0]!.node)!)).toBeLessThanOrEqual(1e-12);
  }, 30_000);

  it("identifiers are mangled; the shell's own names and globals keep their meaning", async () => {
    const { text } = await compileToText(readFileSync(MODEL, "utf8"), { file: MODEL });
    // user names that clash get a suffix…
    for (const n of ["this", "delete", "__proto__", "toString", "Math", "NaN", "var", "let", "class", "return"]) {
      expect(text).not.toMatch(new RegExp(`\\b(const|let) ${n.replace(/\$/g, "\\$")} =`));
    }
    expect(text).toMatch(/const __proto___1 = params\[0\]/);
    expect(text).toMatch(/Math\.exp\(/); // the global is untouched
    // …and every declared identifier is unique at module level
    const decls = [...text.matchAll(/^(?:const|let|function) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]);
    expect(new Set(decls).size).toBe(decls.length);
  });
});
