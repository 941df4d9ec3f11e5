// The parts of the package that need no packing: where the cache goes (and loading without one),
// `netc --version` answering from package.json (bin/netc.js's fast path) with the version the code
// stamps, and `netc compile --emit js` writing a JavaScript module with its declarations beside it.
import { describe, expect, it, vi } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cacheCandidates } from "../../src/runtime/cache-dir.ts";
import { VERSION } from "../../src/version.ts";
import { compile } from "../../src/compile.ts";
import type { GeneratedModule } from "../../src/runtime/contract.ts";

const run = (args: string[]) => spawnSync(process.execPath, ["bin/netc.js", ...args], { encoding: "utf8" });

describe("the package, from the checkout", () => {
  it("the cache goes to $XDG_CACHE_HOME/netc, else ~/.cache/netc, else the temp dir; never the package", () => {
    const [first] = cacheCandidates({ XDG_CACHE_HOME: "/x/cache" });
    expect(first).toBe(join("/x/cache", "netc"));
    const plain = cacheCandidates({});
    expect(plain[0]).toMatch(/[/\\]\.cache[/\\]netc$/);
    expect(plain.at(-1)!.startsWith(tmpdir())).toBe(true);
    // a relative XDG_CACHE_HOME is ignored, as the XDG spec says
    expect(cacheCandidates({ XDG_CACHE_HOME: "rel" })).toEqual(plain);
    for (const dir of [...plain, first!]) expect(dir.startsWith(process.cwd())).toBe(false);
  });

  it("loads generated modules from a data: URL when no cache directory can be written", async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), "netc-nocache-")), "file");
    writeFileSync(blocker, ""); // a file: no directory can be made under it, not even by root
    const saved = { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
    Object.assign(process.env, { XDG_CACHE_HOME: join(blocker, "xdg"), HOME: blocker, TMPDIR: blocker });
    try {
      vi.resetModules(); // a fresh cache-dir module, which has not found a directory yet
      const fresh = (await import("../../src/compile.ts")) as typeof import("../../src/compile.ts");
      const { cacheDirectory } = (await import("../../src/runtime/cache-dir.ts")) as typeof import("../../src/runtime/cache-dir.ts");
      expect(() => cacheDirectory()).toThrow(/cannot find a writable directory/);
      const source = readFileSync("examples/xor.net", "utf8");
      const [a, b] = [await fresh.compile(source, { file: "xor.net", format: false }), await compile(source, { file: "xor.net", format: false })];
      const params = a.module.meta.params.map((p) => new Float64Array(p.size).fill(0.5));
      const data = a.module.meta.data.map((d) => new Float64Array(d.size).fill(1));
      expect(a.module.gradient(params, data).loss).toBe(b.module.gradient(params, data).loss);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("--version prints package.json's version, which is the one stamped into generated code", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };
    expect(pkg.version).toBe(VERSION);
    for (const flag of ["--version", "-V"]) expect(run([flag]).stdout).toBe(`${VERSION}\n`);
  });

  it("compile --emit js writes <model>.js and <model>.d.ts; the .js runs without a TypeScript toolchain", async () => {
    const dir = mkdtempSync(join(tmpdir(), "netc-emit-js-"));
    const r = run(["compile", "examples/xor.net", "--emit", "js", "-o", dir]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe(`${join(dir, "xor.js")}\n`);
    expect(existsSync(join(dir, "xor.d.ts"))).toBe(true);
    expect(existsSync(join(dir, "xor.ts"))).toBe(false);
    const js = readFileSync(join(dir, "xor.js"), "utf8");
    expect(js).not.toMatch(/: (number|Tensor|void)\b|interface |type Tensor/);
    const mod = (await import(pathToFileURL(join(dir, "xor.js")).href)) as GeneratedModule;
    const params = mod.meta.params.map((p) => new Float64Array(p.size).fill(0.5));
    const data = mod.meta.data.map((d) => new Float64Array(d.size).fill(1));
    const { module } = await compile(readFileSync("examples/xor.net", "utf8"), { file: "examples/xor.net" });
    const [a, b] = [mod.gradient(params, data), module.gradient(params, data)];
    expect(a.loss).toBe(b.loss);
    expect(a.grads.map((g) => Array.from(g as Float64Array))).toEqual(b.grads.map((g) => Array.from(g as Float64Array)));
    expect(readFileSync(join(dir, "xor.d.ts"), "utf8")).toMatch(/export declare function gradient\(params: readonly Tensor\[\], data: readonly Tensor\[\]\): GradientResult;/);
  });
});
