// The wasm target: IRModel → a WebAssembly module (as readable WAT, with the TS module's binding
// and chain-rule comments) and a loader module that embeds its binary and exports the contract of
// src/runtime/contract.ts (meta, forward, gradient, step), plus `buffers`, the module's own params,
// state and data as typed-array views of its memory: a caller that works in those arrays (the
// training loop) never copies them in or out. The plan, names and kernel order are the JS target's.
import type { Node } from "../../graph/node.ts";
import type { IRModel } from "../../ir/model.ts";
import type { Dtype } from "../../runtime/contract.ts";
import { NetcError } from "../../diagnostics.ts";
import { VERSION } from "../../version.ts";
import { Code, helperIn, type Lang } from "../code.ts";
import { lineComment, numberLiteral, stringLiteral } from "../literals.ts";
import { makePlan, kindOf, type Plan } from "../plan.ts";
import { buildMeta, dropoutSites, valueNodes } from "../meta.ts";
import { commentLines, kernelsFor } from "../body.ts";
import { assignNames, type Names } from "../naming.ts";
import { KERNEL_NAMES, type KernelContext } from "../kernels/context.ts";
import { MATMUL_NAMES } from "../kernels/matmul.ts";
import { backwardOrder, emitShell, PRELUDE_NAMES, SHELL_NAMES, uniq } from "../index.ts";
import { Layout, lossGrad } from "./layout.ts";
import { WasmUnsupported, type WasmKernelContext } from "./expr.ts";
import { HOST_HELPERS, MATH_IMPORTS, WASM_HELPERS, wasmOp } from "./ops.ts";
import { emitConcatW, emitExtremeMaskW, emitLossW, emitPadW, emitMapW, emitReduceW, emitRowwiseW, type WTarget } from "./kernels.ts";
import { emitGatherW } from "./gather.ts";
import { emitConvW } from "./conv.ts";
import { emitPoolW } from "./pool.ts";
import { opCodegen, type KernelName } from "../ops.ts";
import { emitMatmulW } from "./matmul.ts";
import { sparseOperand } from "./sparse.ts";
import { emitUpdate, FusedUpdate, paramUpdate } from "./step.ts";
import { planFusion } from "./fuse.ts";
import { emitUpdateLoader, updateFunction } from "./update.ts";
import { noLossThrow, STEP_ARGS } from "../optimizer.ts";
import { numOf, WatFunction, type Num } from "./wat.ts";

export interface WasmGenerateOptions {
  dtype: Dtype;
  sourceHash: string;
  /** False: dense loops only, no zero-skip for inputs and relu outputs (default true; the bench's dense row, tests). */
  sparse?: boolean;
  /** False: every param updated in the separate pass after backprop, none fused into backward (default true; tests, measurements). */
  fuse?: boolean;
}

export interface WasmText {
  /** The module as WebAssembly text. */
  wat: string;
  /** The loader in TypeScript or JavaScript, given the binary (base64). */
  loader: (binaryBase64: string, lang: Lang) => string;
}

