#!/usr/bin/env node
// Entry point of the `netc` command. An installed package runs its prebuilt dist/cli.js (no build
// step, no TypeScript toolchain). A checkout, where src/ is beside bin/ and dist/ may be missing or
// stale, runs the sources through scripts/dev-cli.mjs. `netc --version` answers from package.json
// without loading either.
import { existsSync, readFileSync } from "node:fs";

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
  process.stdout.write(`${version}\n`);
} else if (existsSync(new URL("../src/cli.ts", import.meta.url))) {
  await import("../scripts/dev-cli.mjs");
} else {
  await import("../dist/cli.js");
}
