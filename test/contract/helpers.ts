// Shared by the contract tests (LANGUAGE.md, checked line by line): `netc` run in this process
// through the CLI's own `main` (fast; stdout and stderr captured), a few real child processes (exit
// statuses as a shell sees them), and scratch files for models and values.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { vi } from "vitest";
import { main } from "../../src/cli.ts";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = join(ROOT, "bin", "netc.js");

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `netc ARGS` through the CLI's entry point in this process. */
export async function netcHere(...args: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: unknown) => (into.push(String(chunk)), true);
  const o = vi.spyOn(process.stdout, "write").mockImplementation(capture(out));
  const e = vi.spyOn(process.stderr, "write").mockImplementation(capture(err));
  try {
    const code = await main(args);
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

/** `node bin/netc.js ARGS` as a real child process. */
export function netcChild(args: string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A scratch directory for one test file; `file(name, text)` writes into it and returns the path. */
export function scratch(prefix: string): { dir: string; file: (name: string, text: string | Buffer) => string } {
  const dir = mkdtempSync(join(tmpdir(), `netc-contract-${prefix}-`));
  let n = 0;
  return {
    dir,
    file(name: string, text: string | Buffer): string {
      const path = join(dir, name.includes("/") ? name : name === "" ? `f${n++}` : name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      return path;
    },
  };
}

export interface GradAt {
  value: Record<string, unknown>;
  grad: Record<string, unknown>;
}

/**
 * `netc grad MODEL --at VALUES --json` in this process; the parsed JSON, or a failure carrying what
 * netc printed. Models and values are written to fresh files named after `tag`.
 */
export async function gradAt(
  tmp: ReturnType<typeof scratch>,
  tag: string,
  model: string,
  values: Record<string, unknown> | string,
  ...flags: string[]
): Promise<GradAt> {
  const safe = tag.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 40) || "m";
  const id = `${safe}_${Math.random().toString(36).slice(2, 8)}`;
  const modelFile = tmp.file(`${id}.net`, model);
  const valuesFile = tmp.file(`${id}.json`, typeof values === "string" ? values : JSON.stringify(values));
  const r = await netcHere("grad", modelFile, "--at", valuesFile, "--json", ...flags);
  if (r.code !== 0) throw new Error(`netc grad --at exited ${r.code} on\n${model}\n${r.stderr}${r.stdout}`);
  return JSON.parse(r.stdout) as GradAt;
}

/** Element-wise closeness of nested arrays / numbers, relative to max(1, |expected|). */
export function close(actual: unknown, expected: unknown, tol = 1e-12): boolean {
  if (typeof expected === "number") {
    if (typeof actual !== "number") return false;
    if (Number.isNaN(expected)) return Number.isNaN(actual);
    return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
  }
  if (expected === null) return actual === null;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => close(actual[i], e, tol));
  }
  return false;
}

/** The error report format fixed by the contract: `FILE:LINE:COL: error: MESSAGE`, the line, a caret. */
export const REPORT = /^(?<file>[^\n]+?):(?<line>\d+):(?<col>\d+): error: (?<message>[^\n]+)\n(?<source>[^\n]*)\n(?<caret> *\^)/m;
