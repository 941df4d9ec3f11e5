// Formats generated TypeScript with prettier (the project's one formatter), so emitted modules
// read like hand-written code and diff cleanly. Prettier is slow on very large inputs (minutes for
// a few megabytes), so past FORMAT_LIMIT characters the emitter's own indentation is kept: the
// text is already laid out line by line, just not wrapped.
//
// Start-up cost matters here (`netc compile` formats once per process), so prettier is imported
// only on first use, and only the standalone core with the estree printer and the babel parser
// (`babel-ts`): about half the load and first-call time of `prettier` with its `typescript` parser,
// and byte-identical output on the code netc emits (checked in test/perf/compile-time.test.ts).
// Should babel ever reject a module, the `typescript` parser formats it instead. Prettier's code
// is loaded through V8's code cache (loadCodeCached below).
//
// formatCached() also keeps formatted modules on disk (format/ in netc's cache directory, see
// src/runtime/cache-dir.ts), keyed by a hash of the unformatted text, prettier's version and the
// settings, so recompiling an unchanged model skips prettier altogether. Set NETC_FORMAT_CACHE=0 to always run prettier.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Script } from "node:vm";
import type { Options, Plugin } from "prettier";
import { cacheDirectory, prune } from "../runtime/cache-dir.ts";

export const FORMAT_LIMIT = 400_000;

const OPTIONS: Options = { printWidth: 110, trailingComma: "all" };

type Format = (text: string, options: Options) => Promise<string>;
interface Prettier {
  format: Format;
  plugins: Plugin[];
}

/**
 * Loads one of prettier's single-file CommonJS builds through V8's code cache: the first format
 * compiles a good part of prettier's ~600 KB, and reusing that work from v8/ in netc's cache
 * directory saves about a quarter of a cold format. `save` writes the cache after a format when it
 * was missing or rejected (V8 rejects it after a Node upgrade or under other flags; the key names
 * both).
 * NETC_CODE_CACHE=0 imports prettier's ES modules instead (for comparison).
 */
function loadCodeCached(specifier: string): { exports: unknown; save: () => void } {
  const require = createRequire(import.meta.url);
  const file = require.resolve(specifier);
  const source = readFileSync(file, "utf8");
  const { size, mtimeMs } = statSync(file);
  const key = createHash("sha256").update(`${file}\0${size}\0${mtimeMs}\0${process.version}\0${process.execArgv.join(" ")}`).digest("hex").slice(0, 16);
  const cacheFile = join(cacheDirectory(), "v8", `${basename(file, ".js")}-${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no code cache yet
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, require, module, file, dirname(file));
  const save = () => {
    if (cachedData && !script.cachedDataRejected) return;
    try {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // no cache: only costs time
    }
  };
  return { exports: module.exports, save };
}

interface Loaded extends Prettier {
  /** Writes the code caches (call after the first format, which compiled the code that ran). */
  save: () => void;
}

/** prettier/standalone, the estree printer and one parser plugin; from the code cache when possible. */
async function loadPrettier(parser: "babel" | "typescript"): Promise<Loaded> {
  try {
    if (process.env.NETC_CODE_CACHE === "0") throw new Error("code cache turned off");
    const parts = ["prettier/standalone", "prettier/plugins/estree", `prettier/plugins/${parser}`].map(loadCodeCached);
    const [standalone, estree, plugin] = parts.map((p) => p.exports) as [{ format: Format }, Plugin, Plugin];
    return { format: standalone.format, plugins: [estree, plugin], save: () => parts.forEach((p) => p.save()) };
  } catch {
    // no writable cache directory, or an unexpected layout: import the ES modules
    const [standalone, estree, plugin] = await Promise.all([
      import("prettier/standalone"),
      import("prettier/plugins/estree"),
      parser === "babel" ? import("prettier/plugins/babel") : import("prettier/plugins/typescript"),
    ]);
    return { format: standalone.format, plugins: [estree as Plugin, plugin as Plugin], save: () => {} };
  }
}

const loaded = new Map<string, Promise<Loaded>>();

async function formatWith(parser: "babel" | "typescript", text: string): Promise<string> {
  let p = loaded.get(parser);
  const first = !p;
  if (!p) loaded.set(parser, (p = loadPrettier(parser)));
  const prettier = await p;
  const out = await prettier.format(text, { ...OPTIONS, parser: parser === "babel" ? "babel-ts" : "typescript", plugins: prettier.plugins });
  if (first) prettier.save();
  return out;
}

/** Prettier with netc's settings; `parser` picks the TypeScript parser (default: babel-ts, the faster). */
export async function formatTypeScript(text: string, parser: "babel-ts" | "typescript" = "babel-ts"): Promise<string> {
  if (text.length > FORMAT_LIMIT) return text;
  if (parser === "babel-ts") {
    try {
      return await formatWith("babel", text);
    } catch {
      // babel could not parse it: the typescript parser below decides (and reports real errors)
    }
  }
  return formatWith("typescript", text);
}

/** Part of the cache key: change when the formatting settings or parsers above change. */
const SETTINGS_KEY = JSON.stringify({ ...OPTIONS, parsers: ["babel-ts", "typescript"] });

let prettierVersion: string | null = null;
function versionOfPrettier(): string {
  prettierVersion ??= (createRequire(import.meta.url)("prettier/package.json") as { version: string }).version;
  return prettierVersion;
}

/** formatTypeScript, through the on-disk cache of formatted modules. */
export async function formatCached(text: string): Promise<string> {
  if (text.length > FORMAT_LIMIT) return text;
  if (process.env.NETC_FORMAT_CACHE === "0") return formatTypeScript(text);
  let path: string | null = null;
  try {
    const digest = createHash("sha256").update(versionOfPrettier()).update(SETTINGS_KEY).update(text).digest("hex").slice(0, 32);
    path = join(cacheDirectory(), "format", `${digest}.ts`);
    return readFileSync(path, "utf8");
  } catch {
    // not cached yet (or no cache at all): format, then try to keep the result
  }
  const formatted = await formatTypeScript(text);
  if (path) {
    try {
      const dir = dirname(path);
      mkdirSync(dir, { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, formatted);
      renameSync(tmp, path);
      prune(dir, ".ts");
    } catch {
      // a read-only cache only costs the time
    }
  }
  return formatted;
}