export function generateWasm(ir: IRModel, options: WasmGenerateOptions): WasmText {
  const num = numOf(options.dtype);
  const meta = buildMeta(ir, options);
  const values = valueNodes(ir);
  const forwardRoots = uniq([...ir.outputs.map((o) => o.node), ...(ir.loss ? [ir.loss.node] : [])]);
  const allRoots = uniq([...values.map((v) => v.node), ...ir.grads.map((g) => g.node)]);
  const plan = makePlan(ir, allRoots);
  rejectUnsupported(plan);
  const names = assignNames(ir, plan, values, forwardRoots, [...SHELL_NAMES, ...KERNEL_NAMES, ...MATMUL_NAMES, ...PRELUDE_NAMES]);
  const sparse = options.sparse === false ? [] : uniq(plan.order.flatMap((n) => sparseOperand(plan, n, num) ?? []));
  const layout = new Layout(plan, num, meta.statePerParam, sparse);
  const listed = new Set<Node>();

  const forwardFn = new WatFunction("forwardPass");
  const forwardSet = new Set(kernelsFor(plan, forwardRoots));
  emitKernelsW({ plan, num, layout, fn: forwardFn, listed }, names, kernelList(plan, forwardRoots));
  const backwardKernels = kernelList(plan, backwardOrder(ir, values), forwardSet);
  const fusion = ir.loss && options.fuse !== false ? planFusion(ir, plan, backwardKernels) : { order: backwardKernels, fused: new Map<Node, number>() };
  const fusing = fusion.fused.size > 0;
  // with fused updates, backward takes `step`'s flag and hyperparameters (`gradient` passes 0)
  const backwardFn = new WatFunction("backward", fusing ? [["update", "i32"], ["lr", "f64"], ["c1", "f64"], ["c2", "f64"]] : []);
  const updates = new Map([...fusion.fused].map(([k, index]) => [k, new FusedUpdate(paramUpdate(ir, layout, meta.statePerParam, index)!, num)]));
  emitKernelsW({ plan, num, layout, fn: backwardFn, listed }, names, fusion.order, updates);
  for (const [k, u] of updates) if (!u.emitted) throw new Error(`internal error: the kernel of node ${k.id} (${k.op}) did not apply the fused update of ${u.update.name}`);
  const stepFn = new WatFunction("step", [["lr", "f64"], ["c1", "f64"], ["c2", "f64"]], "f64");
  if (ir.loss) {
    stepFn.line("(call $forwardPass)").line(fusing ? "(call $backward (i32.const 1) (local.get $lr) (local.get $c1) (local.get $c2))" : "(call $backward)");
    emitUpdate(stepFn, ir, layout, num, meta.statePerParam, new Set(fusion.fused.values()));
    stepFn.blank().comment(`${ir.loss.name}, before the update`);
    const lossAt = layout.resultRegion(ir.loss.node).offset;
    stepFn.line(num.t === "f64" ? `(f64.load offset=${lossAt} (i32.const 0))` : `(f64.promote_f32 (f32.load offset=${lossAt} (i32.const 0)))`);
  } else stepFn.line("(f64.const nan)");
  const updateFn = ir.loss ? updateFunction(ir, layout, num, meta.statePerParam) : null;

  const header = [
    `${ir.checked.name}: generated by netc ${VERSION} from ${ir.checked.file} (--target wasm). Do not edit: recompile the model instead.`,
    `Source hash ${options.sourceHash}, ${num.t === "f32" ? "float32 in f32x4 vectors" : "float64 in f64x2 vectors"}.`,
    "Exports memory, forward (outputs and loss), gradient (every value and derivative), step (one optimizer",
    "update) and update (the optimizer's rule on part of every param, from two shards' gradients). Every tensor",
    "has a fixed place in memory (below); the loader module reads and writes them there.",
  ];
  const memoryMap = layoutComment(plan, names, layout, ir);
  const wat = [
    ...header.map((h) => `;; ${lineComment(h).slice(3)}`),
    "(module",
    ...[...MATH_IMPORTS, ...hostHelpers(plan).keys()].map((f) => `  (import "math" "${f}" (func $${f} (param f64${f === "pow" ? " f64" : ""}) (result f64)))`),
    `  (memory (export "memory") ${layout.pages})`,
    ...memoryMap.map((l) => `  ;; ${lineComment(l).slice(3)}`),
    WASM_HELPERS,
    "",
    `  ;; The forward pass: the outputs and the loss.`,
    forwardFn.toString(),
    "",
    `  ;; The backward pass, after the forward pass: the rest of the values and every derivative.`,
    backwardFn.toString(),
    "",
    `  (func (export "forward") (call $forwardPass))`,
    `  (func (export "gradient") (call $forwardPass) (call $backward${fusing ? " (i32.const 0) (f64.const 0) (f64.const 1) (f64.const 1)" : ""}))`,
    "",
    fusing
      ? `  ;; One optimizer step on the loss: backprop with the updates fused into it, then every other param updated in place; returns the loss.`
      : `  ;; One optimizer step on the loss: backprop, then every param updated in place; returns the loss.`,
    stepFn.toString("step"),
    ...(updateFn
      ? [
          "",
          "  ;; Data-parallel training's update: part `part` of `parts` of every param's entries (and its state) moved by the",
          "  ;; rule of `step` from the gradient w0·A + w1·B of two shards (A: the module's own gradient, B: a second copy).",
          updateFn.toString("update"),
        ]
      : []),
    ")",
    "",
  ].join("\n");
  return { wat, loader: (binary, lang) => loaderSource(ir, meta, layout, num, values, binary, options, lang, hostHelpers(plan)) };
}

