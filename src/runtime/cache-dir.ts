// The directory netc keeps derived files in (loaded modules, formatted code): `.netc-cache/` under
// the project root, or `netc-cache/` in the OS temp dir when that is not writable. Everything in it
// can be deleted at any time.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

let cacheDir: string | null = null;

export function cacheDirectory(): string {
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
  throw new Error("cannot find a writable directory for netc's cache (.netc-cache)");
}
