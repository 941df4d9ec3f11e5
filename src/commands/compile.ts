// `netc compile FILE [-o DIR] [--dtype f64|f32] [--dim NAME=INT]... [--emit ast|ir|grad|ts|js]`:
// writes generated/<model>.ts and prints its path, or prints one stage of the pipeline; `--emit js`
// writes the module as JavaScript instead, generated/<model>.js with its generated/<model>.d.ts.
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
  emit?: "ast" | "ir" | "grad" | "ts" | "js";
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
  const lang = opts.emit === "js" ? "js" : "ts";
  const compiled = await compileToText(source, { ...options, lang });
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
  const path = join(opts.outDir, `${compiled.model.name}.${lang}`);
  // The declarations first, so a module file never sits without its .d.ts.
  if (compiled.declarations !== undefined) writeOutput(opts.outDir, join(opts.outDir, `${compiled.model.name}.d.ts`), compiled.declarations);
  writeOutput(opts.outDir, path, compiled.text);
  process.stdout.write(path + "\n");
}

/** Writes `text` to `path` atomically (a temporary file renamed into place). */
function writeOutput(outDir: string, path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing was written
    }
    // -o naming a file, a directory that cannot be written, a full disk: bad use, not a crash
    const e = err as NodeJS.ErrnoException;
    const why = e.code === "EEXIST" || e.code === "ENOTDIR" ? `${outDir} is not a directory` : e.message;
    throw new UsageError(`cannot write ${path}: ${why}`);
  }
}
