// Type-checks one expression: resolves names, inlines `def` calls, maps operators and built-in
// calls to registry ops, and infers every shape with the op's own shape rule. Each error is
// reported once, at the place it concerns, in the user's names and shapes; the result is null
// after an error, and a null operand makes its parents give up silently (no cascades).
import type { DiagnosticBag, Span } from "../diagnostics.ts";
import type { Expr, KwArg } from "../parse/ast.ts";
import type { Attrs } from "../graph/node.ts";
import type { BuiltinParam, OpDef } from "../ops/types.ts";
import { getOp, operatorOps } from "../ops/registry.ts";
import { opAxis } from "../ops/shared.ts";
import type { Shape, TExpr } from "./model.ts";
import { KIND_WORDS, type CheckContext, type Entry } from "./env.ts";
import { cleanText, fillOperands, shapeText, suggestion } from "./text.ts";
import { checkSlice } from "./slicing.ts";
import { error, textOf, type Scope } from "./scope.ts";
import { MAX_RANK, sizeProblem } from "./shapes.ts";
import { OUT_OF_RANGE } from "./literal.ts";
import { constInt } from "./constants.ts";
import { numberLiteral } from "./literal.ts";
import { alignmentConflict, axesWords, concatConflict, dimsOf, namedShapeText, resultDims } from "./dims.ts";

export { error, textOf, type Scope } from "./scope.ts";

export const MAX_INLINED_CALLS = 100_000;

const at = (span: Span) => `${span.line}:${span.col}`;

/** An entry visible from `scope`, or undefined. */
function visible(ctx: CheckContext, scope: Scope, name: string): Entry | undefined {
  const e = ctx.env.get(name);
  return e && e.order < scope.cutoff ? e : undefined;
}

/** The error for a name that is not (yet) visible. */
function unknownName(ctx: CheckContext, scope: Scope, name: string, span: Span, what = "name"): null {
  if (name === scope.defining && scope.locals === null && !ctx.env.has(name)) {
    return error(ctx, scope, `${name} is used in its own definition`, span);
  }
  const later = ctx.env.get(name)?.span ?? ctx.declared.get(name);
  if (later && (later.start >= span.start || scope.locals !== null)) {
    const where = scope.locals !== null ? "after this function" : "later";
    return error(ctx, scope, `${name} is used before it is defined (${where}, at ${at(later)})`, span);
  }
  const candidates = [...ctx.env.names(), ...(scope.locals?.keys() ?? []), ...(what === "function" ? ctx.builtins.keys() : [])];
  return error(ctx, scope, `unknown ${what} '${name}'${suggestion(name, candidates)}`, span);
}

export function checkExpr(ctx: CheckContext, scope: Scope, e: Expr): TExpr | null {
  switch (e.kind) {
    case "num":
      if (!Number.isFinite(e.value)) return error(ctx, scope, `the number ${e.text} ${OUT_OF_RANGE}`, e.span);
      return { kind: "const", value: e.value, shape: [], span: e.span };
    case "name":
      return checkName(ctx, scope, e.name, e.span);
    case "unary": {
      if (e.arg.kind === "num" && Number.isFinite(e.arg.value)) return { kind: "const", value: -e.arg.value, shape: [], span: e.span };
      const arg = checkExpr(ctx, scope, e.arg);
      if (!arg) return null;
      return { kind: "op", op: operatorOps.neg, args: [arg], attrs: {}, shape: arg.shape, dims: dimsOf(arg), span: e.span };
    }
    case "binary": {
      const left = checkExpr(ctx, scope, e.left);
      const right = checkExpr(ctx, scope, e.right);
      if (!left || !right) return null;
      const opName = operatorOps[e.op];
      const shape = getOp(opName).shape([left.shape, right.shape], {});
      if (typeof shape === "string") {
        const msg = fillOperands(shape, [
          { text: textOf(ctx, e.left), shape: left.shape },
          { text: textOf(ctx, e.right), shape: right.shape },
        ]);
        return error(ctx, scope, msg, e.opSpan);
      }
      const tooLarge = sizeProblem(shape);
      if (tooLarge) return error(ctx, scope, `${textOf(ctx, e)}: ${shapeText(shape)} is too large: ${tooLarge}`, e.opSpan);
      if (opName !== "matmul" && !namesAlign(ctx, scope, getOp(opName), [left, right], [e.left, e.right], e.opSpan)) return null;
      return { kind: "op", op: opName, args: [left, right], attrs: {}, shape, dims: resultDims(opName, [left, right], {}, shape), span: e.span };
    }
    case "call":
      return checkCall(ctx, scope, e);
    case "list":
      return error(ctx, scope, `a list such as ${textOf(ctx, e)} is only allowed as a shape argument, as in reshape(x, [B, 784]), or the zeros of pad(x, [0, 1], [0, 2])`, e.span);
    case "index": {
      const x = checkExpr(ctx, scope, e.target);
      return x && checkSlice(ctx, scope, e, x);
    }
  }
}

