// Run as a child process by compile-scaling.ts: the cost of compiling examples/mnist_mlp.net in a
// fresh process, the way `netc compile` does — loading the compiler, the first compile, and the
// first prettier call (which loads prettier's TypeScript printer) — printed as one JSON line.
import { readFileSync } from "node:fs";

const file = "examples/mnist_mlp.net";
const t0 = performance.now();
const { compileToText } = await import("../../src/compile.ts");
const t1 = performance.now();
const source = readFileSync(file, "utf8");
await compileToText(source, { file, format: false });
const t2 = performance.now();
await compileToText(source, { file });
const t3 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, firstCompileMs: t2 - t1, firstFormattedCompileMs: t3 - t2 }));
