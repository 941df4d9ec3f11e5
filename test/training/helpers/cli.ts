// Runs `netc` as a real child process (node bin/netc.js …), as a user would.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const BIN = `${ROOT}bin/netc.js`;

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startNetc(args: string[], cwd = ROOT): { child: ChildProcess; done: Promise<Finished>; stdout: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<Finished>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return { child, done, stdout: () => stdout };
}

export function netc(args: string[], cwd = ROOT): Promise<Finished> {
  return startNetc(args, cwd).done;
}

/** Resolves once the child's stdout matches `pattern`. */
export async function waitForOutput(read: () => string, pattern: RegExp, timeoutMs = 30000): Promise<void> {
  const start = Date.now();
  while (!pattern.test(read())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${pattern}; output so far:\n${read()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
