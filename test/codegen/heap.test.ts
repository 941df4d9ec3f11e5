// The training step of the MNIST 784-15-10 MLP allocates nothing per call: every buffer is
// allocated once when the module loads. Measured in a child process with --expose-gc over rounds
// of 10,000 steps (fixtures/heap-probe.ts).
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";

describe("no allocation per call", () => {
  it("heap use stays flat over 10,000 steps of the MNIST MLP", () => {
    const run = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "test/codegen/fixtures/heap-probe.ts"], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const { rounds, growthAfterGc } = JSON.parse(run.stdout.trim().split("\n").pop()!) as { rounds: number[]; growthAfterGc: number };
    // once the JIT has settled, a round of 10,000 steps allocates (almost) nothing: < 2 bytes a
    // call on average, i.e. under 20 KB in all (a boxed number per call alone would be 160 KB)
    expect(Math.min(...rounds)).toBeLessThan(2);
    // and nothing is retained: the heap after a full collection has not grown by even 1 MB
    expect(growthAfterGc).toBeLessThan(1 << 20);
  }, 60_000);
});
