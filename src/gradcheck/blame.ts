// Locating a wrong derivative. For a failing `grad of wrt …`, the adjoint d(of)/d(n) of every
// binding and leaf n on the way to `of` is checked on its own (cut.ts: n becomes an input, the
// cut model is differentiated, and its derivative is compared with central differences).
//
// The culprit is defined as the binding closest to `of` (walking the bindings from `of` back in
// source order) whose own adjoint agrees with finite differences while the adjoint of one of the
// names its expression uses directly does not: the chain rule through that binding's expression
// is wrong. (`of` itself always has the right adjoint, 1.) When every adjoint agrees, the IR's
// derivatives are right and the generated code is what disagrees.
import type { CheckedModel } from "../check/model.ts";
import type { IRModel } from "../ir/model.ts";
import { size } from "../graph/node.ts";
import { createRng } from "../runtime/rng.ts";
import { cutModel, dependencies, refsOf } from "./cut.ts";
import { interpret } from "../ir/interpret.ts";
import { probeGradient, ScalarFunction, worstOf, type LeafValues, type ProbeOutcome } from "./probe.ts";
import { relativeError, TOLERANCES } from "./tolerance.ts";

export interface AdjointCheck {
  name: string;
  shape: readonly number[];
  ok: boolean;
  /** The worst probe (null when nothing could be measured, e.g. every probe crossed a kink). */
  worst: ProbeOutcome | null;
}

export type Location =
  | {
      kind: "binding";
      of: string;
      /** The binding whose chain-rule step is wrong, with its source line and text. */
      binding: string;
      line: number;
      text: string;
      /** d(of)/d(binding): agrees with finite differences. */
      good: AdjointCheck;
      /** The adjoints of the names it uses that disagree. */
      bad: AdjointCheck[];
    }
  | { kind: "codegen"; of: string }
  | { kind: "unknown"; of: string; reason: string };

export interface LocateOptions {
  toIR: (model: CheckedModel) => IRModel;
  seed: number;
}

export function locate(model: CheckedModel, ir: IRModel, of: string, point: LeafValues, opts: LocateOptions): Location {
  const deps = dependencies(model, of);
  const chain = model.bindings.filter((b) => deps.has(b.name)).reverse();
  const bindingNodes = chain.map((b) => ir.bindings.get(b.name)).filter((n) => n !== undefined);
  const values = interpret(bindingNodes, point);
  const tol = TOLERANCES.f64;
  const cache = new Map<string, AdjointCheck>();

  const check = (name: string): AdjointCheck => {
    const known = cache.get(name);
    if (known) return known;
    const node = ir.bindings.get(name) ?? ir.leaves.get(name);
    if (!node) throw new Error(`no node for ${name}`);
    const cutIR = opts.toIR(cutModel(model, of, name));
    const grad = cutIR.grads.find((g) => g.of === of && g.wrt === name);
    if (!grad) throw new Error(`the cut model has no d${of}/d${name}`);
    const leaves = new Map(point);
    if (ir.bindings.has(name)) leaves.set(name, values.get(node)!);
    const f = new ScalarFunction(cutIR.bindings.get(of)!);
    const g = interpret([grad.node], leaves).get(grad.node)!;
    const scale = Math.max(1, Math.abs(f.at(leaves).value));
    const summary = probeGradient(f, leaves, name, node.shape, g, {
      h: tol.h,
      tol: tol.tol,
      rng: createRng(opts.seed, `locate:${name}`),
      relError: (a, n) => relativeError(a, n, tol.floor * scale),
    });
    const worst = worstOf(summary.probes);
    const result = { name, shape: node.shape, ok: worst === null || worst.rel < tol.tol, worst };
    cache.set(name, result);
    return result;
  };

  try {
    for (const b of chain) {
      const own = b.name === of ? { name: of, shape: b.shape, ok: true, worst: null } : check(b.name);
      if (!own.ok) continue;
      const bad = refsOf(b.expr)
        .filter((r) => deps.has(r) && size(ir.bindings.get(r)?.shape ?? ir.leaves.get(r)?.shape ?? []) > 0)
        .map(check)
        .filter((c) => !c.ok);
      if (bad.length > 0) return { kind: "binding", of, binding: b.name, line: b.span.line, text: b.text, good: own, bad };
    }
  } catch (err) {
    return { kind: "unknown", of, reason: err instanceof Error ? err.message : String(err) };
  }
  return { kind: "codegen", of };
}