function checkName(ctx: CheckContext, scope: Scope, name: string, span: Span): TExpr | null {
  const local = scope.locals?.get(name);
  if (local) return local;
  const entry = visible(ctx, scope, name);
  if (!entry) {
    if (ctx.builtins.has(name) || name === "grad") {
      const how = name === "grad" ? "grad(f, x)" : `${name}(...)`;
      return error(ctx, scope, `${name} is a built-in function: call it as ${how}`, span);
    }
    return unknownName(ctx, scope, name, span);
  }
  switch (entry.kind) {
    case "dim":
      if (Number.isNaN(entry.value)) return null;
      return { kind: "const", value: entry.value, shape: [], span };
    case "def":
      return error(ctx, scope, `${name} is a function: call it as ${name}(${entry.params.map((p) => p.name).join(", ")})`, span);
    case "binding":
      if (!entry.shape) return null;
      return { kind: "ref", name, ref: "binding", shape: entry.shape, ...(entry.dims ? { dims: entry.dims } : {}), span };
    default:
      entry.used = true;
      if (!entry.shape) return null;
      return { kind: "ref", name, ref: entry.kind, shape: entry.shape, ...(entry.dims ? { dims: entry.dims } : {}), span };
  }
}

/** Matches positional and keyword arguments to parameter names; reports arity errors. */
function bindArgs(
  ctx: CheckContext,
  scope: Scope,
  call: Extract<Expr, { kind: "call" }>,
  params: readonly { name: string; optional?: boolean; kind?: string }[],
): (Expr | null)[] | null {
  const slots: (Expr | null)[] = params.map(() => null);
  // flags (keepdims) are given by name only: sum(x, 0, 1) is an arity error, not keepdims = 1
  const positional = params.filter((p) => p.kind !== "flag");
  const required = params.filter((p) => !p.optional).length;
  const names = params.map((p) => (p.kind === "flag" ? `${p.name} = …` : p.name)).join(", ");
  const count = required === positional.length ? `${positional.length}` : `${required} to ${positional.length}`;
  const plural = positional.length === 1 ? "argument" : "arguments";
  const given = call.args.length + call.kwargs.length;
  if (call.args.length > positional.length) {
    return error(ctx, scope, `${call.callee} takes ${count} ${plural} (${names}), found ${given}`, call.span);
  }
  call.args.forEach((a, i) => (slots[i] = a));
  let ok = true;
  for (const kw of call.kwargs as KwArg[]) {
    // PyTorch spells the axis `dim`: sum(x, dim = 1) is sum(x, axis = 1).
    const key = kw.name === "dim" && params.some((p) => p.name === "axis" && p.kind === "axis") ? "axis" : kw.name;
    const i = params.findIndex((p) => p.name === key);
    if (i < 0) {
      error(ctx, scope, `${call.callee} has no argument named '${kw.name}' (it takes ${names || "no arguments"})`, kw.span);
      ok = false;
    } else if (slots[i]) {
      error(ctx, scope, `argument '${kw.name}' of ${call.callee} is given twice`, kw.span);
      ok = false;
    } else slots[i] = kw.value;
  }
  if (!ok) return null;
  const missing = params.filter((p, i) => !p.optional && !slots[i]);
  if (missing.length > 0) {
    return error(ctx, scope, `${call.callee} takes ${count} ${plural} (${names}), found ${given}: missing ${missing.map((p) => p.name).join(", ")}`, call.span);
  }
  return slots;
}

