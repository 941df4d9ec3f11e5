// Writes a workload's wasm f32 module twice, with the optimizer update fused into backward (the
// default) and with every param updated in a separate pass after backprop (`fuse: false`), as
// JavaScript under bench/experiments/generated/, for time-step.ts to time side by side:
//   npx tsx bench/experiments/emit-wasm-fused.ts w1 w3
//   npx tsx bench/experiments/time-step.ts w1 bench/experiments/generated/w1-wasm-f32-{unfused,fused}.mjs
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { frontEnd, toIR } from "../../src/compile.ts";
import { generateWasm } from "../../src/codegen/wasm/index.ts";
import { assemble } from "../../src/codegen/wasm/assemble.ts";
import { workloadById } from "../workloads.ts";

mkdirSync("bench/experiments/generated", { recursive: true });
for (const id of process.argv.slice(2)) {
  const w = workloadById(id);
  const source = readFileSync(w.netFile, "utf8");
  const batchDim = frontEnd(source, { file: w.netFile }).model.data.find((d) => d.role === "input")?.dimNames[0];
  const { model } = frontEnd(source, { file: w.netFile, dims: batchDim ? { [batchDim]: w.batch } : {} });
  const ir = toIR(model).ir;
  for (const fuse of [true, false]) {
    const out = generateWasm(ir, { dtype: "f32", sourceHash: "experiment", fuse });
    const binary = Buffer.from(await assemble(out.wat)).toString("base64");
    const path = `bench/experiments/generated/${id}-wasm-f32-${fuse ? "fused" : "unfused"}.mjs`;
    writeFileSync(path, out.loader(binary, "js"));
    console.log(path);
  }
}
