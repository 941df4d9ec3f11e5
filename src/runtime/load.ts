// Loads a generated module in-process: esbuild strips the types, the JavaScript is written to an
// on-disk cache (`.netc-cache/<hash>-<digest>.mjs` under the project root, or the OS temp dir when
// that is not writable) and imported by file URL. Each load is a fresh module instance with its
// own buffers, so two loaded models never share state. esbuild is imported on first use only (a
// cached module needs no transform, and `netc compile` never loads one).
import { createHash } from "node:crypto";
import { renameSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { cacheDirectory } from "./cache-dir.ts";
import type { GeneratedModule } from "./contract.ts";

/** TypeScript → JavaScript (types stripped, nothing else changed). */
export async function toJavaScript(tsText: string): Promise<string> {
  const { transform } = await import("esbuild");
  const out = await transform(tsText, { loader: "ts", format: "esm", target: "es2022" });
  return out.code;
}

let instance = 0;

/** Compiles and imports a generated module; `hash` is the model source's hash (the cache key). */
export async function loadModule(tsText: string, hash: string): Promise<GeneratedModule> {
  const digest = createHash("sha256").update(tsText).digest("hex").slice(0, 12);
  const safeHash = hash.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
  const dir = cacheDirectory();
  const path = join(dir, `${safeHash}-${digest}.mjs`);
  if (!existsSync(path)) {
    const js = await toJavaScript(tsText);
    const tmp = `${path}.${process.pid}.${instance}.tmp`;
    writeFileSync(tmp, js);
    renameSync(tmp, path);
  }
  // The query makes every load its own module instance (own buffers), even for the same file.
  const url = `${pathToFileURL(path).href}?instance=${++instance}`;
  const mod = (await import(url)) as Partial<GeneratedModule>;
  for (const key of ["meta", "forward", "gradient", "step"] as const) {
    if (!(key in mod)) throw new Error(`generated module ${path} does not export ${key}`);
  }
  return { meta: mod.meta!, forward: mod.forward!, gradient: mod.gradient!, step: mod.step! };
}