/** An axis argument: an integer literal, possibly negative. */
function axisValue(ctx: CheckContext, scope: Scope, callee: string, e: Expr): number | null {
  const neg = e.kind === "unary" && e.arg.kind === "num";
  const lit = e.kind === "num" ? e : neg ? (e.arg as Extract<Expr, { kind: "num" }>) : null;
  if (!lit || !Number.isInteger(lit.value)) {
    return error(ctx, scope, `the axis of ${callee} must be an integer such as 1 or -1, found ${textOf(ctx, e)}`, e.span);
  }
  return neg ? -lit.value : lit.value;
}

/**
 * `max(x, axis = 1)`, `max(x)` and `max(x, keepdims = true)` reduce (amax; min likewise), while
 * `max(a, b)` of two operands stays element-wise: the reduction's name, or null.
 */
function reductionName(call: Extract<Expr, { kind: "call" }>): string | null {
  if (call.callee !== "max" && call.callee !== "min") return null;
  const reduces = call.kwargs.some((k) => k.name === "axis" || k.name === "dim" || k.name === "keepdims") || (call.args.length === 1 && call.kwargs.length === 0);
  return reduces ? (call.callee === "max" ? "amax" : "amin") : null;
}

/** An integer argument (`stride = 2`): an integer literal, possibly negative (the op's shape rule checks its range). */
function intValue(ctx: CheckContext, scope: Scope, callee: string, param: string, e: Expr): number | null {
  const neg = e.kind === "unary" && e.arg.kind === "num";
  const lit = e.kind === "num" ? e : neg ? (e.arg as Extract<Expr, { kind: "num" }>) : null;
  if (!lit || !Number.isInteger(lit.value)) {
    return error(ctx, scope, `the ${param} of ${callee} must be an integer such as 1 or 2, found ${textOf(ctx, e)}`, e.span);
  }
  return neg ? -lit.value : lit.value;
}

function checkCall(ctx: CheckContext, scope: Scope, call: Extract<Expr, { kind: "call" }>): TExpr | null {
  if (call.callee === "grad") return checkGradCall(ctx, scope, call);
  const op = ctx.builtins.get(reductionName(call) ?? call.callee);
  if (op) return checkBuiltin(ctx, scope, call, op);
  if (scope.locals?.has(call.callee)) {
    return error(ctx, scope, `${call.callee} is a parameter of the function, not a function`, call.calleeSpan);
  }
  const entry = visible(ctx, scope, call.callee);
  if (!entry) {
    const later = ctx.env.get(call.callee) ?? null;
    if (later?.kind === "def" && scope.calls.some((c) => c.name === call.callee)) {
      return error(ctx, scope, `${call.callee} calls itself: functions cannot be recursive`, call.calleeSpan);
    }
    return unknownName(ctx, scope, call.callee, call.calleeSpan, "function");
  }
  if (entry.kind !== "def") {
    return error(ctx, scope, `${call.callee} is ${KIND_WORDS[entry.kind]}, not a function`, call.calleeSpan);
  }
  if (entry.broken) return null;
  const slots = bindArgs(ctx, scope, call, entry.params);
  if (!slots) return null;
  const args = slots.map((a) => (a ? checkExpr(ctx, scope, a) : null));
  if (args.some((a) => !a)) return null;
  if (++ctx.inlined > MAX_INLINED_CALLS) {
    return error(ctx, scope, `too many nested function calls to inline (more than ${MAX_INLINED_CALLS})`, call.span);
  }
  const locals = new Map(entry.params.map((p, i) => [p.name, args[i]!] as const));
  const inner: Scope = { locals, cutoff: entry.order, calls: [...scope.calls, { name: call.callee, span: call.span }] };
  return checkExpr(ctx, inner, entry.body);
}

