// The golden modules compile under `tsc --noEmit --strict` on their own (a tiny tsconfig that
// includes nothing else), so emitted code never depends on the project's settings.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

describe("emitted TypeScript type-checks", () => {
  it("tsc --noEmit --strict over test/golden/*.ts reports nothing", () => {
    const golden = resolve("test", "golden");
    const files = readdirSync(golden).filter((f) => f.endsWith(".ts"));
    expect(files.length).toBeGreaterThanOrEqual(9);
    const dir = mkdtempSync(join(tmpdir(), "netc-tsc-"));
    const config = {
      compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "ES2022", moduleResolution: "bundler", lib: ["ES2022"], types: [], skipLibCheck: true },
      files: files.map((f) => join(golden, f)),
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(config));
    const tsc = resolve("node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 60_000);
});
