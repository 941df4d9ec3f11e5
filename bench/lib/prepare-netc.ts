// Compiles each workload's model once in the parent process (compile(), f64 and f32) and writes
// the generated module as JavaScript to a temporary directory; the engine's child process then
// imports just that file, so neither the compiler's time nor its memory counts as the engine's.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dtype } from "../../src/runtime/contract.ts";
import type { EngineName, Workload } from "../workloads.ts";
import type { Target } from "../../src/compile.ts";

export interface Prepared {
  path?: string;
  /** compile() wall time: parse → IR → gradient → simplify → codegen → prettier → load. */
  compileMs: number;
  emittedChars: number;
  error?: string;
}

/** The netc engines: name, dtype and target. */
const NETC_ENGINES: [EngineName, Dtype, Target, boolean][] = [
  ["netc-f64", "f64", "js", true],
  ["netc-f32", "f32", "js", true],
  ["netc-f32-dense", "f32", "js", false],
  ["netc-wasm-f32", "f32", "wasm", true],
  ["netc-wasm-f32-dense", "f32", "wasm", false],
];

export async function prepareNetc(workloads: readonly Workload[]): Promise<Map<string, Prepared>> {
  const { compileWorkloadText } = await import("../engines/netc.ts");
  const dir = mkdtempSync(join(tmpdir(), "netc-bench-"));
  const out = new Map<string, Prepared>();
  for (const w of workloads) {
    for (const [engine, dtype, target, sparse] of NETC_ENGINES) {
      if (!w.engines.includes(engine)) continue;
      try {
        const t0 = performance.now();
        const js = await compileWorkloadText(w, dtype, "js", target, sparse);
        const compileMs = performance.now() - t0;
        const path = join(dir, `${w.id}-${engine}.mjs`);
        writeFileSync(path, js);
        out.set(`${w.id}/${engine}`, { path, compileMs, emittedChars: js.length });
      } catch (err) {
        out.set(`${w.id}/${engine}`, { compileMs: NaN, emittedChars: 0, error: err instanceof Error ? err.message : String(err) });
      }
    }
  }
  return out;
}