/**
 * A variadic built-in, `concat(a, b, …, axis = k)`: tensors by position, then the axis by name
 * (a trailing bare integer is taken for the axis written by position, and says so).
 */
function checkVariadic(ctx: CheckContext, scope: Scope, call: Extract<Expr, { kind: "call" }>, op: OpDef): TExpr | null {
  const f = call.callee;
  let axis: number | undefined;
  let ok = true;
  for (const kw of call.kwargs) {
    const problem = kw.name !== "axis" && kw.name !== "dim" ? `${f} has no argument named '${kw.name}' (it takes tensors, then axis = k)` : axis !== undefined ? `argument 'axis' of ${f} is given twice` : null;
    const v = problem === null ? axisValue(ctx, scope, f, kw.value) : error(ctx, scope, problem, kw.span);
    if (v === null) ok = false;
    else axis = v;
  }
  if (call.args.length === 0) return error(ctx, scope, `${f} takes one or more tensors, then axis = k; found none`, call.span);
  const last = call.args[call.args.length - 1]!;
  if (call.args.length > 1 && numberLiteral(last) !== null && Number.isInteger(numberLiteral(last))) {
    return error(ctx, scope, `the axis of ${f} is given by name, after the tensors: ${f}(${call.args.slice(0, -1).map((a) => textOf(ctx, a)).join(", ")}, axis = ${textOf(ctx, last)})`, last.span);
  }
  const checked = call.args.map((a) => checkExpr(ctx, scope, a));
  if (!ok || checked.some((t) => !t)) return null;
  const tensors = checked as TExpr[];
  const operands = call.args.map((a, i) => ({ text: textOf(ctx, a), shape: tensors[i]!.shape }));
  const attrs: Attrs = { axis: axis ?? null };
  const shape = op.shape(
    tensors.map((t) => t.shape),
    attrs,
  );
  if (typeof shape === "string") return error(ctx, scope, fillOperands(shape, operands), call.span);
  attrs.axis = opAxis(op.kind, axis, shape.length);
  const conflict = concatConflict(tensors.map((t) => ({ shape: t.shape, dims: dimsOf(t) })), attrs.axis!);
  if (conflict) {
    const named = (k: number) => `${operands[k]!.text}: ${namedShapeText(tensors[k]!.shape, dimsOf(tensors[k]!))}`;
    return error(ctx, scope, `cannot concatenate ${named(conflict.i)} and ${named(conflict.j)} along axis ${attrs.axis}: axis ${conflict.axis} is ${conflict.left} in one and ${conflict.right} in the other`, call.span);
  }
  return { kind: "op", op: op.name, args: tensors, attrs, shape, dims: resultDims(op.name, tensors, attrs, shape), span: call.span };
}

