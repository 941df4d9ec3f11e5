// Declared shapes (`[B, 784]`): dim names resolved to their values, sizes positive, rank at most 2.
import type { ShapeDim } from "../parse/ast.ts";
import type { Shape } from "./model.ts";
import { KIND_WORDS, type CheckContext } from "./env.ts";
import { shapeText, suggestion } from "./text.ts";

export const MAX_RANK = 4;

/**
 * The most numbers one tensor may hold (2^26: 512 MiB as float64). Every tensor of a compiled
 * module is allocated when it loads, so a shape beyond this (`dim B = 999999999`) is refused here,
 * with the user's names, instead of failing later as an out-of-memory crash.
 */
export const MAX_ELEMENTS = 2 ** 26;

/** The most numbers all the tensors of a model's forward pass may hold together (2^27: 1 GiB as float64). */
export const MAX_TOTAL_ELEMENTS = 2 ** 27;

/** Why `shape` is too large to allocate (a message ending after "…holds"), or null when it fits. */
export function sizeProblem(shape: readonly number[]): string | null {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count <= MAX_ELEMENTS) return null;
  const n = (v: number) => (Number.isSafeInteger(v) ? v.toLocaleString("en-US") : v.toExponential(2));
  return `it would hold ${n(count)} numbers, more than the ${n(MAX_ELEMENTS)} netc allows in one tensor (use smaller dims)`;
}

export interface ResolvedShape {
  shape: Shape;
  dimNames: (string | null)[];
}

/** The shape of a declaration, or null after reporting what is wrong with it. */
export function resolveShape(ctx: CheckContext, owner: string, dims: ShapeDim[] | null): ResolvedShape | null {
  if (dims === null) return { shape: [], dimNames: [] };
  const shape: number[] = [];
  const dimNames: (string | null)[] = [];
  let ok = true;
  for (const d of dims) {
    if (d.kind === "int") {
      if (!Number.isSafeInteger(d.value) || d.value <= 0) {
        ctx.bag.error(`sizes in a shape must be positive integers, found ${d.value} in the shape of ${owner}`, d.span);
        ok = false;
      }
      shape.push(d.value);
      dimNames.push(null);
      continue;
    }
    const entry = ctx.env.get(d.name);
    if (!entry) {
      const dimNamesKnown = [...ctx.env.values()].filter((e) => e.kind === "dim").map((e) => e.name);
      const later = ctx.declared.get(d.name);
      const hint = later ? ` (it is declared later, at ${later.line}:${later.col}; declare dims before their use)` : suggestion(d.name, dimNamesKnown);
      ctx.bag.error(`unknown dim '${d.name}' in the shape of ${owner}${hint}`, d.span);
      ok = false;
    } else if (entry.kind !== "dim") {
      ctx.bag.error(`${d.name} is ${KIND_WORDS[entry.kind]}, not a dim: shapes use integers and dim names`, d.span);
      ok = false;
    } else if (Number.isNaN(entry.value)) {
      ok = false; // the dim itself was invalid, already reported
    } else {
      shape.push(entry.value);
      dimNames.push(d.name);
      continue;
    }
    shape.push(1);
    dimNames.push(null);
  }
  if (ok && shape.length > MAX_RANK) {
    ctx.bag.error(
      `${owner} has rank ${shape.length} (${shapeText(shape)}): tensors of rank 0 to ${MAX_RANK} are supported`,
      dims[MAX_RANK]!.span,
    );
    ok = false;
  }
  const tooLarge = ok ? sizeProblem(shape) : null;
  if (tooLarge) {
    ctx.bag.error(`${owner}: ${shapeText(shape)} is too large: ${tooLarge}`, dims[0]!.span);
    ok = false;
  }
  return ok ? { shape, dimNames } : null;
}
