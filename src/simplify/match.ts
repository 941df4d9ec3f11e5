// Pattern helpers for the rewrite rules: constants (a scalar `const`, or one broadcast by
// `expand`), known-finite values, and products seen as coefficient × factors.
import type { Node, Shape } from "../graph/node.ts";
import type { Builder } from "../ir/builder.ts";
import { sameShape } from "../ir/builder.ts";
import { getOp } from "../ops/registry.ts";

/** The value of a constant node, or of a broadcast constant; undefined otherwise. */
export function constOf(n: Node): number | undefined {
  if (n.op === "const") return n.attrs.value;
  if (n.op === "expand" && n.args[0]!.op === "const") return n.args[0]!.attrs.value;
  return undefined;
}

export const isConst = (n: Node, v?: number): boolean => {
  const c = constOf(n);
  return c !== undefined && (v === undefined || Object.is(c, v) || (v === 0 && c === 0));
};

/** Values that are finite whatever the inputs: finite constants and 0/1 masks. */
export function knownFinite(n: Node): boolean {
  const c = constOf(n);
  if (c !== undefined) return Number.isFinite(c);
  if (getOp(n.op).mask) return true;
  if (n.op === "expand" || n.op === "transpose") return knownFinite(n.args[0]!);
  return false;
}

/** A folded constant is used only when it is a normal finite number (no overflow or underflow to 0). */
export const safeConst = (v: number, ...from: number[]): boolean =>
  Number.isFinite(v) && (v !== 0 || from.some((f) => f === 0));

/** `x` as a node of `shape` (broadcast when smaller). */
export const as = (b: Builder, x: Node | number, shape: Shape): Node => b.broadcastTo(x, shape);

export const same = sameShape;

