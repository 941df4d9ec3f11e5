// Emitted code type-checks on its own, under `tsc --noEmit --strict --noUncheckedIndexedAccess` (a
// tiny tsconfig that includes nothing else), so it never depends on the project's settings and
// compiles in the strictest consumer: the golden modules, TypeScript emitted for random models of
// every op and for each optimizer's step, and the JavaScript modules' .d.ts files (lib checking
// on) with a consumer that calls every export of each.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compileToText } from "../../src/compile.ts";
import { randomModel } from "./random-model.ts";

const SMALL = (optimizer: string): string => `dim B = 3
input  x: [B, 4]
target y: [B, 2]
param  W: [4, 2] = xavier
param  b: [2] = zeros
output p = softmax(x @ W + b, 1)
loss   L = cross_entropy(x @ W + b, y) + 0.01 * sum(W ^ 2)
train { optimizer = ${optimizer} }
`;

describe("emitted TypeScript type-checks", () => {
  it("tsc --noEmit --strict --noUncheckedIndexedAccess over golden, random and .d.ts modules reports nothing", async () => {
    const golden = resolve("test", "golden");
    const files = readdirSync(golden).filter((f) => f.endsWith(".ts")).map((f) => join(golden, f));
    expect(files.length).toBeGreaterThanOrEqual(9);
    const dir = mkdtempSync(join(tmpdir(), "netc-tsc-"));
    const sources: [string, string][] = [];
    for (let seed = 1; seed <= 12; seed++) sources.push([`random_${seed}`, randomModel(seed)], [`named_${seed}`, randomModel(seed, { named: true })]);
    for (const [name, opt] of [["sgd", "sgd(lr = 0.1)"], ["momentum", "sgd(lr = 0.1, momentum = 0.9)"], ["adam", "adam(lr = 0.01)"]]) sources.push([name!, SMALL(opt!)]);
    for (const [name, source] of sources) {
      const { text } = await compileToText(source, { file: `${name}.net`, format: false });
      writeFileSync(join(dir, `${name}.ts`), text);
      files.push(join(dir, `${name}.ts`));
    }
    // JavaScript modules are checked through their declarations and a consumer of each
    const consumer = ["const zeros = (ts: readonly { size: number }[]): Float64Array[] => ts.map((t) => new Float64Array(t.size));"];
    for (const f of readdirSync("examples").filter((f) => f.endsWith(".net"))) {
      const name = f.replace(/\.net$/, "");
      const { text, declarations } = await compileToText(readFileSync(join("examples", f), "utf8"), { file: f, lang: "js", format: false });
      writeFileSync(join(dir, `${name}_js.js`), text);
      writeFileSync(join(dir, `${name}_js.d.ts`), declarations!);
      consumer.push(
        `import * as ${name} from "./${name}_js.js";`,
        `{ const p = zeros(${name}.meta.params); const d = zeros(${name}.meta.data);`,
        `  const n: number = ${name}.forward(p, d).loss + ${name}.gradient(p, d).loss + ${name}.step(p, d, { lr: 0.1, t: 1 }, []) + (${name}.meta.dims["B"] ?? 0); void n; }`,
      );
    }
    writeFileSync(join(dir, "consumer.ts"), consumer.join("\n") + "\nexport {};\n");
    files.push(join(dir, "consumer.ts"));
    const config = {
      compilerOptions: { strict: true, noUncheckedIndexedAccess: true, noEmit: true, target: "ES2022", module: "ES2022", moduleResolution: "bundler", lib: ["ES2022"], types: [] },
      files,
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
    const tsc = resolve("node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 120_000);
});
