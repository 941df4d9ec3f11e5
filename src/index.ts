// The library API: `import { compile } from "netc"`. The same pipeline the CLI runs — parse,
// check, lower, differentiate, simplify, generate, format, load — for programs: compile a .net
// source string to the text of its TypeScript module, or to a loaded model ready to run.
export {
  compile,
  compileToText,
  frontEnd,
  toIR,
  sourceHash,
  type CompileOptions,
  type CompiledModel,
  type CompiledText,
  type FrontEndResult,
  type IRResult,
} from "./compile.ts";
export type {
  Dtype,
  Tensor,
  TensorMeta,
  DataMeta,
  ParamMeta,
  GradMeta,
  ModelMeta,
  ForwardResult,
  GradientResult,
  StepHyper,
  GeneratedModule,
  InitSpec,
  OptimizerSpec,
} from "./runtime/contract.ts";
export type { CheckedModel } from "./check/model.ts";
export type { TrainConfig } from "./train-spec.ts";
export type { IRModel } from "./ir/model.ts";
export { DataError, NetcError, formatDiagnostic, type Diagnostic, type Span } from "./diagnostics.ts";
export { loadModule } from "./runtime/load.ts";
export { generate } from "./codegen/index.ts";
export { formatTypeScript } from "./codegen/format.ts";
export {
  parseValuesText,
  readValuesFile,
  valuesToInputs,
  flattenValue,
  toNested,
  type ModuleInputs,
  type NestedValue,
} from "./data/values.ts";
export { VERSION } from "./version.ts";
