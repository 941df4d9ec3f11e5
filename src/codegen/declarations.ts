// The .d.ts beside a generated JavaScript module (`netc compile --emit js`): the same exports, with
// the types the TypeScript module would have given them. `meta`'s type is written out from its
// value, as TypeScript infers it from the literal; it names no type of netc's, so the module and
// its declarations stand on their own.
import type { IRModel } from "../ir/model.ts";
import { Code } from "./code.ts";
import { header, shellTypes, TENSOR_ARGS, type GenerateOptions } from "./index.ts";
import { stringLiteral } from "./literals.ts";
import { buildMeta } from "./meta.ts";
import { STEP_ARGS, UPDATE_ARGS } from "./optimizer.ts";

export function generateDeclarations(ir: IRModel, options: GenerateOptions): string {
  const code = new Code("ts");
  for (const line of header(ir, options)) code.comment(line);
  code.blank();
  code.addLines(shellTypes(options.dtype === "f32" ? "Float32Array" : "Float64Array"));
  const meta = buildMeta(ir, options);
  const entries = Object.entries(meta).map(([k, v]) => `${k}: ${k === "dims" ? "Record<string, number>" : typeOf(v)};`);
  code.line(`export declare const meta: {\n  ${entries.join("\n  ")}\n};`);
  const signature = (args: readonly (readonly [string, string])[]) => args.map(([n, t]) => `${n}: ${t}`).join(", ");
  code.line(`export declare function forward(${signature(TENSOR_ARGS)}): ForwardResult;`);
  code.line(`export declare function gradient(${signature(TENSOR_ARGS)}): GradientResult;`);
  code.line(`export declare function step(${signature(STEP_ARGS)}): number;`);
  code.line(`export declare function update(${signature(UPDATE_ARGS)}): void;`);
  if (meta.dropout) code.line("export declare const dropoutMasks: Tensor[];");
  code.line("export {};");
  return code.toString();
}

/** The type TypeScript infers for a JSON-like value written as a literal in a `const`. */
export function typeOf(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return typeof value;
  if (Array.isArray(value)) {
    const types = [...new Set(value.map(typeOf))];
    if (types.length === 0) return "never[]";
    return types.length === 1 ? `${types[0]}[]` : `(${types.join(" | ")})[]`;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${stringLiteral(k)}: ${typeOf(v)}`).join("; ")} }`;
  }
  throw new Error(`cannot write the type of ${typeof value}`);
}
