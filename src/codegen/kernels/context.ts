// What every kernel emitter shares: the plan, the names, the line buffer, and where a kernel's
// result goes (a buffer, a scalar `const`, or a module-level scalar result).
import type { Node } from "../../graph/node.ts";
import type { Code } from "../code.ts";
import type { NameSource } from "../expr.ts";
import type { Plan } from "../plan.ts";
import type { SparseLists } from "./sparse.ts";

export interface KernelContext {
  plan: Plan;
  names: NameSource;
  code: Code;
  /** The storage of a leaf or constant that is itself a result (a copy of it). */
  copyName(node: Node): string;
  /** Extra comment lines for a node's kernel (what a scaled adjoint stands for). */
  notes?: ReadonlyMap<Node, readonly string[]>;
  /** False: every product runs its dense loop (no list of non-zero multipliers; for tests). */
  sparse?: boolean;
  /** The row lists of the sparse left operands of products (./sparse.ts), shared by both passes. */
  lists?: SparseLists;
}

/** Where a kernel writes: a typed array, or a number (declared here, or a module-level result). */
export type Target = { kind: "buffer"; name: string } | { kind: "scalar"; name: string; declare: boolean };

/** The statement that stores a scalar result. */
export function assignScalar(t: Target, expr: string): string {
  if (t.kind !== "scalar") throw new Error("internal error: scalar store into a buffer");
  return t.declare ? `const ${t.name} = ${expr};` : `${t.name} = ${expr};`;
}

/** Loop variables for the axes of a tensor, outermost first. */
export const AXIS_VARS = ["i", "j", "k", "l", "i4", "i5", "i6", "i7"] as const;

export function axisVars(rank: number): string[] {
  if (rank > AXIS_VARS.length) throw new Error(`internal error: rank ${rank} is not supported`);
  return AXIS_VARS.slice(0, rank);
}

/** Names the emitted code uses itself, reserved before any user name is placed. */
export const KERNEL_NAMES = [...AXIS_VARS, "p", "r"];

export type { Node };
