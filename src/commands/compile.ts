// `netc compile FILE [-o DIR] [--dtype f64|f32] [--dim NAME=INT]... [--emit ast|ir|grad|ts]`:
// writes generated/<model>.ts and prints its path, or prints one stage of the pipeline.
import { mkdirSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compileToText, frontEnd } from "../compile.ts";
import { printCheckedModel } from "../check/print.ts";
import { readModelFile, printWarnings } from "./common.ts";
import { UsageError } from "../diagnostics.ts";
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
  const path = join(opts.outDir, `${compiled.model.name}.ts`);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(opts.outDir, { recursive: true });
    writeFileSync(tmp, compiled.text);
    renameSync(tmp, path);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written
    }
    // -o naming a file, a directory that cannot be written, a full disk: bad use, not a crash
    const e = err as NodeJS.ErrnoException;
    const why = e.code === "EEXIST" || e.code === "ENOTDIR" ? `${opts.outDir} is not a directory` : e.message;
    throw new UsageError(`cannot write ${path}: ${why}`);
  }
  process.stdout.write(path + "\n");
}
