// Regressions found by random testing, each compiled, loaded and compared with the interpreter
// (src/ir/interpret.ts). A named fused value reached twice in one loop (`dL_dh` read by two terms)
// used to be declared twice (`const dL_dh = …` again), so the module did not compile.
import { describe, expect, it } from "vitest";
import { generate } from "../../src/codegen/index.ts";
import { agreement, irOf, load, randomLeaves } from "./support.ts";

const twiceDeclared = (text: string): string[] => {
  const seen = new Map<string, number>();
  for (const m of text.matchAll(/^\s*const ([\w$]+) = /gm)) seen.set(m[1]!, (seen.get(m[1]!) ?? 0) + 1);
  // a name may recur in separate loops (separate blocks); within one block it may not
  const blocks = text.split(/\n\s*\n/);
  return [...seen.keys()].filter((n) => blocks.some((b) => b.split(new RegExp(`const ${n.replace("$", "\\$")} = `)).length > 2));
};

const cases: [string, string, string][] = [
  ["max of a named value and a product, read again", "input x: [2]\nh = max(x, 0.5 * x)\nL = sum(h) + sum(max(h, 0.5 * x))\ngrad L wrt x\n", "dL_dh"],
  ["v - v, its derivative read twice", "input v: [2]\nb0 = v - v\nL = sum(b0) + sum(v * b0)\ngrad L wrt v\n", "dL_db0"],
];

describe("regressions: named fused values read twice in one loop", () => {
  for (const [title, source, name] of cases) {
    it(title, async () => {
      const ir = irOf(source);
      const text = generate(ir, { dtype: "f64", sourceHash: "test" });
      expect(text).toContain(`const ${name} = `);
      expect(twiceDeclared(text)).toEqual([]);
      const mod = await load(ir);
      for (const seed of [1, 2, 3]) {
        const a = agreement(ir, mod, randomLeaves(ir, seed, -2, 2));
        expect(a.errors.length).toBeGreaterThan(0);
        expect(a.worst).toBe(0);
      }
    });
  }
});
