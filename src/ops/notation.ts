// The .net notation every printer of expressions shares (src/ir/expr.ts for IR nodes, which
// `netc grad`, chain-rule steps and emitted comments use; src/check/print.ts for the checked model
// of `--emit ast`): operator symbols, precedence levels, numbers, and where parentheses go.
import type { OpName } from "../graph/node.ts";

/** Precedence levels of .net: + - (1) · * / @ (2) · unary - (3) · ^ (4) · atoms (5). */
export const ADD = 1;
export const MUL = 2;
export const NEG = 3;
export const POW = 4;
export const ATOM = 5;

/** A printed expression and how tightly it binds. */
export interface Printed {
  text: string;
  level: number;
}

/** The ops written as infix operators: their symbol (with its spacing) and level. `^` is right-associative. */
export const INFIX: { readonly [K in OpName]?: { sym: string; level: number } } = {
  add: { sym: " + ", level: ADD },
  sub: { sym: " - ", level: ADD },
  mul: { sym: "*", level: MUL },
  div: { sym: "/", level: MUL },
  matmul: { sym: " @ ", level: MUL },
  pow: { sym: "^", level: POW },
};

/** A number as .net writes it: `nan`, `inf`, `-0`, `1e21`. */
export function numberText(v: number): Printed {
  if (Number.isNaN(v)) return { text: "nan", level: ATOM };
  if (!Number.isFinite(v)) return v > 0 ? { text: "inf", level: ATOM } : { text: "-inf", level: NEG };
  if (Object.is(v, -0)) return { text: "-0", level: NEG };
  const t = String(v).replace("e+", "e"); // 1e21, as .net writes it
  return { text: t, level: v < 0 ? NEG : ATOM };
}

/**
 * `p` as an operand that must bind at least as tightly as `min`. A negation is wrapped unless it
 * opens the expression (`-6*x`, `-x + y`): `a*-b` and `a^-b` are avoided.
 */
export function operand(p: Printed, min: number, leftmost = false): string {
  return p.level < min || (!leftmost && p.text.startsWith("-")) ? `(${p.text})` : p.text;
}

/** `l op r` for an infix op: left-associative (a - (b - c)), except `^` (a^b^c, (a^b)^c). */
export function infix(op: { sym: string; level: number }, l: Printed, r: Printed): Printed {
  if (op.level === POW) return { text: `${operand(l, ATOM, true)}${op.sym}${operand(r, POW)}`, level: POW };
  return { text: operand(l, op.level, true) + op.sym + operand(r, op.level + 1), level: op.level };
}

/** `-x`: the operand wrapped unless it is an atom (-(x^2), not -x^2: unambiguous to a reader). */
export const negation = (x: Printed): Printed => ({ text: `-${x.level <= POW ? `(${x.text})` : x.text}`, level: NEG });
