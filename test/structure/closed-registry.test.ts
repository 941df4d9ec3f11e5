// The op registry is closed: a new op that is not element-wise needs one op file, one registry
// line, and an entry in every per-op table, and tsc names each one that is missing. This
// type-checks src/ (and the TF.js test mapping) with one more op name, `sumsq` (a reduction, as a
// registry line would add it; docs/ir.md shows the whole diff), and its op file without a kink
// declaration: tsc must fail at the op file and at every table typed over the op names.
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** The op file of a reduction `sumsq(x) = Σ x²`, and the registry's new name, without `kink`. */
const newOp = (src: string): string => `
import type { OpDef } from "${src}/ops/types.ts";
import { reduceShape } from "${src}/ops/shared.ts";
declare module "${src}/graph/node.ts" {
  interface OpNames {
    sumsq: true;
  }
}
export const sumsq: OpDef = {
  name: "sumsq",
  kind: "reduce",
  arity: 1,
  shape: ([x], attrs) => reduceShape(x!, attrs),
  eval: ([x]) => Float64Array.of(x!.reduce((s, v) => s + v * v, 0)),
  vjp: ({ g, args: [x], b }) => [b.mul(b.broadcastTo(g, x!.shape), b.mul(2, x!))],
};
`;

describe("the op registry is closed", () => {
  it("a new reduction without its table entries and kink declaration does not type-check, and tsc names each", () => {
    const fixture = join(mkdtempSync(join(tmpdir(), "netc-new-op-")), "sumsq.ts");
    writeFileSync(fixture, newOp(join(root, "src")));
    const config = ts.parseJsonConfigFileContent(ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile).config, ts.sys, root);
    const files = [...tsFiles(join(root, "src")), join(root, "test/support/tfjs-eval.ts"), fixture];
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram(files, config.options));
    const found = diagnostics.map((d) => ({
      file: d.file ? (d.file.fileName === fixture ? "<the new op file>" : relative(root, d.file.fileName)) : "?",
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
    }));
    // every error is about the new op: a table without an entry, or the op file without a kink
    for (const f of found) expect(f.message, `${f.file}: ${f.message}`).toMatch(/sumsq|'kink'/);
    const tables = new Set(found.map((f) => f.file));
    for (const table of ["<the new op file>", "src/ops/registry.ts", "src/codegen/ops.ts", "test/support/tfjs-eval.ts"]) expect([...tables]).toContain(table);
    expect(found.find((f) => f.file === "<the new op file>")!.message).toMatch(/Property 'kink' is missing/);
    expect(found.find((f) => f.file === "src/codegen/ops.ts")!.message).toMatch(/Property 'sumsq' is missing/);
  });
});
