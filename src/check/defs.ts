// `def NAME(ARGS) = EXPR`: checked once where it is defined (parameter names; every name and
// function in the body must be a parameter, a built-in, or defined before the def — which also
// rules out recursion), then type-checked at each call by inlining (expr.ts).
import type { Expr, Stmt } from "../parse/ast.ts";
import type { CheckContext } from "./env.ts";
import type { Scope } from "./expr.ts";
import { error } from "./expr.ts";
import { suggestion } from "./text.ts";

type DefStmt = Extract<Stmt, { kind: "def" }>;

const at = (s: { line: number; col: number }) => `${s.line}:${s.col}`;

/** Reports every problem in a def's header and body names; true when there was none. */
export function checkDefinition(ctx: CheckContext, def: DefStmt): boolean {
  const scope: Scope = { locals: null, cutoff: ctx.env.order, calls: [] };
  let ok = true;
  const fail = (message: string, span: Expr["span"]) => {
    error(ctx, scope, message, span);
    ok = false;
  };
  const params = new Set<string>();
  for (const p of def.params) {
    if (params.has(p.name)) fail(`parameter ${p.name} of ${def.name.name} is listed twice`, p.span);
    else if (ctx.builtins.has(p.name) || p.name === "grad") fail(`${p.name} is a built-in function and cannot be a parameter name`, p.span);
    params.add(p.name);
  }
  const visibleName = (name: string) => {
    const e = ctx.env.get(name);
    return e && e.order < scope.cutoff ? e : undefined;
  };
  const missing = (name: string, span: Expr["span"], what: string) => {
    const later = ctx.declared.get(name);
    if (later && later.start !== def.name.span.start) {
      fail(`${name} is defined after ${def.name.name} (at ${at(later)}): a function can only use names defined before it`, span);
    } else {
      const candidates = [...ctx.env.names(), ...params, ...(what === "function" ? ctx.builtins.keys() : [])];
      fail(`unknown ${what} '${name}'${suggestion(name, candidates)}`, span);
    }
  };
  const walk = (e: Expr): void => {
    switch (e.kind) {
      case "num":
        return;
      case "name": {
        if (params.has(e.name)) return;
        const entry = visibleName(e.name);
        if (entry?.kind === "def") fail(`${e.name} is a function: call it as ${e.name}(...)`, e.span);
        else if (entry) return;
        else if (ctx.builtins.has(e.name) || e.name === "grad") fail(`${e.name} is a built-in function: call it as ${e.name}(...)`, e.span);
        else missing(e.name, e.span, "name");
        return;
      }
      case "unary":
        return walk(e.arg);
      case "list":
        for (const item of e.items) walk(item);
        return;
      case "index":
        walk(e.target);
        for (const item of e.items) for (const x of item.kind === "at" ? [item.index] : [item.start, item.end]) if (x) walk(x);
        return;
      case "binary":
        walk(e.left);
        walk(e.right);
        return;
      case "call": {
        if (e.callee === def.name.name) {
          fail(`${def.name.name} calls itself: functions cannot be recursive`, e.calleeSpan);
        } else if (e.callee === "grad") {
          // grad(f, x) names top-level things; checked in full at each call.
          for (const a of e.args) if (a.kind !== "name") walk(a);
          return;
        } else if (!ctx.builtins.has(e.callee)) {
          const entry = visibleName(e.callee);
          if (params.has(e.callee)) fail(`${e.callee} is a parameter of ${def.name.name}, not a function`, e.calleeSpan);
          else if (!entry) missing(e.callee, e.calleeSpan, "function");
          else if (entry.kind !== "def") fail(`${e.callee} is not a function`, e.calleeSpan);
        }
        for (const a of e.args) walk(a);
        for (const k of e.kwargs) walk(k.value);
        return;
      }
    }
  };
  walk(def.body);
  return ok;
}
