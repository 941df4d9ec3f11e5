// Loads a generated module in-process. Codegen writes the module as JavaScript too (no type
// stripping, so no TypeScript toolchain at run time); the text is written to netc's cache directory
// (`modules/<hash>-<digest>.mjs`, see cache-dir.ts) and imported by file URL, or imported from a
// `data:` URL when no cache directory can be written. The folder keeps the 400 most recently used
// modules. Each load is a fresh module instance with its own buffers, so two loaded models never
// share state.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cacheDirectory, prune } from "./cache-dir.ts";
import type { GeneratedModule } from "./contract.ts";

let instance = 0;

/** The JavaScript text each loaded module came from, so a worker thread can load its own instance. */
const texts = new WeakMap<GeneratedModule, string>();

/** The JavaScript text `module` was loaded from (null for a module loaded some other way). */
export function moduleText(module: GeneratedModule): string | null {
  return texts.get(module) ?? null;
}

/** The module's file in the cache (written once), or null when there is no writable cache. */
function cachedFile(jsText: string, hash: string): string | null {
  const digest = createHash("sha256").update(jsText).digest("hex").slice(0, 12);
  const safeHash = hash.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
  try {
    const dir = join(cacheDirectory(), "modules");
    const path = join(dir, `${safeHash}-${digest}.mjs`);
    if (existsSync(path)) {
      // recently used: the cache's pruning (oldest first) leaves it alone
      const now = new Date();
      utimesSync(path, now, now);
    } else {
      mkdirSync(dir, { recursive: true });
      const tmp = `${path}.${process.pid}.${instance}.tmp`;
      writeFileSync(tmp, jsText);
      renameSync(tmp, path);
      prune(dir, ".mjs");
    }
    return path;
  } catch {
    return null;
  }
}

/** Imports a generated JavaScript module; `hash` is the model source's hash (the cache key). */
export async function loadModule(jsText: string, hash: string): Promise<GeneratedModule> {
  const path = cachedFile(jsText, hash);
  // The query (or, for a data: URL, the comment) makes every load its own module instance.
  const n = ++instance;
  const url = path
    ? `${pathToFileURL(path).href}?instance=${n}`
    : `data:text/javascript;base64,${Buffer.from(`${jsText}\n// instance ${n}\n`).toString("base64")}`;
  const mod = (await import(url)) as Partial<GeneratedModule>;
  for (const key of ["meta", "forward", "gradient", "step", "update"] as const) {
    if (!(key in mod)) throw new Error(`generated module ${path ?? hash} does not export ${key}`);
  }
  const loaded: GeneratedModule = { meta: mod.meta!, forward: mod.forward!, gradient: mod.gradient!, step: mod.step!, update: mod.update! };
  if (mod.buffers) loaded.buffers = mod.buffers;
  if (mod.dropoutMasks) loaded.dropoutMasks = mod.dropoutMasks;
  texts.set(loaded, jsText);
  return loaded;
}
