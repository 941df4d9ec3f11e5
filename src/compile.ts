// The pipeline, stage by stage: parse → check → lower → differentiate → simplify → codegen →
// prettier → load. Each stage lives in its own module; this file only strings them together.
import { createHash } from "node:crypto";
import type { Diagnostic } from "./diagnostics.ts";
import type { CheckedModel } from "./check/model.ts";
import type { IRModel, PassStat } from "./ir/model.ts";
import type { Dtype, GeneratedModule } from "./runtime/contract.ts";
import { parse } from "./parse/index.ts";
import { check } from "./check/index.ts";
import { lower } from "./diff/lower.ts";
import { differentiate } from "./diff/index.ts";
import { simplify } from "./simplify/index.ts";
import { generate } from "./codegen/index.ts";
import { generateDeclarations } from "./codegen/declarations.ts";
import type { Lang } from "./codegen/code.ts";
import { formatCached } from "./codegen/format.ts";
import { loadModule } from "./runtime/load.ts";

export interface CompileOptions {
  /** The file name used in messages and in the generated header (default `model.net`). */
  file?: string;
  dtype?: Dtype;
  /** `--dim NAME=INT` overrides. */
  dims?: Record<string, number>;
  /** `js` (default): TypeScript loops; `wasm`: a WebAssembly SIMD module and its loader (src/codegen/wasm). */
  target?: Target;
  /** False: the JS target's products never skip zero entries (the dense loops only; for benchmarks and tests). */
  sparse?: boolean;
  /** Run prettier over the emitted module (default true; the result is cached on disk, see format.ts). */
  format?: boolean;
}

export type Target = "js" | "wasm";

export interface FrontEndResult {
  model: CheckedModel;
  warnings: Diagnostic[];
}

/** Parse and check: a typed, shape-checked model, or a NetcError with every diagnostic. */
export function frontEnd(source: string, options: CompileOptions = {}): FrontEndResult {
  const file = options.file ?? "model.net";
  const program = parse(source, file);
  return check(program, { dims: options.dims });
}

export interface IRResult {
  /** The IR straight from lowering and differentiation, before simplification. */
  raw: IRModel;
  ir: IRModel;
  passes: PassStat[];
}

/** Lower a checked model to IR, add every requested derivative, and simplify. */
export function toIR(model: CheckedModel): IRResult {
  const raw = differentiate(lower(model));
  const { ir, passes } = simplify(raw);
  return { raw, ir, passes };
}

export function sourceHash(source: string, options: CompileOptions = {}): string {
  const h = createHash("sha256");
  h.update(source);
  h.update(JSON.stringify({ dtype: options.dtype ?? "f64", dims: options.dims ?? {}, ...(options.target === "wasm" ? { target: "wasm" } : {}) }));
  return h.digest("hex").slice(0, 16);
}

export interface CompiledText extends FrontEndResult, IRResult {
  /** The generated module: TypeScript, or JavaScript with `lang: "js"`. */
  text: string;
  /** With `lang: "js"`: the declarations (.d.ts) of the JavaScript module. */
  declarations?: string;
  /** The wasm target: the module as WebAssembly text. */
  wat?: string;
  /** The wasm target: the loader as JavaScript (what `compile` loads; `text` is in `lang`). */
  loaderJs?: string;
  hash: string;
}

export interface TextOptions extends CompileOptions {
  /** The language of `text`: TypeScript (default) or JavaScript with a .d.ts beside it. */
  lang?: Lang;
}

/** Compile a .net source string to the text of its TypeScript (or JavaScript) module. */
export async function compileToText(source: string, options: TextOptions = {}): Promise<CompiledText> {
  const front = frontEnd(source, options);
  const irs = toIR(front.model);
  const hash = sourceHash(source, options);
  const dtype = options.dtype ?? "f64";
  const gen = { dtype, sourceHash: hash, lang: options.lang ?? "ts", ...(options.sparse === false ? { sparse: false } : {}) } as const;
  if (options.target === "wasm") {
    const { generateWasm } = await import("./codegen/wasm/index.ts");
    const { assemble } = await import("./codegen/wasm/assemble.ts");
    const out = generateWasm(irs.ir, { dtype, sourceHash: hash, ...(options.sparse === false ? { sparse: false } : {}) });
    const binary = Buffer.from(await assemble(out.wat, `${irs.ir.checked.name}.wat`)).toString("base64");
    const loader = out.loader(binary, gen.lang);
    const text = options.format === false ? loader : await formatCached(loader);
    const loaderJs = gen.lang === "js" ? loader : out.loader(binary, "js");
    if (gen.lang === "ts") return { ...front, ...irs, text, wat: out.wat, loaderJs, hash };
    return { ...front, ...irs, text, wat: out.wat, loaderJs, declarations: await formatCached(generateDeclarations(irs.ir, gen)), hash };
  }
  const raw = generate(irs.ir, gen);
  const text = options.format === false ? raw : await formatCached(raw);
  if (gen.lang === "ts") return { ...front, ...irs, text, hash };
  const declarations = generateDeclarations(irs.ir, gen);
  return { ...front, ...irs, text, declarations: options.format === false ? declarations : await formatCached(declarations), hash };
}

export interface CompiledModel extends CompiledText {
  module: GeneratedModule;
}

/**
 * Compile a .net source string and load the generated module, ready to run. `text` is the
 * TypeScript module; what runs is the same module emitted as JavaScript (unformatted).
 */
export async function compile(source: string, options: CompileOptions = {}): Promise<CompiledModel> {
  const compiled = await compileToText(source, options);
  const js = compiled.loaderJs ?? generate(compiled.ir, { dtype: options.dtype ?? "f64", sourceHash: compiled.hash, lang: "js", ...(options.sparse === false ? { sparse: false } : {}) });
  const module = await loadModule(js, compiled.hash);
  return { ...compiled, module };
}
