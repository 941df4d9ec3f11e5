// Engine name → factory, each loaded on demand so a child process holds only its own engine's code
// (its peak RSS is then the engine's own).
import type { EngineName } from "../workloads.ts";
import type { EngineFactory } from "./engine.ts";

export async function loadEngine(name: EngineName): Promise<EngineFactory> {
  if (name.startsWith("netc-file:")) return (await import("./netc.ts")).netcFileEngine;
  switch (name) {
    case "netc-f64":
      return (await import("./netc.ts")).netcEngine("f64");
    case "netc-f32":
      return (await import("./netc.ts")).netcEngine("f32");
    case "netc-f64-w2":
      return (await import("./netc.ts")).netcWorkersEngine(2);
    case "netc-f32-dense":
      return (await import("./netc.ts")).netcEngine("f32");
    case "netc-wasm-f32":
    case "netc-wasm-f32-dense":
      return (await import("./netc.ts")).netcEngine("f32", "wasm");
    case "tfjs-cpu":
      return (await import("./tfjs.ts")).tfjsCpu;
    case "tfjs-wasm":
      return (await import("./tfjs.ts")).tfjsWasm;
    case "reference":
      return (await import("./reference.ts")).referenceEngine;
    default:
      throw new Error(`unknown engine ${name}`);
  }
}
