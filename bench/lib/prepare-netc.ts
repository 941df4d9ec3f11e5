// Compiles each workload's model once in the parent process (compile(), f64 and f32) and writes
// the generated module as JavaScript to a temporary directory; the engine's child process then
// imports just that file, so neither the compiler's time nor its memory counts as the engine's.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dtype } from "../../src/runtime/contract.ts";
import type { Workload } from "../workloads.ts";

export interface Prepared {
  path?: string;
  /** compile() wall time: parse → IR → gradient → simplify → codegen → prettier → load. */
  compileMs: number;
  emittedChars: number;
  error?: string;
}

export async function prepareNetc(workloads: readonly Workload[]): Promise<Map<string, Prepared>> {
  const { compileWorkloadText } = await import("../engines/netc.ts");
  const dir = mkdtempSync(join(tmpdir(), "netc-bench-"));
  const out = new Map<string, Prepared>();
  for (const w of workloads) {
    for (const dtype of ["f64", "f32"] as Dtype[]) {
      if (!w.engines.includes(`netc-${dtype}`)) continue;
      try {
        const t0 = performance.now();
        const js = await compileWorkloadText(w, dtype, "js");
        const compileMs = performance.now() - t0;
        const path = join(dir, `${w.id}-${dtype}.mjs`);
        writeFileSync(path, js);
        out.set(`${w.id}/netc-${dtype}`, { path, compileMs, emittedChars: js.length });
      } catch (err) {
        out.set(`${w.id}/netc-${dtype}`, { compileMs: NaN, emittedChars: 0, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return out;
}
