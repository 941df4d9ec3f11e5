// check(program, { dims }): the checked model (names resolved, defs inlined, dims replaced by their
// values, every expression typed with its shape and mapped to registry ops) and warnings — or a
// NetcError with every independent error found, in source order.
import { basename } from "node:path";
import { DiagnosticBag, NetcError, UsageError, type Diagnostic, type Span } from "../diagnostics.ts";
import type { Ident, Program, Stmt } from "../parse/ast.ts";
import type { OpDef } from "../ops/types.ts";
import { builtinNames, ops } from "../ops/registry.ts";
import type { Binding, CheckedModel, DataDecl, GradRequest, ParamDecl, TExpr } from "./model.ts";
import type { TrainConfig } from "../train-spec.ts";
import { Env, KIND_WORDS, type CheckContext } from "./env.ts";
import { checkExpr, type Scope } from "./expr.ts";
import { checkDefinition } from "./defs.ts";
import { MAX_TOTAL_ELEMENTS, resolveShape } from "./shapes.ts";
import { parseInit } from "./init.ts";
import { defaultTrainConfig, readTrain } from "./train.ts";
import { notANumber, numberLiteral } from "./literal.ts";
import { cleanText, shapeText, sourceText } from "./text.ts";

export interface CheckOptions {
  /** Dim overrides (`--dim NAME=INT`); a name the model does not declare is a UsageError. */
  dims?: Record<string, number>;
}

export interface CheckResult {
  model: CheckedModel;
  warnings: Diagnostic[];
}

let builtinTable: Map<string, OpDef> | null = null;

/** Every built-in function name of the language and its op. */
export function builtinFunctions(): ReadonlyMap<string, OpDef> {
  if (!builtinTable) {
    builtinTable = new Map();
    for (const def of Object.values(ops) as OpDef[]) for (const name of builtinNames(def)) builtinTable.set(name, def);
  }
  return builtinTable;
}

/** The default model name: the file's base name reduced to [A-Za-z0-9_], never starting with a digit. */
export function modelNameFromFile(file: string): string {
  let name = basename(file).replace(/\.net$/i, "").replace(/[^A-Za-z0-9_]/g, "_");
  if (name === "") name = "model";
  return /^[0-9]/.test(name) ? `m_${name}` : name;
}

const at = (s: Span) => `${s.line}:${s.col}`;

function declaredNames(statements: Stmt[]): Map<string, Span> {
  const declared = new Map<string, Span>();
  for (const s of statements) {
    const id = s.kind === "model" || s.kind === "grad" || s.kind === "train" ? null : s.name;
    if (id && !declared.has(id.name)) declared.set(id.name, id.span);
  }
  return declared;
}

/** The statement being checked, so that a stack overflow is reported where it happened. */
let checking: Span | null = null;

export function check(program: Program, options: CheckOptions = {}): CheckResult {
  checking = null;
  try {
    return checkProgram(program, options);
  } catch (err) {
    // A stack overflow on an absurdly deep expression becomes an ordinary error.
    if (!(err instanceof RangeError)) throw err;
    const span = checking ?? { start: 0, end: 0, line: 1, col: 1 };
    throw new NetcError([{ severity: "error", message: checking ? "this statement is nested too deeply to check: split it into smaller bindings" : "the model is nested too deeply to check", span }], program.file, program.source);
  }
}

function checkProgram(program: Program, options: CheckOptions): CheckResult {
  const { file, source, statements } = program;
  const bag = new DiagnosticBag(file, source);
  const ctx: CheckContext = { source, bag, env: new Env(), builtins: builtinFunctions(), declared: declaredNames(statements), inlined: 0, dropouts: 0 };
  const overrides = checkOverrides(program, options);
  if (statements.length === 0) {
    bag.error("the model is empty: expected statements such as `input x`, `param w = 0.5` or `y = 2 * x`", { start: 0, end: 0, line: 1, col: 1 });
    bag.throwIfErrors();
  }
  const st = newState(ctx, overrides);
  for (const s of statements) {
    checking = s.span;
    checkStatement(st, s);
  }
  const grads = checkGrads(st);
  for (const d of st.data) {
    const entry = ctx.env.get(d.name);
    if (entry?.kind === d.role && entry.indexRows !== undefined) d.indexRows = entry.indexRows;
  }
  if (bag.errors.length === 0) checkTotalSize(bag, st.data, st.params, st.bindings);
  bag.items.sort((a, b) => a.span.start - b.span.start);
  if (bag.errors.length > 0) throw new NetcError(bag.errors, file, source);
  if (st.loss && st.params.length > 0) {
    grads.push({ of: st.loss.name, wrt: st.params.map((p) => p.name), implicit: true, span: st.loss.span });
  }
  const model: CheckedModel = {
    name: st.modelName ? st.modelName.name : modelNameFromFile(file),
    file,
    source,
    dims: st.dims,
    data: st.data,
    params: st.params,
    bindings: st.bindings,
    outputs: st.outputs,
    loss: st.loss ? st.loss.name : null,
    grads,
    train: st.train,
    hasTrainBlock: st.trainStmt !== null,
  };
  return { model, warnings: warningsOf(ctx) };
}

