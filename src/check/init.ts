// Param initializers: a number (fill), zeros, ones, normal(mean, std), uniform(lo, hi), xavier
// (Glorot uniform), he (Kaiming normal). Arguments are number literals, positional or by name.
import type { DiagnosticBag } from "../diagnostics.ts";
import type { Expr } from "../parse/ast.ts";
import type { InitSpec } from "../train-spec.ts";
import { bareName, notANumber, numberLiteral } from "./literal.ts";
import { sourceText, suggestion } from "./text.ts";

const NAMED = ["zeros", "ones", "xavier", "he"] as const;
const WITH_ARGS: Record<string, { params: string[]; defaults: number[] }> = {
  normal: { params: ["mean", "std"], defaults: [0, 1] },
  uniform: { params: ["lo", "hi"], defaults: [0, 1] },
};
const EXPECTED = "a number, zeros, ones, normal(mean, std), uniform(lo, hi), xavier or he";

/** The initializer of param `owner`, or null after reporting why it is not one. */
export function parseInit(bag: DiagnosticBag, source: string, owner: string, e: Expr): InitSpec | null {
  if (e.kind === "name" && e.name === "") {
    bag.error(`param ${owner} needs an initializer: write '= ' and ${EXPECTED}`, e.span);
    return null;
  }
  const value = numberLiteral(e);
  if (value !== null) {
    if (!Number.isFinite(value)) {
      bag.error(notANumber(`the initial value of ${owner}`, e, source), e.span);
      return null;
    }
    return { kind: "fill", value };
  }
  const name = bareName(e);
  if (name !== null && (NAMED as readonly string[]).includes(name)) return { kind: name as (typeof NAMED)[number] };
  if (e.kind === "call" && e.callee in WITH_ARGS) {
    const spec = WITH_ARGS[e.callee]!;
    const values = [...spec.defaults];
    const given = new Set<number>();
    if (e.args.length > spec.params.length) {
      bag.error(`${e.callee} takes at most ${spec.params.length} arguments (${spec.params.join(", ")}), found ${e.args.length}`, e.span);
      return null;
    }
    const entries: [number, Expr][] = e.args.map((a, i) => [i, a]);
    for (const kw of e.kwargs) {
      const i = spec.params.indexOf(kw.name);
      if (i < 0) {
        bag.error(`${e.callee} has no argument named '${kw.name}' (it takes ${spec.params.join(", ")})`, kw.span);
        return null;
      }
      entries.push([i, kw.value]);
    }
    for (const [i, a] of entries) {
      if (given.has(i)) {
        bag.error(`argument '${spec.params[i]}' of ${e.callee} is given twice`, a.span);
        return null;
      }
      given.add(i);
      const v = numberLiteral(a);
      if (v === null || !Number.isFinite(v)) {
        bag.error(notANumber(`${spec.params[i]} of ${e.callee}`, a, source), a.span);
        return null;
      }
      values[i] = v;
    }
    if (e.callee === "normal") {
      if (values[1]! < 0) {
        bag.error(`the std of normal must not be negative, found ${values[1]}`, e.span);
        return null;
      }
      return { kind: "normal", mean: values[0]!, std: values[1]! };
    }
    if (values[0]! > values[1]!) {
      bag.error(`uniform(lo, hi) needs lo <= hi, found lo = ${values[0]} and hi = ${values[1]}`, e.span);
      return null;
    }
    return { kind: "uniform", lo: values[0]!, hi: values[1]! };
  }
  const found = name ?? sourceText(source, e.span);
  const hint = name !== null ? suggestion(name, [...NAMED, ...Object.keys(WITH_ARGS)]) : "";
  bag.error(`unknown initializer '${found}' for ${owner}${hint}: expected ${EXPECTED}`, e.span);
  return null;
}
