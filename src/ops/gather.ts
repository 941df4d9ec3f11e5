// What take and take_grad share: the shape of a row lookup and the check of one index.
import type { Shape } from "../graph/node.ts";

/** [V, D] rows picked by idx [N] or [N, T]: [N, D] or [N, T, D]. */
export function gatherShape(e: Shape, idx: Shape): Shape | string {
  if (e.length !== 2) return `take needs a matrix of rows [V, D], but $0 has rank ${e.length}`;
  if (idx.length < 1 || idx.length > 2) return `take needs indices of shape [N] or [N, T], but $1 has rank ${idx.length}`;
  return [...idx, e[1]!];
}

/** An index as a row number; an error for a non-integer or out-of-range one (`at`: its flat position). */
export function rowOf(v: number, rows: number, at: number): number {
  if (!Number.isInteger(v) || v < 0 || v >= rows) throw new RangeError(`take: index ${v} at position ${at} is not a row number 0 to ${rows - 1}`);
  return v;
}
