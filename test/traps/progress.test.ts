// Output piped to a file (not a terminal) does not print one line per epoch for thousands of
// epochs: about 20 evenly spaced epoch lines, the first and the last, plus one whenever 30 s have
// passed since the last line.
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { PlainReporter, type EpochSummary, type RunInfo } from "../../src/commands/train/progress.ts";
import { netcHere, scratch } from "../contract/helpers.ts";

const tmp = scratch("progress");

describe("epoch lines when the output is not a terminal", () => {
  it("netc train for 1,000 epochs of 2 batches prints at most ~22 epoch lines, ending with the last", async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i / 20},${(2 * i) / 20}`).join("\n");
    const data = tmp.file("d.csv", `x,y\n${rows}\n`);
    const model = tmp.file("lin.net", "dim B = 10\ninput x: [B]\ntarget y: [B]\nparam w = 0\nloss L = mean((x*w - y)^2)\ntrain { optimizer = sgd(lr = 0.1) }\n");
    const r = await netcHere("train", model, "--data", data, "--epochs", "1000", "--out", join(tmp.dir, "p.json"));
    expect(r.code, r.stderr).toBe(0);
    const epochLines = r.stdout.split("\n").filter((l) => /^epoch +\d+\/1000/.test(l));
    expect(epochLines.length).toBeGreaterThanOrEqual(20);
    expect(epochLines.length).toBeLessThanOrEqual(23);
    expect(epochLines[0]).toMatch(/^epoch +1\/1000/);
    expect(epochLines.at(-1)).toMatch(/^epoch 1000\/1000/);
  }, 60_000);

  it("a run of at most 50 epochs prints every one; a slow epoch is printed anyway after 30 s", () => {
    const lines: string[] = [];
    const info = (totalEpochs: number): RunInfo => ({ totalSteps: totalEpochs * 2, startStep: 0, stepsPerEpoch: 2, totalEpochs, stepMode: false, scalarParams: null });
    const summary = (epoch: number, totalEpochs: number): EpochSummary => ({ epoch, totalEpochs, loss: 1, train: null, test: null, ms: 1, examples: 1 });
    let now = 0;
    const rep = new PlainReporter((s) => lines.push(s), () => now);
    rep.begin(info(50));
    for (let e = 1; e <= 50; e++) if (rep.showsEpoch(e)) rep.epochEnd(summary(e, 50));
    expect(lines).toHaveLength(50);
    lines.length = 0;
    rep.begin(info(1000));
    for (let e = 1; e <= 1000; e++) {
      now += e === 7 ? 31_000 : 1; // epoch 7 ends 31 s after the line before it
      if (rep.showsEpoch(e)) rep.epochEnd(summary(e, 1000));
    }
    expect(lines.map((l) => Number(/epoch +(\d+)/.exec(l)![1]))).toEqual([1, 7, ...Array.from({ length: 20 }, (_, i) => 50 * (i + 1))]);
  });
});
