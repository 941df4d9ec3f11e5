// check(program, { dims }): the checked model (names resolved, defs inlined, dims replaced by their
// values, every expression typed with its shape and mapped to registry ops) and warnings — or a
// NetcError with every independent error found, in source order.
import { basename } from "node:path";
import { DiagnosticBag, NetcError, UsageError, type Diagnostic, type Span } from "../diagnostics.ts";
import type { Ident, Program, Stmt } from "../parse/ast.ts";
import type { OpDef } from "../ops/types.ts";
import { ops } from "../ops/registry.ts";
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
    for (const def of Object.values(ops) as OpDef[]) if (def.builtin) builtinTable.set(def.builtin.name, def);
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
  const env = new Env();
  const ctx: CheckContext = { source, bag, env, builtins: builtinFunctions(), declared: declaredNames(statements), inlined: 0 };

  const overrides = new Map(Object.entries(options.dims ?? {}));
  for (const [name, value] of overrides) {
    const declaredAsDim = statements.some((s) => s.kind === "dim" && s.name.name === name);
    if (!declaredAsDim) {
      const dims = statements.flatMap((s) => (s.kind === "dim" ? [s.name.name] : []));
      throw new UsageError(`${file} has no dim named ${name}${dims.length ? ` (its dims: ${dims.join(", ")})` : " (it declares no dims)"}`, { kind: "dim", name, value });
    }
    if (!Number.isSafeInteger(value) || value <= 0) throw new UsageError("a dim must be a positive integer", { kind: "dim", name, value });
  }

  if (statements.length === 0) {
    bag.error("the model is empty: expected statements such as `input x`, `param w = 0.5` or `y = 2 * x`", { start: 0, end: 0, line: 1, col: 1 });
    bag.throwIfErrors();
  }

  let modelName: Ident | null = null;
  const dims = new Map<string, number>();
  const data: DataDecl[] = [];
  const params: ParamDecl[] = [];
  const bindings: Binding[] = [];
  const outputs: string[] = [];
  let loss: { name: string; span: Span } | null = null;
  const gradStmts: Extract<Stmt, { kind: "grad" }>[] = [];
  let train: TrainConfig = defaultTrainConfig();
  let trainStmt: Extract<Stmt, { kind: "train" }> | null = null;

  /** Whether `id` may be declared here: not a built-in, not already defined. */
  const mayDeclare = (id: Ident): boolean => {
    if (ctx.builtins.has(id.name) || id.name === "grad") {
      bag.error(`${id.name} is a built-in function and cannot be redefined`, id.span);
      return false;
    }
    const prev = env.get(id.name);
    if (prev) {
      bag.error(`${id.name} is already defined at ${at(prev.span)} (as ${KIND_WORDS[prev.kind]}); names can be bound only once`, id.span);
      return false;
    }
    return true;
  };

  for (const s of statements) {
    checking = s.span;
    switch (s.kind) {
      case "model":
        if (modelName) bag.error(`the model is already named ${modelName.name} (at ${at(modelName.span)})`, s.span);
        else modelName = s.name;
        break;
      case "dim": {
        const ok = mayDeclare(s.name);
        let value = s.value;
        if (!Number.isSafeInteger(value) || value <= 0) {
          bag.error(`dim ${s.name.name} must be a positive integer, found ${sourceText(source, s.valueSpan)}`, s.valueSpan);
          value = NaN;
        }
        if (overrides.has(s.name.name)) value = overrides.get(s.name.name)!;
        if (!ok) break;
        env.add({ kind: "dim", name: s.name.name, value, span: s.name.span });
        if (!Number.isNaN(value)) dims.set(s.name.name, value);
        break;
      }
      case "data": {
        const ok = mayDeclare(s.name);
        const resolved = resolveShape(ctx, s.name.name, s.shape);
        let dflt: number | null = null;
        if (s.default) {
          const v = numberLiteral(s.default);
          if (v === null || !Number.isFinite(v)) {
            bag.error(notANumber(`the default value of ${s.role} ${s.name.name}`, s.default, source), s.default.span);
          } else if (resolved && resolved.shape.length > 0) {
            bag.error(`only a scalar ${s.role} can have a default value, but ${s.name.name} has shape ${shapeText(resolved.shape)}`, s.default.span);
          } else dflt = v;
        }
        if (!ok) break;
        env.add({ kind: s.role, name: s.name.name, shape: resolved?.shape ?? null, ...(resolved ? { dims: resolved.dimNames } : {}), span: s.name.span, used: false });
        if (resolved) data.push({ role: s.role, name: s.name.name, shape: resolved.shape, dimNames: resolved.dimNames, default: dflt, span: s.span });
        break;
      }
      case "param": {
        const ok = mayDeclare(s.name);
        const resolved = resolveShape(ctx, s.name.name, s.shape);
        const init = parseInit(bag, source, s.name.name, s.init);
        if (!ok) break;
        env.add({ kind: "param", name: s.name.name, shape: resolved?.shape ?? null, ...(resolved ? { dims: resolved.dimNames } : {}), span: s.name.span, used: false });
        if (resolved && init) params.push({ name: s.name.name, shape: resolved.shape, dimNames: resolved.dimNames, init, span: s.span });
        break;
      }
      case "def": {
        const ok = mayDeclare(s.name);
        const clean = checkDefinition(ctx, s);
        if (ok) env.add({ kind: "def", name: s.name.name, params: s.params, body: s.body, span: s.name.span, broken: !clean });
        break;
      }
      case "bind": {
        const scope: Scope = { locals: null, cutoff: env.order, calls: [], defining: s.name.name };
        const expr = checkExpr(ctx, scope, s.expr);
        const ok = mayDeclare(s.name);
        if (expr && s.role === "loss" && expr.shape.length > 0) {
          bag.error(
            `loss ${s.name.name} must be a scalar, but it has shape ${shapeText(expr.shape)}: reduce it, e.g. mean(...) or sum(...)`,
            s.expr.span,
          );
        }
        if (s.role === "loss") {
          if (loss) bag.error(`a model has at most one loss, but ${loss.name} is already the loss (at ${at(loss.span)})`, s.span);
          else loss = { name: s.name.name, span: s.name.span };
        }
        if (!ok) break;
        env.add({ kind: "binding", role: s.role, name: s.name.name, shape: expr?.shape ?? null, ...(expr?.dims ? { dims: expr.dims } : {}), source: s.expr, span: s.name.span });
        if (s.role === "output") outputs.push(s.name.name);
        if (expr) {
          const text = cleanText(source.slice(s.span.start, s.span.end));
          bindings.push({ name: s.name.name, role: s.role, expr, shape: expr.shape, text, span: s.span });
        }
        break;
      }
      case "grad":
        gradStmts.push(s);
        break;
      case "train":
        if (trainStmt) bag.error(`a model has at most one train block (the first is at ${at(trainStmt.span)})`, s.span);
        else {
          trainStmt = s;
          train = readTrain(bag, source, s);
        }
        break;
    }
  }

  const grads: GradRequest[] = [];
  for (const g of gradStmts) {
    const request = checkGradStatement(ctx, g);
    if (request) grads.push(request);
  }
  if (trainStmt && !loss) {
    bag.error("a train block needs a loss to minimise: add `loss NAME = EXPR` (a scalar)", trainStmt.span);
  }

  for (const d of data) {
    const entry = env.get(d.name);
    if (entry?.kind === d.role && entry.indexRows !== undefined) d.indexRows = entry.indexRows;
  }
  if (bag.errors.length === 0) checkTotalSize(bag, data, params, bindings);
  bag.items.sort((a, b) => a.span.start - b.span.start);
  if (bag.errors.length > 0) throw new NetcError(bag.errors, file, source);

  if (loss && params.length > 0) {
    grads.push({ of: loss.name, wrt: params.map((p) => p.name), implicit: true, span: loss.span });
  }
  const warnings: Diagnostic[] = [...bag.warnings];
  for (const e of env.values()) {
    if ((e.kind === "input" || e.kind === "target" || e.kind === "param") && !e.used) {
      warnings.push({ severity: "warning", message: `${e.kind} ${e.name} is never used`, span: e.span });
    }
  }
  warnings.sort((a, b) => a.span.start - b.span.start);

  const model: CheckedModel = {
    name: modelName ? modelName.name : modelNameFromFile(file),
    file,
    source,
    dims,
    data,
    params,
    bindings,
    outputs,
    loss: loss ? loss.name : null,
    grads,
    train,
    hasTrainBlock: trainStmt !== null,
  };
  return { model, warnings };
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
