// The layer rules of .dependency-cruiser.cjs (DESIGN.md's drawing) and "no cycles in src/", run by
// dependency-cruiser: every violation fails with the offending import named. Cycles are checked
// between modules (by the cruiser) and between folders (here), so `ir → diff → ir` fails even
// when no single module closes the loop. The last test runs the same rules on a few planted
// violations, so a rule that no longer bites fails too.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const config = join(root, ".dependency-cruiser.cjs");
const bin = join(root, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

interface Cruise {
  modules: { source: string; dependencies: { resolved: string }[] }[];
  summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[] };
}

function cruise(cwd: string): Cruise {
  const run = spawnSync(process.execPath, [bin, "src", "--config", config, "--output-type", "json"], { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
  if (!run.stdout) throw new Error(`dependency-cruiser did not run: ${run.stderr}`);
  return JSON.parse(run.stdout) as Cruise;
}

/** Each violation as one line: the rule, the importing file and the imported one (or the cycle). */
const describeViolations = (c: Cruise): string[] =>
  c.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.cycle ? v.cycle.map((x) => x.name).join(" → ") : v.to}`);

/** The top-level folder (`src/ir`) or file (`src/compile.ts`) a module belongs to. */
const folderOf = (path: string): string => path.match(/^src\/[^/]+(?=\/)/)?.[0] ?? path;

/** Cycles between folders: strongly connected components of more than one folder, each with one import per edge. */
function folderCycles(c: Cruise): string[] {
  const edges = new Map<string, Map<string, string>>();
  for (const m of c.modules) {
    if (!m.source.startsWith("src/")) continue;
    for (const d of m.dependencies) {
      const [a, b] = [folderOf(m.source), folderOf(d.resolved)];
      if (!d.resolved.startsWith("src/") || a === b) continue;
      if (!edges.has(a)) edges.set(a, new Map());
      if (!edges.get(a)!.has(b)) edges.get(a)!.set(b, `${m.source} → ${d.resolved}`);
    }
  }
  // Tarjan's algorithm
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const out: string[] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do scc.push((w = stack.pop()!));
    while (w !== v);
    if (scc.length < 2) return;
    const inside = new Set(scc);
    const imports = scc.flatMap((a) => [...(edges.get(a) ?? [])].filter(([b]) => inside.has(b)).map(([, imp]) => imp));
    out.push(`folders ${scc.sort().join(", ")} import each other: ${imports.sort().join("; ")}`);
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe("the layers of src/", () => {
  let src: Cruise | undefined;
  const cruiseSrc = (): Cruise => (src ??= cruise(root));

  it("every import follows the layer rules, and no module imports itself back", () => {
    expect(describeViolations(cruiseSrc())).toEqual([]);
  });

  it("no two folders of src/ import each other, directly or around a loop", () => {
    expect(folderCycles(cruiseSrc())).toEqual([]);
  });

  it("the rules catch planted violations, naming the import", () => {
    const dir = mkdtempSync(join(tmpdir(), "netc-layers-"));
    const files: Record<string, string> = {
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", allowImportingTsExtensions: true, noEmit: true } }),
      "src/check/model.ts": "export type M = number;\n",
      "src/runtime/feed.ts": 'import type { M } from "../check/model.ts";\nexport const m: M = 1;\n',
      "src/commands/common.ts": "export class UsageError extends Error {}\n",
      "src/data/csv.ts": 'import { UsageError } from "../commands/common.ts";\nexport const e = UsageError;\n',
      "src/ir/lower.ts": 'import { reverse } from "../diff/reverse.ts";\nexport const lower = reverse;\n',
      "src/diff/reverse.ts": 'import { Node } from "../ir/node.ts";\nexport const reverse = Node;\n',
      "src/ir/node.ts": "export const Node = 1;\n",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const c = cruise(dir);
    expect(describeViolations(c).sort()).toEqual([
      "commands-on-top: src/data/csv.ts → src/commands/common.ts",
      "data-below-compiler: src/data/csv.ts → src/commands/common.ts",
      "ir-below-passes: src/ir/lower.ts → src/diff/reverse.ts",
      "runtime-below-compiler: src/runtime/feed.ts → src/check/model.ts",
    ]);
    expect(folderCycles(c)).toEqual(["folders src/diff, src/ir import each other: src/diff/reverse.ts → src/ir/node.ts; src/ir/lower.ts → src/diff/reverse.ts"]);
  });
});