type StmtOf<K extends Stmt["kind"]> = Extract<Stmt, { kind: K }>;

/** What the statements checked so far declare. */
interface ProgramState {
  ctx: CheckContext;
  overrides: Map<string, number>;
  modelName: Ident | null;
  dims: Map<string, number>;
  data: DataDecl[];
  params: ParamDecl[];
  bindings: Binding[];
  outputs: string[];
  loss: { name: string; span: Span } | null;
  gradStmts: StmtOf<"grad">[];
  train: TrainConfig;
  trainStmt: StmtOf<"train"> | null;
}

function newState(ctx: CheckContext, overrides: Map<string, number>): ProgramState {
  return { ctx, overrides, modelName: null, dims: new Map(), data: [], params: [], bindings: [], outputs: [], loss: null, gradStmts: [], train: defaultTrainConfig(), trainStmt: null };
}

/** The dim overrides, each naming a dim of the program and holding a positive integer (else a UsageError). */
function checkOverrides({ file, statements }: Program, options: CheckOptions): Map<string, number> {
  const overrides = new Map(Object.entries(options.dims ?? {}));
  for (const [name, value] of overrides) {
    const declaredAsDim = statements.some((s) => s.kind === "dim" && s.name.name === name);
    if (!declaredAsDim) {
      const dims = statements.flatMap((s) => (s.kind === "dim" ? [s.name.name] : []));
      throw new UsageError(`${file} has no dim named ${name}${dims.length ? ` (its dims: ${dims.join(", ")})` : " (it declares no dims)"}`, { kind: "dim", name, value });
    }
    if (!Number.isSafeInteger(value) || value <= 0) throw new UsageError("a dim must be a positive integer", { kind: "dim", name, value });
  }
  return overrides;
}

function checkStatement(st: ProgramState, s: Stmt): void {
  switch (s.kind) {
    case "model":
      if (st.modelName) st.ctx.bag.error(`the model is already named ${st.modelName.name} (at ${at(st.modelName.span)})`, s.span);
      else st.modelName = s.name;
      return;
    case "dim":
      return checkDim(st, s);
    case "data":
      return checkData(st, s);
    case "param":
      return checkParam(st, s);
    case "def": {
      const ok = mayDeclare(st.ctx, s.name);
      const clean = checkDefinition(st.ctx, s);
      if (ok) st.ctx.env.add({ kind: "def", name: s.name.name, params: s.params, body: s.body, span: s.name.span, broken: !clean });
      return;
    }
    case "bind":
      return checkBinding(st, s);
    case "grad":
      st.gradStmts.push(s); // checked once every binding is known
      return;
    case "train":
      if (st.trainStmt) st.ctx.bag.error(`a model has at most one train block (the first is at ${at(st.trainStmt.span)})`, s.span);
      else {
        st.trainStmt = s;
        st.train = readTrain(st.ctx.bag, st.ctx.source, s);
      }
      return;
  }
}

/** Whether `id` may be declared here: not a built-in, not already defined. */
function mayDeclare({ bag, builtins, env }: CheckContext, id: Ident): boolean {
  if (builtins.has(id.name) || id.name === "grad") {
    bag.error(`${id.name} is a built-in function and cannot be redefined`, id.span);
    return false;
  }
  const prev = env.get(id.name);
  if (prev) {
    bag.error(`${id.name} is already defined at ${at(prev.span)} (as ${KIND_WORDS[prev.kind]}); names can be bound only once`, id.span);
    return false;
  }
  return true;
}

