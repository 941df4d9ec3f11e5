// `netc fmt FILE... [--check] [--write]`: formats .net files in netc's canonical layout
// (src/fmt). Without flags it prints the formatted text; --check lists the files that are not
// formatted and exits 1 if there are any; --write rewrites the files that change, atomically
// (a temporary file renamed over the original), and lists them. A file that does not parse is
// reported as FILE:LINE:COL like any compile error; the other files are still done; exit 1.
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { NetcError, UsageError } from "../diagnostics.ts";
import { formatNet } from "../fmt/index.ts";
import { readModelFile } from "./common.ts";

export interface FmtCommandOptions {
  check?: boolean;
  write?: boolean;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new UsageError(`cannot write ${file}: ${(err as Error).message}`);
  }
}

export async function fmtCommand(files: string[], opts: FmtCommandOptions): Promise<void> {
  const unformatted: string[] = [];
  let failed = false;
  for (const file of files) {
    const source = readModelFile(file);
    let formatted: string;
    try {
      formatted = await formatNet(source, file);
    } catch (err) {
      if (!(err instanceof NetcError)) throw err;
      process.stderr.write(err.message + "\n");
      failed = true;
      continue;
    }
    // readModelFile drops a byte-order mark; formatting drops it too, so it counts as a change.
    const changed = formatted !== source || readFileSync(file, "utf8").startsWith("\uFEFF");
    if (opts.write) {
      if (changed) {
        writeAtomically(file, formatted);
        process.stdout.write(`${file}\n`);
      }
    } else if (opts.check) {
      if (changed) {
        unformatted.push(file);
        process.stdout.write(`${file}\n`);
      }
    } else {
      process.stdout.write(formatted);
    }
  }
  if (opts.check && !opts.write && unformatted.length > 0) {
    const n = unformatted.length;
    process.stderr.write(`${n} of ${files.length} file${files.length === 1 ? "" : "s"} not formatted (run netc fmt --write to format ${n === 1 ? "it" : "them"})\n`);
  }
  if (failed || (opts.check && !opts.write && unformatted.length > 0)) process.exitCode = 1;
}
