// Output paths named on the command line (`train --out`, `--plot`, `compile -o`, …) are checked
// before any work starts, so a typo fails in a second with the flag named, not after an hour of
// training. Nothing is created here: a path is good when it can be made — it is not the wrong
// kind of thing, and its nearest existing ancestor is a directory we may write in.
import { accessSync, constants, statSync, type Stats } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../diagnostics.ts";

function statOf(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** The nearest existing ancestor of `path` must be a writable directory; why not, else null. */
function parentProblem(path: string): string | null {
  let dir = dirname(resolve(path));
  for (;;) {
    const st = statOf(dir);
    if (st) {
      if (!st.isDirectory()) return `${dir} is not a directory`;
      try {
        accessSync(dir, constants.W_OK);
      } catch {
        return `cannot write in ${dir}`;
      }
      return null;
    }
    const up = dirname(dir);
    if (up === dir) return `${dir} does not exist`;
    dir = up;
  }
}

/** A file netc will write (`--out P.json`): not a directory, and creatable or writable. */
export function checkOutputFile(path: string, flag: string): void {
  const st = statOf(path);
  if (st?.isDirectory()) throw new UsageError(`${flag} ${path}: is a directory; give a file name`);
  const why = st ? writableProblem(path) : parentProblem(path);
  if (why) throw new UsageError(`${flag} ${path}: ${why}`);
}

/** A directory netc will write files into (`--plot DIR`, `-o DIR`): a directory, or creatable. */
export function checkOutputDir(path: string, flag: string): void {
  const st = statOf(path);
  if (st && !st.isDirectory()) throw new UsageError(`${flag} ${path}: is a file, not a directory`);
  const why = st ? writableProblem(path) : parentProblem(path);
  if (why) throw new UsageError(`${flag} ${path}: ${why}`);
}

function writableProblem(path: string): string | null {
  try {
    accessSync(path, constants.W_OK);
    return null;
  } catch {
    return `cannot write to ${path}`;
  }
}