/** The JS helpers the module imports besides Math's functions (Φ for gelu), by name: their source text. */
function hostHelpers(plan: Plan): Map<string, string> {
  const out = new Map<string, string>();
  for (const n of plan.order) {
    const h = HOST_HELPERS[n.op];
    if (h) out.set(h.name, h.code);
  }
  return out;
}

/** Every op the plan computes must have a wasm entry: otherwise a clear error at its source line. */
function rejectUnsupported(plan: Plan): void {
  for (const n of plan.order) {
    if (wasmOp(n.op).kind === "unsupported") throw unsupportedError(plan.ir, n);
    if (kindOf(n) === "elementwise" && wasmOp(n.op).kind !== "scalar") throw unsupportedError(plan.ir, n);
  }
}

/** `FILE:LINE:COL: error: the wasm target does not support conv2d yet (use --target js)`. */
export function unsupportedError(ir: IRModel, node: Node, op = node.op): NetcError {
  const { file, source } = ir.checked;
  const origin = ir.origins.get(node);
  const lines = source.split(/\r\n|\r|\n/);
  const line = origin?.line ?? 1;
  const text = lines[line - 1] ?? "";
  const at = text.indexOf(`${op}(`);
  const col = at >= 0 ? at + 1 : Math.max(1, text.search(/\S/) + 1);
  const message = new WasmUnsupported(op).message;
  return new NetcError([{ severity: "error", message, span: { start: 0, end: 0, line, col } }], file, source);
}

/** A wasm kernel: writes the loop nest computing `node` into `target` (and its fused consumer, with `epilogue`). */
type WasmKernel = (ctx: WasmKernelContext, node: Node, target: WTarget, epilogue?: Node) => void;

/** The wasm emitter of each kernel of ../ops.ts, typed over the kernel names like ../kernels/index.ts. */
const wasmKernels: { readonly [K in KernelName]: WasmKernel } = {
  map: (ctx, node, target) => emitMapW(ctx, node, target),
  matmul: emitMatmulW,
  reduce: emitReduceW,
  logsumexp: emitReduceW,
  softmax: emitRowwiseW,
  log_softmax: emitRowwiseW,
  mse: emitLossW,
  cross_entropy: emitLossW,
  bce_with_logits: emitLossW,
  extreme_mask: emitExtremeMaskW,
  gather: emitGatherW,
  conv: emitConvW,
  pool: emitPoolW,
  pad: emitPadW,
  concat: emitConcatW,
};

/** The kernels that compute `roots`, in order, leaving out those in `done` (the forward pass's) and producers fused into their consumer. */
function kernelList(plan: Plan, roots: readonly Node[], done?: ReadonlySet<Node>): Node[] {
  return kernelsFor(plan, roots).filter((n) => !done?.has(n) && !plan.fusedProducer.has(n));
}

