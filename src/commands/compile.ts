// `netc compile FILE [-o DIR] [--dtype f64|f32] [--target js|wasm] [--dim NAME=INT]... [--emit ast|ir|grad|ts|js|wat]`:
// writes generated/<model>.ts and prints its path, or prints one stage of the pipeline; `--emit js`
// writes the module as JavaScript instead, generated/<model>.js with its generated/<model>.d.ts.
// With `--target wasm` it also writes generated/<model>.wat (the module as text) and, beside the
// TypeScript loader that embeds the binary, the same loader as <model>.js.
import { mkdirSync, writeFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { compileToText, frontEnd } from "../compile.ts";
import { printCheckedModel } from "../check/print.ts";
import { readModelFile, printWarnings } from "./common.ts";
import { UsageError } from "../diagnostics.ts";
import { checkOutputDir } from "./output-paths.ts";
import type { Dtype } from "../runtime/contract.ts";
import type { Target } from "../compile.ts";
import { formatCached } from "../codegen/format.ts";

export interface CompileCommandOptions {
  outDir: string;
  dtype: Dtype;
  target?: Target;
  dim?: Record<string, number>;
  emit?: "ast" | "ir" | "grad" | "ts" | "js" | "wat";
}

export async function compileCommand(file: string, opts: CompileCommandOptions): Promise<void> {
  // the forms that write files (the module, or --emit js) check where first; the others print
  if (opts.emit === undefined || opts.emit === "js") checkOutputDir(opts.outDir, "-o");
  const source = readModelFile(file);
  const options = { file, dtype: opts.dtype, dims: opts.dim, target: opts.emit === "wat" ? ("wasm" as const) : (opts.target ?? "js") };
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
  if (opts.emit === "wat") {
    process.stdout.write(compiled.wat ?? "");
    return;
  }
  if (opts.emit === "ir" || opts.emit === "grad") {
    const { printIRStages } = await import("../ir/print.ts");
    process.stdout.write(printIRStages(compiled, opts.emit));
    return;
  }
  const base = join(opts.outDir, compiled.model.name);
  const files: [string, string][] = [];
  // The declarations first, so a module file never sits without its .d.ts.
  if (compiled.declarations !== undefined) files.push([`${base}.d.ts`, compiled.declarations]);
  if (compiled.wat !== undefined) files.push([`${base}.wat`, compiled.wat]);
  files.push([`${base}.${lang}`, compiled.text]);
  // the wasm loader as JavaScript too, so it runs without a TypeScript toolchain
  if (compiled.loaderJs !== undefined && lang === "ts") files.push([`${base}.js`, await formatCached(compiled.loaderJs)]);
  for (const [path, text] of files) writeOutput(opts.outDir, path, text);
  process.stdout.write(files.filter(([path]) => !path.endsWith(".d.ts")).map(([path]) => path).join("\n") + "\n");
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