function checkDim(st: ProgramState, s: StmtOf<"dim">): void {
  const { ctx } = st;
  const ok = mayDeclare(ctx, s.name);
  let value = s.value;
  if (!Number.isSafeInteger(value) || value <= 0) {
    ctx.bag.error(`dim ${s.name.name} must be a positive integer, found ${sourceText(ctx.source, s.valueSpan)}`, s.valueSpan);
    value = NaN;
  }
  if (st.overrides.has(s.name.name)) value = st.overrides.get(s.name.name)!;
  if (!ok) return;
  ctx.env.add({ kind: "dim", name: s.name.name, value, span: s.name.span });
  if (!Number.isNaN(value)) st.dims.set(s.name.name, value);
}

function checkData(st: ProgramState, s: StmtOf<"data">): void {
  const { ctx } = st;
  const ok = mayDeclare(ctx, s.name);
  const resolved = resolveShape(ctx, s.name.name, s.shape);
  let dflt: number | null = null;
  if (s.default) {
    const v = numberLiteral(s.default);
    if (v === null || !Number.isFinite(v)) {
      ctx.bag.error(notANumber(`the default value of ${s.role} ${s.name.name}`, s.default, ctx.source), s.default.span);
    } else if (resolved && resolved.shape.length > 0) {
      ctx.bag.error(`only a scalar ${s.role} can have a default value, but ${s.name.name} has shape ${shapeText(resolved.shape)}`, s.default.span);
    } else dflt = v;
  }
  if (!ok) return;
  ctx.env.add({ kind: s.role, name: s.name.name, shape: resolved?.shape ?? null, ...(resolved ? { dims: resolved.dimNames } : {}), span: s.name.span, used: false });
  if (resolved) st.data.push({ role: s.role, name: s.name.name, shape: resolved.shape, dimNames: resolved.dimNames, default: dflt, span: s.span });
}

function checkParam(st: ProgramState, s: StmtOf<"param">): void {
  const { ctx } = st;
  const ok = mayDeclare(ctx, s.name);
  const resolved = resolveShape(ctx, s.name.name, s.shape);
  const init = parseInit(ctx.bag, ctx.source, s.name.name, s.init);
  if (!ok) return;
  ctx.env.add({ kind: "param", name: s.name.name, shape: resolved?.shape ?? null, ...(resolved ? { dims: resolved.dimNames } : {}), span: s.name.span, used: false });
  if (resolved && init) st.params.push({ name: s.name.name, shape: resolved.shape, dimNames: resolved.dimNames, init, span: s.span });
}

function checkBinding(st: ProgramState, s: StmtOf<"bind">): void {
  const { ctx } = st;
  const scope: Scope = { locals: null, cutoff: ctx.env.order, calls: [], defining: s.name.name };
  const expr = checkExpr(ctx, scope, s.expr);
  const ok = mayDeclare(ctx, s.name);
  if (expr && s.role === "loss" && expr.shape.length > 0) {
    ctx.bag.error(`loss ${s.name.name} must be a scalar, but it has shape ${shapeText(expr.shape)}: reduce it, e.g. mean(...) or sum(...)`, s.expr.span);
  }
  if (s.role === "loss") {
    if (st.loss) ctx.bag.error(`a model has at most one loss, but ${st.loss.name} is already the loss (at ${at(st.loss.span)})`, s.span);
    else st.loss = { name: s.name.name, span: s.name.span };
  }
  if (!ok) return;
  ctx.env.add({ kind: "binding", role: s.role, name: s.name.name, shape: expr?.shape ?? null, ...(expr?.dims ? { dims: expr.dims } : {}), source: s.expr, span: s.name.span });
  if (s.role === "output") st.outputs.push(s.name.name);
  if (expr) {
    const text = cleanText(ctx.source.slice(s.span.start, s.span.end));
    st.bindings.push({ name: s.name.name, role: s.role, expr, shape: expr.shape, text, span: s.span });
  }
}

/** The grad statements, checked after every binding; and a train block needs a loss. */
function checkGrads(st: ProgramState): GradRequest[] {
  const grads: GradRequest[] = [];
  for (const g of st.gradStmts) {
    const request = checkGradStatement(st.ctx, g);
    if (request) grads.push(request);
  }
  if (st.trainStmt && !st.loss) {
    st.ctx.bag.error("a train block needs a loss to minimise: add `loss NAME = EXPR` (a scalar)", st.trainStmt.span);
  }
  return grads;
}