function checkBuiltin(ctx: CheckContext, scope: Scope, call: Extract<Expr, { kind: "call" }>, op: OpDef): TExpr | null {
  const params = op.builtin!.params;
  if (params[0]?.kind === "tensors") return checkVariadic(ctx, scope, call, op);
  const slots = bindArgs(ctx, scope, call, params);
  if (!slots) return null;
  const tensors: TExpr[] = [];
  const operands: { text: string; shape: Shape }[] = [];
  let axis: number | null | undefined;
  let newShape: number[] | undefined;
  let listedDims: (string | null)[] | undefined;
  const given: Attrs = {};
  let ok = true;
  params.forEach((p, i) => {
    const a = slots[i];
    if (p.kind === "number" || p.kind === "flag") {
      const v = a ? literalParam(ctx, scope, call.callee, p, a) : p.default;
      if (v === null) ok = false;
      else if (p.kind === "number" && typeof v === "number") given[p.name] = v;
      else if (p.kind === "flag" && v === true) given.keepdims = true;
      return;
    }
    if (p.kind === "shape") {
      // the tensor operand comes first and is checked by now; after an error in it, stay silent
      if (!a || !ok || tensors.length === 0) return;
      const s = shapeValue(ctx, scope, `${p.name} of ${call.callee}`, a, op.kind === "reshape" ? tensors[0]!.shape : null);
      if (s === null) ok = false;
      else [newShape, listedDims] = s;
      return;
    }
    if (p.kind === "ints") {
      if (!a) return;
      const v = intList(ctx, scope, call.callee, p.name, a);
      if (v === null) ok = false;
      else given[p.name] = v;
      return;
    }
    if (p.kind === "int") {
      if (!a) return;
      const v = intValue(ctx, scope, call.callee, p.name, a);
      if (v === null) ok = false;
      else given[p.name] = v;
      return;
    }
    if (p.kind === "axis") {
      if (!a) return;
      const v = axisValue(ctx, scope, call.callee, a);
      if (v === null) ok = false;
      else axis = v;
      return;
    }
    if (!a) return;
    const t = checkExpr(ctx, scope, a);
    if (!t) ok = false;
    else {
      tensors.push(t);
      operands.push({ text: textOf(ctx, a), shape: t.shape });
    }
  });
  if (!ok) return null;
  const hasAxis = params.some((p) => p.kind === "axis");
  const attrs: Attrs = hasAxis ? { axis: axis ?? null, ...given } : { ...given };
  if (newShape) attrs.shape = newShape;
  const shape = op.shape(
    tensors.map((t) => t.shape),
    attrs,
  );
  if (typeof shape === "string") {
    // the message names a parameter that was given (axis, lo, alpha…): point at it
    const named = params.findIndex((p, i) => p.kind !== "tensor" && slots[i] && new RegExp(`\\b${p.name}\\b`).test(shape));
    const span = named >= 0 ? slots[named]!.span : call.span;
    return error(ctx, scope, fillOperands(shape, operands), span);
  }
  const tooLarge = sizeProblem(shape);
  if (tooLarge) return error(ctx, scope, `${textOf(ctx, call)}: ${shapeText(shape)} is too large: ${tooLarge}`, call.span);
  // normalized as the builder does: non-negative, defaulted (null reduces everything; row-wise ops use the last axis)
  if (hasAxis) attrs.axis = opAxis(op.kind, axis, tensors[0]?.shape.length ?? 0);
  if (op.kind === "dropout") attrs.site = ctx.dropouts++;
  if (op.name === "max" || op.name === "min") warnClampOrAxis(ctx, call, tensors);
  if (!rankNamed(ctx, scope, call, op, shape)) return null;
  if (op.kind === "gather" && !indexInput(ctx, scope, call.callee, tensors[1]!, slots[1]!, tensors[0]!.shape[0]!)) return null;
  if (op.kind === "scatter" && !indexInput(ctx, scope, call.callee, tensors[1]!, slots[1]!, shape[0]!)) return null;
  if (op.kind === "expand" && !broadcastNamesAlign(ctx, scope, tensors[0]!, slots[0]!, shape, listedDims!, call.span)) return null;
  const aligns = tensors.length === 2 && (op.kind === "elementwise" || op.kind === "loss");
  const tensorAsts = params.flatMap((p, i) => (p.kind === "tensor" && slots[i] ? [slots[i]!] : []));
  if (aligns && !namesAlign(ctx, scope, op, tensors, tensorAsts, call.span)) return null;
  return { kind: "op", op: op.name, args: tensors, attrs, shape, dims: resultDims(op.name, tensors, attrs, shape, listedDims), span: call.span };
}

/**
 * Whether broadcasting `args` aligns no two differently named dims; if it does, reports it with
 * the op's own words, the shapes in their dim names, and (when an operand is a reduction that
 * dropped its axis) the keepdims form that was probably meant.
 */
