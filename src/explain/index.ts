// `netc explain`: the derivation of every gradient, step by step, printed from the IR and the
// chain-rule steps that generate the code (src/diff records them; ./derive.ts reads them). This
// module runs the stages and cites the generated code; ./markdown.ts, ./html.ts, ./json.ts and
// ./dot.ts print the result.
import { compileToText } from "../compile.ts";
import { deriveExplanation } from "./derive.ts";
import { plugIn } from "./values.ts";
import type { Explanation } from "./model.ts";

export type { Explanation } from "./model.ts";

export interface ExplainOptions {
  file: string;
  dims?: Record<string, number>;
  /** Values of the inputs, targets and params to plug in, by name, and where they came from. */
  values?: ReadonlyMap<string, Float64Array>;
  valuesFrom?: string;
}

/** The explanation of a .net source, each step citing the line of the generated module computing it. */
export async function explainSource(source: string, options: ExplainOptions): Promise<Explanation> {
  // The one pipeline (src/compile.ts): the IR before simplification is what the steps are read
  // from, the generated module what they cite.
  const { raw, text } = await compileToText(source, { file: options.file, dtype: "f64", ...(options.dims ? { dims: options.dims } : {}) });
  const explanation = deriveExplanation(raw, options.file);
  if (options.values) {
    plugIn(explanation, raw, options.values);
    if (options.valuesFrom) explanation.valuesFrom = options.valuesFrom;
  }
  citeCode(explanation, text);
  return explanation;
}

/** Sets each step's `codeLine`: the first line of the generated module whose comment cites its id. */
function citeCode(explanation: Explanation, code: string): void {
  const lineOf = new Map<string, number>();
  code.split("\n").forEach((text, i) => {
    for (const m of text.matchAll(/explain (s\d+)\)/g)) if (!lineOf.has(m[1]!)) lineOf.set(m[1]!, i + 1);
  });
  for (const s of explanation.steps) {
    const line = lineOf.get(s.id);
    if (line !== undefined) s.codeLine = line;
  }
}