/** The bag's warnings and one per unused input, target or param, in source order. */
function warningsOf({ bag, env }: CheckContext): Diagnostic[] {
  const warnings: Diagnostic[] = [...bag.warnings];
  for (const e of env.values()) {
    if ((e.kind === "input" || e.kind === "target" || e.kind === "param") && !e.used) {
      warnings.push({ severity: "warning", message: `${e.kind} ${e.name} is never used`, span: e.span });
    }
  }
  warnings.sort((a, b) => a.span.start - b.span.start);
  return warnings;
}

/** Numbers held by the tensors an expression computes (each op's result; refs are counted once, where declared). */
function exprSize(e: TExpr): number {
  if (e.kind !== "op") return 0;
  let n = e.shape.reduce((a, b) => a * b, 1);
  for (const a of e.args) n += exprSize(a);
  return n;
}

/**
 * The whole model must fit too: every declared tensor and every intermediate result is allocated
 * when the module loads (and the backward pass about doubles it). Reported at the statement where
 * the running total, in source order, goes over MAX_TOTAL_ELEMENTS.
 */
function checkTotalSize(bag: DiagnosticBag, data: DataDecl[], params: ParamDecl[], bindings: Binding[]): void {
  const items = [
    ...data.map((d) => ({ name: d.name, span: d.span, size: d.shape.reduce((a, b) => a * b, 1) })),
    ...params.map((p) => ({ name: p.name, span: p.span, size: p.shape.reduce((a, b) => a * b, 1) })),
    ...bindings.map((b) => ({ name: b.name, span: b.span, size: exprSize(b.expr) })),
  ].sort((a, b) => a.span.start - b.span.start);
  let total = 0;
  for (const item of items) {
    total += item.size;
    if (total > MAX_TOTAL_ELEMENTS) {
      const n = (v: number) => v.toLocaleString("en-US");
      bag.error(
        `the model is too large: with ${item.name} its tensors hold ${n(total)} numbers, more than the ${n(MAX_TOTAL_ELEMENTS)} netc allows in all (use smaller dims)`,
        item.span,
      );
      return;
    }
  }
}

/** `grad f wrt x, y`: f a scalar binding (anywhere in the file), each x an input or param. */
function checkGradStatement(ctx: CheckContext, g: Extract<Stmt, { kind: "grad" }>): GradRequest | null {
  const { bag, env } = ctx;
  let ok = true;
  const of = env.get(g.of.name);
  if (!of) {
    bag.error(`grad of unknown name '${g.of.name}': expected a scalar binding`, g.of.span);
    ok = false;
  } else if (of.kind !== "binding") {
    bag.error(`grad ${g.of.name}: ${g.of.name} is ${KIND_WORDS[of.kind]}, but grad needs a scalar binding to differentiate`, g.of.span);
    ok = false;
  } else if (of.shape && of.shape.length > 0) {
    bag.error(`grad ${g.of.name} needs a scalar, but ${g.of.name} has shape ${shapeText(of.shape)}: reduce it first, e.g. sum(${g.of.name})`, g.of.span);
    ok = false;
  } else if (!of.shape) ok = false;
  const seen = new Set<string>();
  for (const w of g.wrt) {
    const e = env.get(w.name);
    if (!e) {
      bag.error(`grad ${g.of.name} wrt unknown name '${w.name}': expected an input or param`, w.span);
      ok = false;
    } else if (e.kind !== "input" && e.kind !== "target" && e.kind !== "param") {
      bag.error(`grad ${g.of.name} wrt ${w.name}: ${w.name} is ${KIND_WORDS[e.kind]}, but derivatives are taken with respect to inputs or params`, w.span);
      ok = false;
    } else if (e.kind !== "param" && e.indexRows !== undefined) {
      bag.error(`grad ${g.of.name} wrt ${w.name}: ${w.name} holds row numbers for take, which have no derivative`, w.span);
      ok = false;
    } else if (seen.has(w.name)) {
      bag.error(`${w.name} is listed twice after wrt`, w.span);
      ok = false;
    }
    seen.add(w.name);
  }
  return ok ? { of: g.of.name, wrt: g.wrt.map((w) => w.name), implicit: false, span: g.span } : null;
}
