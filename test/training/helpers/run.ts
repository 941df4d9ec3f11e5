// Test helpers: run training in-process on a module, with output captured and params in a temp dir.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import type { GeneratedModule, Tensor } from "../../../src/runtime/contract.ts";
import type { DataSplit } from "../../../src/runtime/dataset.ts";
import type { Specialize } from "../../../src/runtime/modules.ts";
import { PlainReporter } from "../../../src/commands/train/progress.ts";
import { runTraining, type TrainRequest, type TrainResult } from "../../../src/commands/train/session.ts";
import type { StepInfo } from "../../../src/runtime/trainer.ts";

const made: string[] = [];
// Registered in the suite of each test file that imports this helper.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed when the test file is done. */
export function tempDir(prefix = "netc-training-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export interface Captured extends TrainResult {
  output: string;
  /** Every param after every step: params[k] holds the values after step k + 1. */
  history: number[][][];
  steps: StepInfo[];
}

export async function trainCaptured(
  module: GeneratedModule,
  options: Partial<TrainRequest> & { specialize?: Specialize; data?: DataSplit | null } = {},
): Promise<Captured> {
  let output = "";
  const history: number[][][] = [];
  const steps: StepInfo[] = [];
  const result = await runTraining({
    module,
    specialize: options.specialize ?? (() => Promise.reject(new Error("no specialization in this test"))),
    data: options.data ?? null,
    out: options.out ?? join(tempDir(), "params.json"),
    reporter: new PlainReporter((s) => (output += s)),
    ...options,
    onStep(info: StepInfo, params: readonly Tensor[]) {
      steps.push(info);
      history.push(params.map((p) => Array.from(p)));
      options.onStep?.(info, params);
    },
  });
  return { ...result, output, history, steps };
}