function namesAlign(ctx: CheckContext, scope: Scope, op: OpDef, args: readonly TExpr[], asts: readonly Expr[], span: Span): boolean {
  const [a, b] = [args[0]!, args[1]!];
  const conflict = alignmentConflict({ shape: a.shape, dims: dimsOf(a) }, { shape: b.shape, dims: dimsOf(b) });
  if (!conflict) return true;
  const verb = broadcastVerb(op);
  const operands = [0, 1].map((i) => ({ text: textOf(ctx, asts[i]!), shape: namedShapeText(args[i]!.shape, dimsOf(args[i]!)) }));
  const opening = verb.replace(/\$(\d+)/g, (_, i: string) => `${operands[Number(i)]!.text}: ${operands[Number(i)]!.shape}`);
  const hint = asts.map((x) => keepdimsHint(ctx, scope, x)).find((h) => h !== null);
  error(ctx, scope, `${opening}: ${axesWords(conflict.fromEnd)} are ${conflict.left} and ${conflict.right}${hint ? ` — did you mean ${hint}?` : " (named dims must match where they broadcast; rename one, or reshape)"}`, span);
  return false;
}

/** An op named per rank (`conv1d_input`, `conv2d_input`) is called by the name of its result's rank. */
function rankNamed(ctx: CheckContext, scope: Scope, call: Extract<Expr, { kind: "call" }>, op: OpDef, shape: Shape): boolean {
  const byRank = op.builtin!.byRank;
  if (!byRank || byRank[shape.length] === call.callee) return true;
  const right = byRank[shape.length];
  error(ctx, scope, `${call.callee} gives a result of rank ${shape.length} (${shapeText(shape)})${right ? `: write ${right}` : ""}`, call.span);
  return false;
}

/** broadcast_to aligns trailing axes, as an element-wise operator does: two differently named dims may not meet. */
function broadcastNamesAlign(ctx: CheckContext, scope: Scope, x: TExpr, e: Expr, shape: Shape, listed: (string | null)[], span: Span): boolean {
  const conflict = alignmentConflict({ shape: x.shape, dims: dimsOf(x) }, { shape, dims: listed });
  if (!conflict) return true;
  const hint = keepdimsHint(ctx, scope, e);
  const target = namedShapeText(shape, listed);
  error(ctx, scope, `cannot broadcast ${textOf(ctx, e)}: ${namedShapeText(x.shape, dimsOf(x))} to ${target}: ${axesWords(conflict.fromEnd)} are ${conflict.left} and ${conflict.right}${hint ? ` — did you mean ${hint}?` : " (named dims must match where they broadcast; reshape to put the axis where it belongs)"}`, span);
  return false;
}

/**
 * take's indices must be an input or target (data the runtime can check entry by entry); it is
 * marked as holding row numbers below `rows`.
 */
function indexInput(ctx: CheckContext, scope: Scope, callee: string, idx: TExpr, e: Expr, rows: number): boolean {
  const entry = idx.kind === "ref" ? ctx.env.get(idx.name) : undefined;
  if (!entry || (entry.kind !== "input" && entry.kind !== "target")) {
    // a name can be declared as an input; an expression cannot: then a name is suggested
    const declare = e.kind === "name" ? e.name : "idx";
    error(ctx, scope, `the indices of ${callee} must be an input holding row numbers (declare \`input ${declare}: [B]\`), found ${textOf(ctx, e)}`, e.span);
    return false;
  }
  entry.indexRows = Math.min(entry.indexRows ?? rows, rows);
  return true;
}

/** "cannot subtract $1 from $0": how an op's broadcast error opens (a generic opening otherwise). */
function broadcastVerb(op: OpDef): string {
  const probe = op.shape([[2], [3]], {});
  const m = typeof probe === "string" ? /^(cannot .*\$\d.*?\$\d[^:]*)/.exec(probe) : null;
  return m ? m[1]! : `cannot broadcast $0 with $1 in ${op.builtin?.name ?? op.name}`;
}

