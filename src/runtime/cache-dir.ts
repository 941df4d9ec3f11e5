// The directory netc keeps derived files in (loaded modules, formatted code, V8's code cache):
// `$XDG_CACHE_HOME/netc`, else `~/.cache/netc`, else `netc-cache-<user>` in the OS temp dir when
// neither can be written. Never inside the package, which may be read-only (a global install).
// Everything in it can be deleted at any time.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir, userInfo } from "node:os";
import { isAbsolute, join } from "node:path";

let cacheDir: string | null = null;

/** Where the cache may go, best first. */
export function cacheCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  // The XDG spec ignores a relative XDG_CACHE_HOME.
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) out.push(join(xdg, "netc"));
  let home = "";
  try {
    home = homedir();
  } catch {
    // no home directory
  }
  if (home) out.push(join(home, ".cache", "netc"));
  let user = "user";
  try {
    user = String(userInfo().uid >= 0 ? userInfo().uid : userInfo().username);
  } catch {
    // no user information
  }
  out.push(join(tmpdir(), `netc-cache-${user}`));
  return out;
}

export function cacheDirectory(): string {
  if (cacheDir) return cacheDir;
  for (const dir of cacheCandidates()) {
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
  throw new Error(`cannot find a writable directory for netc's cache (tried ${cacheCandidates().join(", ")})`);
}

/** A folder of the cache keeps at most this many files; the older half goes when it is full. */
export const CACHE_ENTRIES = 400;

/** Keeps the `ext` files of a cache folder to CACHE_ENTRIES, deleting the oldest first. */
export function prune(dir: string, ext: string): void {
  const entries = readdirSync(dir).filter((f) => f.endsWith(ext));
  if (entries.length <= CACHE_ENTRIES) return;
  const byAge = entries.map((f) => ({ f, t: statSync(join(dir, f), { throwIfNoEntry: false })?.mtimeMs ?? 0 })).sort((a, b) => a.t - b.t);
  for (const { f } of byAge.slice(0, entries.length - CACHE_ENTRIES / 2)) rmSync(join(dir, f), { force: true });
}
