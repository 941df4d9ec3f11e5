// The example models (examples/*.net) that the suites iterate, and a description of a model and
// the values it was checked at, for failure messages.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const EXAMPLES_DIR = "examples";

export interface Example {
  name: string;
  file: string;
  source: string;
}

export function examples(): Example[] {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".net"))
    .sort()
    .map((f) => ({ name: f.replace(/\.net$/, ""), file: join(EXAMPLES_DIR, f), source: readFileSync(join(EXAMPLES_DIR, f), "utf8") }));
}

/** The model's source and the values (each shortened to its first 8 numbers). */
export function describeModelAt(file: string, source: string, point: ReadonlyMap<string, Float64Array>): string {
  const values = [...point].map(([k, v]) => {
    const head = Array.from(v.subarray(0, 8), (x) => Number(x.toPrecision(6))).join(", ");
    return `  ${k} = [${head}${v.length > 8 ? `, … (${v.length} values)` : ""}]`;
  });
  return [`model ${file}:`, ...source.trimEnd().split("\n").map((l) => `  | ${l}`), "at values:", ...values].join("\n");
}