/** For an operand written as a reduction along an axis without keepdims (directly, or through the binding it names): the keepdims form. */
function keepdimsHint(ctx: CheckContext, scope: Scope, e: Expr): string | null {
  let x: Expr | undefined = e;
  if (x.kind === "name") {
    const entry = scope.locals?.has(x.name) ? undefined : ctx.env.get(x.name);
    x = entry?.kind === "binding" ? entry.source : undefined;
  }
  if (!x || x.kind !== "call" || !["sum", "mean", "logsumexp", "max", "min"].includes(x.callee)) return null;
  const axisGiven = x.args.length >= 2 || x.kwargs.some((k) => k.name === "axis" || k.name === "dim");
  if (!axisGiven || x.kwargs.some((k) => k.name === "keepdims")) return null;
  const text = cleanText(ctx.source.slice(x.span.start, x.span.end));
  return text.endsWith(")") ? `${text.slice(0, -1)}, keepdims = true)` : null;
}

/** A number or flag parameter (`alpha = 0.2`, `keepdims = true`): a literal, or null after an error. */
function literalParam(ctx: CheckContext, scope: Scope, callee: string, p: BuiltinParam, e: Expr): number | boolean | null {
  if (p.kind === "flag") {
    if (e.kind === "name" && (e.name === "true" || e.name === "false")) return e.name === "true";
    return error(ctx, scope, `${p.name} of ${callee} must be true or false, found ${textOf(ctx, e)}`, e.span);
  }
  const v = numberLiteral(e);
  if (v === null || !Number.isFinite(v)) return error(ctx, scope, `${p.name} of ${callee} must be a number, found ${textOf(ctx, e)}`, e.span);
  return v;
}

/**
 * `max(x, 1)` on a tensor is the element-wise maximum with the number 1 (contract v1), though
 * `sum(x, 1)` — and NumPy's np.max(x, 1), PyTorch's torch.max(x, 1) — reduce along axis 1. When
 * the second argument is a bare integer that could be an axis of x, a warning shows both
 * spellings. A number written with a decimal point (`max(x, 1.0)`) or given as `b = 1` is silent.
 */
function warnClampOrAxis(ctx: CheckContext, call: Extract<Expr, { kind: "call" }>, tensors: readonly TExpr[]): void {
  const [first, second] = call.args;
  if (call.args.length !== 2 || !first || !second) return;
  const lit = second.kind === "num" ? second : second.kind === "unary" && second.arg.kind === "num" ? second.arg : null;
  if (!lit || !/^\d+$/.test(lit.text)) return;
  const axis = lit === second ? lit.value : -lit.value;
  const rank = tensors[0]?.shape.length ?? 0;
  if (rank === 0 || axis >= rank || axis < -rank) return;
  const [f, x, n] = [call.callee, textOf(ctx, first), String(axis)];
  const what = f === "max" ? "maximum" : "minimum";
  const message =
    `${f}(${x}, ${n}) is the element-wise ${what} of ${x} and the number ${n}, not the ${what} along axis ${n} ` +
    `(as sum(${x}, ${n}) would reduce): write ${f}(${x}, axis = ${n}) for the reduction, or ${f}(${x}, ${n}.0) for the element-wise ${what}`;
  if (!ctx.bag.items.some((d) => d.span.start === call.span.start && d.message === message)) ctx.bag.warning(message, call.span);
}

/**
 * A shape argument (`what`: "shape of reshape"): a list of integers and dim names. For reshape, one
 * of them may be -1, the size that makes the total match (as in NumPy); `from` is then the
 * operand's shape, and null for shapes that infer nothing (broadcast_to, conv2d_input's input_size).
 */
