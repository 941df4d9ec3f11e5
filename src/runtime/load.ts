// Loads a generated module in-process: esbuild strips the types, the JavaScript is written to an
// on-disk cache (`.netc-cache/<hash>-<digest>.mjs` under the project root, or the OS temp dir when
// that is not writable) and imported by file URL. Each load is a fresh module instance with its
// own buffers, so two loaded models never share state.
import { createHash } from "node:crypto";
import { mkdirSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { transform } from "esbuild";
import type { GeneratedModule } from "./contract.ts";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

let cacheDir: string | null = null;
function cacheDirectory(): string {
  if (cacheDir) return cacheDir;
  for (const dir of [join(projectRoot, ".netc-cache"), join(tmpdir(), "netc-cache")]) {
    try {
      mkdirSync(dir, { recursive: true });
      const probe = join(dir, `.probe-${process.pid}`);
      writeFileSync(probe, "");
      renameSync(probe, join(dir, ".probe"));
      cacheDir = dir;
      return dir;
    } catch {
      // not writable: try the next place
    }
  }
  throw new Error("cannot find a writable directory for compiled modules");
}

/** TypeScript → JavaScript (types stripped, nothing else changed). */
export async function toJavaScript(tsText: string): Promise<string> {
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
