// The example models (examples/*.net) that the suites iterate, and a description of a model and
// the values it was checked at, for failure messages.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ops } from "../../src/ops/registry.ts";
import type { OpDef } from "../../src/ops/types.ts";

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

/**
 * A call of an op the language has no built-in for (or of a name no longer used: `broadcast(`),
 * which a formula printed as .net must never contain. Every op but the leaves and the operators
 * (+, *, @…) is a built-in, so today this is only the spellings of old.
 */
export const INTERNAL_CALL = new RegExp(
  `\\b(${[...(Object.values(ops) as OpDef[]).filter((d) => !d.builtin && d.kind !== "leaf").map((d) => d.name), "broadcast", "conv_input_grad", "conv_kernel_grad", "maxpool2d_grad", "avgpool2d_grad", "take_grad"].join("|")})\\(`,
);

/** The model's source and the values (each shortened to its first 8 numbers). */
export function describeModelAt(file: string, source: string, point: ReadonlyMap<string, Float64Array>): string {
  const values = [...point].map(([k, v]) => {
    const head = Array.from(v.subarray(0, 8), (x) => Number(x.toPrecision(6))).join(", ");
    return `  ${k} = [${head}${v.length > 8 ? `, … (${v.length} values)` : ""}]`;
  });
  return [`model ${file}:`, ...source.trimEnd().split("\n").map((l) => `  | ${l}`), "at values:", ...values].join("\n");
}