/** Emits `kernels` in order; a kernel in `updates` applies that fused optimizer update to its finished stores. */
function emitKernelsW(ctx: WasmKernelContext, names: Names, kernels: readonly Node[], updates?: ReadonlyMap<Node, FusedUpdate>): void {
  const { plan, fn, layout } = ctx;
  const comments: KernelContext = { plan, names, code: new Code(), copyName: (n) => names.copyName(n), notes: names.notes };
  for (const n of kernels) {
    fn.blank();
    for (const line of commentLines(comments, n)) fn.comment(line);
    const target: WTarget = { base: layout.resultRegion(n).offset };
    if (plan.copies.has(n)) {
      emitMapW(ctx, n, target);
      continue;
    }
    const update = updates?.get(n);
    if (update) fn.comment(`the update of ${update.update.name} is fused into this kernel's stores (step only): nothing after it reads ${update.update.name}`);
    const kctx = update ? { ...ctx, update } : ctx;
    const producer = plan.epilogue.get(n);
    if (producer) wasmKernels[opCodegen[producer.op].kernel](kctx, producer, target, n);
    else wasmKernels[opCodegen[n.op].kernel](kctx, n, target);
  }
}

/** The memory map as comment lines: where each tensor lives. */
function layoutComment(plan: Plan, names: Names, layout: Layout, ir: IRModel): string[] {
  const out = ["Memory (byte offset: tensor [shape]):"];
  const row = (offset: number, name: string, shape: readonly number[]): void => void out.push(`  ${offset}: ${name} [${shape.join(", ")}]`);
  ir.checked.params.forEach((p, i) => row(layout.params[i]!.offset, `param ${p.name}`, p.shape));
  const per = layout.state.length / Math.max(1, ir.checked.params.length);
  layout.state.forEach((r, i) => row(r.offset, `optimizer state ${i % per} of ${ir.checked.params[Math.floor(i / per)]!.name}`, ir.checked.params[Math.floor(i / per)]!.shape));
  ir.checked.data.forEach((d, i) => row(layout.data[i]!.offset, `${d.role} ${d.name}`, d.shape));
  for (const d of dropoutSites(plan.order)) row(layout.mask(d.site).offset, `dropout mask ${names.maskOf(d.site)} (site ${d.site}, p = ${d.p})`, d.shape);
  for (const n of plan.order) {
    const st = plan.storage.get(n)!.kind;
    if (st === "buffer" || st === "scalar") row(layout.offsetOf(n), names.nameOf(n), n.shape);
    if (plan.copies.has(n)) row(layout.copyOffset(n), names.copyName(n), n.shape);
  }
  for (const [k, { first, second }] of layout.updateGrads) {
    const p = ir.checked.params[k]!;
    if (first.offset !== layout.resultRegion(lossGrad(ir, k)!.node).offset) row(first.offset, `update's gradient A of ${p.name}`, p.shape);
    row(second.offset, `update's gradient B of ${p.name}`, p.shape);
  }
  return out;
}

