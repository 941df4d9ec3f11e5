// The project's test command (`npm test`): the vitest suite, then the CI-sized benchmark
// (`npm run bench -- --quick`, which fails only if netc's gradients disagree with TensorFlow.js's;
// its timings are for people to read). Ends with the line "N passed, N failed".
// NETC_SKIP_BENCH=1 skips the benchmark; extra arguments go to vitest (and skip the benchmark).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const vitestArgs = process.argv.slice(2);
const report = join(mkdtempSync(join(tmpdir(), "netc-test-")), "report.json");
const run = spawnSync(
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...vitestArgs],
  { stdio: "inherit" },
);

let passed = 0;
let failed = 0;
if (existsSync(report)) {
  const json = JSON.parse(readFileSync(report, "utf8"));
  passed = json.numPassedTests ?? 0;
  failed = json.numFailedTests ?? 0;
  // A file that fails to load has no tests to count; count it as one failure so it shows.
  if (failed === 0 && (json.numFailedTestSuites ?? 0) > 0) failed = json.numFailedTestSuites;
}
if (run.status !== 0 && failed === 0) failed = 1;

if (vitestArgs.length === 0 && process.env.NETC_SKIP_BENCH !== "1") {
  console.log("\nnpm run bench -- --quick (the gradient gate against TensorFlow.js; timings are informational)");
  const bench = spawnSync("npx", ["tsx", "bench/run.ts", "--quick"], { stdio: "inherit" });
  if (bench.status === 0) passed += 1;
  else {
    failed += 1;
    console.log("bench --quick failed: netc's gradients disagree with TensorFlow.js's, or the benchmark did not run");
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
