// What every command shares: reading a model file, turning errors into messages and exit statuses.
import { readFileSync } from "node:fs";
import { DataError, NetcError, UsageError, formatDiagnostic, type Diagnostic } from "../diagnostics.ts";
import type { CompiledModel } from "../compile.ts";
import type { Dtype } from "../runtime/contract.ts";
import type { Target } from "../compile.ts";

export function readModelFile(file: string): string {
  try {
    // A byte-order mark is not part of the model: dropped so that columns count from the first character.
    return readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`cannot read ${file}: no such file`);
    if (code === "EISDIR") throw new UsageError(`cannot read ${file}: it is a directory`);
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

export function printWarnings(warnings: readonly Diagnostic[], file: string, source: string): void {
  for (const w of warnings) process.stderr.write(formatDiagnostic(w, file, source) + "\n");
}

/** A usage error's message with the wording of the flag that gave it (lower layers name no flags). */
export function usageMessage(err: UsageError): string {
  const s = err.subject;
  if (s?.kind === "dim") return `--dim ${s.name}=${s.value}: ${err.message}`;
  if (s?.kind === "workers") return `--workers ${s.value}: ${err.message}; train with --workers 1`;
  if (s?.kind === "no-data") return `${err.message}: give data with --data (mnist, xor, a .json or a .csv file)`;
  return err.message;
}

/** Prints an error the way the CLI contract fixes, and returns the exit status. */
export function reportAndExit(err: unknown): number {
  if (err instanceof NetcError) {
    process.stderr.write(err.message + "\n");
    return 1;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`netc: error: ${usageMessage(err)}\n`);
    return 2;
  }
  if (err instanceof DataError) {
    process.stderr.write(`netc: error: ${err.message}\n`);
    return 1;
  }
  // An internal error: still no stack trace for the user unless asked for.
  const message = (err instanceof Error ? err.message : String(err)).replace(/^internal error: /, "");
  process.stderr.write(`netc: internal error: ${message}\n`);
  if (process.env.NETC_DEBUG) process.stderr.write(String((err as Error)?.stack) + "\n");
  return 70;
}

export interface LoadedModelFile {
  source: string;
  dtype: Dtype;
  target: Target;
  dims: Record<string, number>;
  compiled: CompiledModel;
}

/** What train, eval and predict share: read the model file, compile and load it, print warnings. */
export async function compileModelFile(
  file: string,
  opts: { dtype?: Dtype; target?: Target; dim?: Record<string, number> },
): Promise<LoadedModelFile> {
  const source = readModelFile(file);
  const dtype = opts.dtype ?? "f64";
  const dims = opts.dim ?? Object.create(null);
  const { compile } = await import("../compile.ts");
  const target = opts.target ?? "js";
  const compiled = await compile(source, { file, dtype, dims, target });
  printWarnings(compiled.warnings, file, source);
  return { source, dtype, target, dims, compiled };
}
