// `netc compile FILE [-o DIR] [--dtype f64|f32] [--dim NAME=INT]... [--emit ast|ir|grad|ts]`:
// writes generated/<model>.ts and prints its path, or prints one stage of the pipeline.
import { mkdirSync, writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { compileToText, frontEnd } from "../compile.ts";
import { printCheckedModel } from "../check/print.ts";
import { readModelFile, printWarnings } from "./common.ts";
import type { Dtype } from "../runtime/contract.ts";

export interface CompileCommandOptions {
  outDir: string;
  dtype: Dtype;
  dim?: Record<string, number>;
  emit?: "ast" | "ir" | "grad" | "ts";
}

export async function compileCommand(file: string, opts: CompileCommandOptions): Promise<void> {
  const source = readModelFile(file);
  const options = { file, dtype: opts.dtype, dims: opts.dim };
  if (opts.emit === "ast") {
    const { model, warnings } = frontEnd(source, options);
    printWarnings(warnings, file, source);
    process.stdout.write(printCheckedModel(model));
    return;
  }
  const compiled = await compileToText(source, options);
  printWarnings(compiled.warnings, file, source);
  if (opts.emit === "ts") {
    process.stdout.write(compiled.text);
    return;
  }
  if (opts.emit === "ir" || opts.emit === "grad") {
    const { printIRStages } = await import("../ir/print.ts");
    process.stdout.write(printIRStages(compiled, opts.emit));
    return;
  }
  mkdirSync(opts.outDir, { recursive: true });
  const path = join(opts.outDir, `${compiled.model.name}.ts`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, compiled.text);
  renameSync(tmp, path);
  process.stdout.write(path + "\n");
}