function shapeValue(ctx: CheckContext, scope: Scope, what: string, e: Expr, from: Shape | null): [number[], (string | null)[]] | null {
  const callee = what.replace(/^.* of /, "");
  if (e.kind !== "list") return error(ctx, scope, `the ${what} must be a list such as [B, 784], found ${textOf(ctx, e)}`, e.span);
  const dims: number[] = [];
  const names: (string | null)[] = [];
  let infer = -1;
  for (const item of e.items) {
    const c = constInt(ctx, scope, item, `a size in the ${what}`);
    if (c === null) return null;
    if (c.value === -1 && infer < 0 && from) infer = dims.length;
    else if (c.value <= 0) {
      const why = !from ? "sizes must be positive" : c.value === -1 ? "only one size can be -1 (inferred)" : "sizes must be positive (or one -1, inferred)";
      const text = textOf(ctx, item);
      return error(ctx, scope, `${callee}: ${why}, found ${text === String(c.value) ? text : `${text} = ${c.value}`}`, item.span);
    }
    dims.push(c.value);
    names.push(c.dim);
  }
  if (dims.length > MAX_RANK) return error(ctx, scope, `${callee} to rank ${dims.length}: tensors of rank 0 to ${MAX_RANK} are supported`, e.span);
  if (infer >= 0 && from) {
    const known = dims.reduce((a, d, i) => (i === infer ? a : a * d), 1);
    const total = from.reduce((a, d) => a * d, 1);
    if (total % known !== 0) {
      return error(ctx, scope, `cannot reshape ${textOf(ctx, e)}: the known sizes multiply to ${known}, which does not divide the ${total} numbers of the operand`, e.span);
    }
    dims[infer] = total / known;
  }
  return [dims, names];
}

/** A list of integers (`before = [0, 1]`): integer literals or dim names, as a slice's bounds. */
function intList(ctx: CheckContext, scope: Scope, callee: string, param: string, e: Expr): number[] | null {
  if (e.kind !== "list") return error(ctx, scope, `the ${param} argument of ${callee} must be a list of integers such as [0, 1], found ${textOf(ctx, e)}`, e.span);
  const out: number[] = [];
  for (const item of e.items) {
    const c = constInt(ctx, scope, item, `an entry of the ${param} list of ${callee}`);
    if (c === null) return null;
    out.push(c.value);
  }
  return out;
}

function checkGradCall(ctx: CheckContext, scope: Scope, call: Extract<Expr, { kind: "call" }>): TExpr | null {
  const usage = "grad(f, x) takes the name of a scalar binding f and of an input or param x";
  if (call.args.length !== 2 || call.kwargs.length > 0) return error(ctx, scope, `${usage}, found ${call.args.length + call.kwargs.length} arguments`, call.span);
  const [f, x] = call.args as [Expr, Expr];
  if (f.kind !== "name") return error(ctx, scope, `${usage}; ${textOf(ctx, f)} is not a name`, f.span);
  if (x.kind !== "name") return error(ctx, scope, `${usage}; ${textOf(ctx, x)} is not a name`, x.span);
  const of = visible(ctx, scope, f.name);
  if (!of) return unknownName(ctx, scope, f.name, f.span);
  if (of.kind !== "binding") return error(ctx, scope, `grad(${f.name}, ${x.name}): ${f.name} is ${KIND_WORDS[of.kind]}, but grad needs a binding to differentiate`, f.span);
  const wrt = visible(ctx, scope, x.name);
  if (!wrt) return unknownName(ctx, scope, x.name, x.span);
  if (wrt.kind !== "input" && wrt.kind !== "target" && wrt.kind !== "param") {
    return error(ctx, scope, `grad(${f.name}, ${x.name}): ${x.name} is ${KIND_WORDS[wrt.kind]}, but derivatives are taken with respect to inputs or params`, x.span);
  }
  wrt.used = true;
  if (!of.shape || !wrt.shape) return null;
  if (of.shape.length !== 0) {
    return error(ctx, scope, `grad(${f.name}, ${x.name}) needs a scalar ${f.name}, but ${f.name} has shape ${shapeText(of.shape)}`, f.span);
  }
  return { kind: "grad", of: f.name, wrt: x.name, shape: wrt.shape, ...(wrt.dims ? { dims: wrt.dims } : {}), span: call.span };
}
