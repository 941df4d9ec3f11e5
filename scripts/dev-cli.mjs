// The `netc` command in a checkout (bin/netc.js comes here when src/ is beside it; an installed
// package runs its prebuilt dist/cli.js instead). It runs src/cli.ts from a JavaScript build of the
// sources cached in netc's cache directory (`$XDG_CACHE_HOME/netc`, else `~/.cache/netc`; never in
// the checkout), one per checkout: starting tsx's loader and transpiling module by module costs
// ~0.3 s per process, the cached build ~0.05 s. The build is esbuild's (a devDependency), one bundle
// of src/ split at the dynamic imports so each command loads only its own code, with packages left
// as imports. It is checked against the size and mtime of every file it was built from and rebuilt
// when one changed (about half a second, once). When the cache cannot be written or the build
// fails, or with NETC_TSX=1, the sources run through tsx as before.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { homedir, tmpdir } from "node:os";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** As src/runtime/cache-dir.ts: $XDG_CACHE_HOME/netc, else ~/.cache/netc, else the temp dir. */
function userCache() {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, "netc");
  try {
    return join(homedir(), ".cache", "netc");
  } catch {
    return join(tmpdir(), "netc-cache");
  }
}
const CACHE = join(userCache(), `cli-${createHash("sha256").update(ROOT).digest("hex").slice(0, 12)}`);
const MANIFEST = join(CACHE, "manifest.json");
const ENTRY = join(ROOT, "src", "cli.ts");
/** Bump when the build options below change, so older builds are not reused. */
const BUILD_FORMAT = 2;
/** Builds older than this are deleted when a new one is made (a process still running an old
 * build loaded its command's code when it started). */
const STALE_MS = 60 * 60 * 1000;

/** The cached build's entry file, if every file it was built from is unchanged. */
function cachedEntry() {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, "utf8"));
  } catch {
    return null;
  }
  if (manifest.format !== BUILD_FORMAT || manifest.node !== process.version) return null;
  for (const [file, size, mtime] of manifest.inputs) {
    let s;
    try {
      s = statSync(join(ROOT, file));
    } catch {
      return null;
    }
    if (s.size !== size || s.mtimeMs !== mtime) return null;
  }
  return join(CACHE, manifest.dir, "cli.js");
}

/** Builds src/cli.ts into a fresh directory of the cache and records it in the manifest. */
async function build() {
  const { build: esbuild } = await import("esbuild");
  const dir = `build-${Date.now().toString(36)}-${process.pid}`;
  const out = join(CACHE, dir);
  const inputs = [];
  const stamp = (file) => {
    const s = statSync(file);
    inputs.push([relative(ROOT, file), s.size, s.mtimeMs]);
  };
  // Stat before reading, so a file edited during the build leaves a stale stamp (rebuilt next time).
  const tsconfig = join(ROOT, "tsconfig.json");
  stamp(tsconfig);
  const result = await esbuild({
    entryPoints: [ENTRY],
    outdir: out,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    tsconfig,
    sourcemap: true,
    logLevel: "silent",
    absWorkingDir: ROOT,
    metafile: true,
    plugins: [
      {
        // Packages stay imports, by absolute URL: the build lives outside the checkout, where a
        // bare `commander` would not find the checkout's node_modules.
        name: "netc-packages-by-url",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (isBuiltin(args.path)) return { path: args.path, external: true };
            return { path: import.meta.resolve(args.path), external: true };
          });
        },
      },
      {
        // Each module keeps its own import.meta.url (they locate grammar/, the project root and
        // packages relative to themselves), not the URL of the chunk it lands in.
        name: "netc-source-urls",
        setup(b) {
          b.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
            stamp(args.path);
            const text = readFileSync(args.path, "utf8");
            return { contents: text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)), loader: "ts" };
          });
        },
      },
    ],
  });
  // Inputs the plugin did not see (JSON, JavaScript) are stamped after the fact.
  const seen = new Set(inputs.map(([file]) => file));
  for (const file of Object.keys(result.metafile.inputs)) if (!seen.has(file)) stamp(join(ROOT, file));
  const manifest = { format: BUILD_FORMAT, node: process.version, dir, inputs };
  const tmp = `${MANIFEST}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(manifest));
  renameSync(tmp, MANIFEST);
  // Older builds may still be running in other processes (commands load lazily): keep recent ones.
  for (const name of readdirSync(CACHE)) {
    if (!name.startsWith("build-") || name === dir) continue;
    try {
      if (Date.now() - statSync(join(CACHE, name)).mtimeMs > STALE_MS) rmSync(join(CACHE, name), { recursive: true, force: true });
    } catch {
      // another process removed it first
    }
  }
  return join(out, "cli.js");
}

async function builtEntry() {
  if (process.env.NETC_TSX === "1") return null;
  const cached = cachedEntry();
  if (cached) return cached;
  try {
    mkdirSync(CACHE, { recursive: true });
    return await build();
  } catch {
    return null; // not writable, or the sources do not build: tsx reports it its own way
  }
}

const entry = await builtEntry();
if (entry) {
  if (process.env.NETC_DEBUG) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(ENTRY).href);
}