/** The loader module: meta, the embedded binary, and the contract's functions over its memory. */
function loaderSource(
  ir: IRModel,
  meta: ReturnType<typeof buildMeta>,
  layout: Layout,
  num: Num,
  values: { name: string; node: Node }[],
  binary: string,
  options: WasmGenerateOptions,
  lang: Lang,
  helpers: ReadonlyMap<string, string>,
): string {
  const code = new Code(lang);
  const t = (text: string): string => code.ts(text);
  const arrayType = num.t === "f32" ? "Float32Array" : "Float64Array";
  code.comment(`${ir.checked.name}: generated by netc ${VERSION} from ${ir.checked.file} (--target wasm). Do not edit: recompile the model instead.`);
  code.comment(`Source hash ${options.sourceHash}, ${num.t === "f32" ? "float32" : "float64"}. Loads the WebAssembly module below (its text is`);
  code.comment("the .wat file next to this one) and exports meta, forward, gradient, step and update over its memory, and");
  code.comment("`buffers`: the module's own params, optimizer state and data, which a caller may work in directly");
  code.comment("(arrays passed in are copied into the module's memory unless they are these), and `dropoutMasks` for a");
  code.comment("model with dropout (views of its memory too). No dependencies.");
  code.blank();
  emitShell(code, arrayType, meta);
  code.blank();
  code.comment("The WebAssembly binary, base64.");
  code.line(`const binary = "${binary}";`);
  code.blank();
  code.openFunction("function decode", [["text", "string"]], "Uint8Array<ArrayBuffer>");
  code.line("const chars = atob(text);");
  code.line("const bytes = new Uint8Array(chars.length);");
  code.line("for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i);");
  code.line("return bytes;");
  code.close();
  code.blank();
  for (const text of helpers.values()) code.addLines(helperIn(lang, text).split("\n")).blank();
  code.line(`const math = { ${[...MATH_IMPORTS.map((f) => `${f}: Math.${f}`), ...helpers.keys()].join(", ")} };`);
  code.line("const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(binary)), { math });");
  code.line(`const wasm = instance.exports${t(" as unknown as { memory: WebAssembly.Memory; forward(): void; gradient(): void; step(lr: number, c1: number, c2: number): number; update(w0: number, w1: number, lr: number, c1: number, c2: number, part: number, parts: number): void }")};`);
  code.line(`const view = (offset${t(": number")}, length${t(": number")})${t(": Tensor")} => new ${arrayType}(wasm.memory.buffer, offset, length);`);
  code.blank();
  const views = (regions: { offset: number; size: number }[]): string => `[${regions.map((r) => `view(${r.offset}, ${r.size})`).join(", ")}]`;
  code.comment("The module's own params, optimizer state (param by param) and data, in the order meta lists them.");
  code.line(`export const buffers = { params: ${views(layout.params)}, state: ${views(layout.state)}, data: ${views(layout.data)} };`);
  if (meta.dropout) {
    code.comment("Dropout masks in the module's memory, one per dropout of the model (meta.dropout): 1 everywhere (the identity);");
    code.comment("while training, 0 or 1/(1 - p) per entry, drawn for each step.");
    code.line(`export const dropoutMasks${t(": Tensor[]")} = ${views(meta.dropout.map((d) => layout.mask(d.site)))};`);
    code.line("for (const m of dropoutMasks) m.fill(1);");
  }
  const result = (n: Node): string => {
    const r = layout.resultRegion(n);
    return n.shape.length === 0 ? `${r.offset / num.bytes}` : `view(${r.offset}, ${r.size})`;
  };
  code.comment("Results: a view of each tensor; a scalar is read from `scalars` at its index.");
  code.line(`const scalars = new ${arrayType}(wasm.memory.buffer);`);
  const list = (nodes: Node[]): string => `[${nodes.map(result).join(", ")}]${t(" as (number | Tensor)[]")}`;
  code.line(`const outputViews = ${list(ir.outputs.map((o) => o.node))};`);
  code.line(`const valueViews = ${list(values.map((v) => v.node))};`);
  code.line(`const gradViews = ${list(ir.grads.map((g) => g.node))};`);
  const loss = ir.loss ? `scalars[${layout.resultRegion(ir.loss.node).offset / num.bytes}]${t("!")}` : "NaN";
  code.blank();
  code.comment("Copies the caller's arrays into the module's memory, unless they are the module's own.");
  code.openFunction("function copyIn", [["given", "readonly Tensor[]"], ["own", "readonly Tensor[]"]], "void");
  code.line(`for (let k = 0; k < own.length; k++) if (given[k] !== own[k]) own[k]${t("!")}.set(given[k]${t("!")});`);
  code.close();
  code.openFunction("function copyOut", [["own", "readonly Tensor[]"], ["given", "Tensor[]"]], "void");
  code.line(`for (let k = 0; k < own.length; k++) if (given[k] !== own[k]) given[k]${t("!")}.set(own[k]${t("!")});`);
  code.close();
  // the input's name reaches the loader only inside a JSON string literal (as in the TS target's gather)
  const indexInputs = meta.data.flatMap((d, k) => (d.indexRows === undefined ? [] : [[k, d.indexRows, `${d.name}: entry `] as const]));
  const checked = indexInputs.length > 0;
  if (checked) {
    code.comment("Entries of index inputs (take's rows) must be row numbers; the module itself traps on one that is not.");
    code.openFunction("function checkIndices", [], "void");
    for (const [k, rows, what] of indexInputs) {
      code.open(`for (let i = 0, d = buffers.data[${k}]${t("!")}; i < d.length; i++)`);
      code.line(`const row = d[i]${t("!")};`);
      code.line(`if (!(row >= 0 && row < ${rows} && row === Math.floor(row))) throw new RangeError(${stringLiteral(what)} + i + " is " + row + ", not a row number 0 to ${rows - 1}");`);
      code.close();
    }
    code.close();
  }
  code.openFunction("function read", [["results", "(number | Tensor)[]"], ["views", "(number | Tensor)[]"]], "void");
  code.open("for (let k = 0; k < views.length; k++)");
  code.line(`const v = views[k]${t("!")};`);
  code.line(`results[k] = typeof v === "number" ? scalars[v]${t("!")} : v;`);
  code.close();
  code.close();
  code.blank();
  code.line(`const forwardResult${t(": ForwardResult")} = { outputs: outputViews.slice(), loss: NaN };`);
  code.line(`const gradientResult${t(": GradientResult")} = { values: valueViews.slice(), grads: gradViews.slice(), loss: NaN };`);
  code.blank();
  code.line("/** The outputs and the loss (NaN without one) at these params and data. */");
  code.openFunction("export function forward", [["params", "readonly Tensor[]"], ["data", "readonly Tensor[]"]], "ForwardResult");
  code.line("copyIn(params, buffers.params);");
  code.line(`copyIn(data, buffers.data);${checked ? " checkIndices();" : ""}`);
  code.line("wasm.forward();");
  code.line("read(forwardResult.outputs, outputViews);");
  code.line(`forwardResult.loss = ${loss};`);
  code.line("return forwardResult;");
  code.close();
  code.blank();
  code.line("/** The loss, every output and grad-ed binding, and every requested derivative. */");
  code.openFunction("export function gradient", [["params", "readonly Tensor[]"], ["data", "readonly Tensor[]"]], "GradientResult");
  code.line("copyIn(params, buffers.params);");
  code.line(`copyIn(data, buffers.data);${checked ? " checkIndices();" : ""}`);
  code.line("wasm.gradient();");
  code.line("read(gradientResult.values, valueViews);");
  code.line("read(gradientResult.grads, gradViews);");
  code.line(`gradientResult.loss = ${loss};`);
  code.line("return gradientResult;");
  code.close();
  code.blank();
  const opt = ir.checked.train.optimizer;
  // lr, then Adam's bias corrections c1 = 1 - β1^t and c2 = 1 - β2^t (else 1): step's and update's last arguments
  const hyperArgs = opt.kind === "adam" ? `hyper.lr, 1 - Math.pow(${numberLiteral(opt.beta1)}, hyper.t), 1 - Math.pow(${numberLiteral(opt.beta2)}, hyper.t)` : "hyper.lr, 1, 1";
  code.line("/** One optimizer step on the loss: updates params (and state) in place; returns the loss before the update. */");
  code.openFunction("export function step", STEP_ARGS, "number");
  if (!ir.loss) {
    code.line(noLossThrow(ir));
  } else {
    code.line("copyIn(params, buffers.params);");
    code.line("copyIn(state, buffers.state);");
    code.line(`copyIn(data, buffers.data);${checked ? " checkIndices();" : ""}`);
    if (opt.kind === "adam") code.comment("with the bias corrections of the moment estimates");
    code.line(`const loss = wasm.step(${hyperArgs});`);
    code.line("copyOut(buffers.params, params);");
    code.line("copyOut(buffers.state, state);");
    code.line("return loss;");
  }
  code.close();
  code.blank();
  emitUpdateLoader(code, ir, layout, meta.statePerParam, hyperArgs);
  return code.toString();
}
