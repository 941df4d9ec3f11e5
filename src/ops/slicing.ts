// What slice and pad share: the region begin..end (per axis, end exclusive) of a tensor, and the
// flat index in the whole tensor of each of the region's entries (row-major).
import type { Attrs, Shape } from "../graph/node.ts";
import { shapeText, strides } from "./shared.ts";
import { ATOM, type Printed } from "./notation.ts";


/** The shape a slice reads from `x` (axes in attrs.drop left out), or an error message. */
export function sliceShape(x: Shape, attrs: Readonly<Attrs>): Shape | string {
  const { begin, end } = attrs;
  if (!begin || !end || begin.length !== x.length || end.length !== x.length) return `a slice of $0 needs a begin and an end for each of its ${x.length} axes`;
  const drop = new Set(attrs.drop ?? []);
  const out: number[] = [];
  for (let d = 0; d < x.length; d++) {
    const [b, e] = [begin[d]!, end[d]!];
    if (!Number.isInteger(b) || !Number.isInteger(e) || b < 0 || e > x[d]! || b >= e) return `the slice ${b}:${e} of axis ${d} does not fit $0 (${shapeText(x)})`;
    if (drop.has(d)) {
      if (e !== b + 1) return `axis ${d} of $0 is indexed by ${b}, so it must be one entry wide`;
    } else out.push(e - b);
  }
  return out;
}

/** For each entry of the region begin..end of a tensor of shape `x` (row-major), its flat index in the tensor. */
export function regionOffsets(x: Shape, begin: readonly number[], end: readonly number[]): number[] {
  const st = strides(x);
  let offsets = [0];
  for (let d = 0; d < x.length; d++) {
    const next: number[] = [];
    for (const o of offsets) for (let i = begin[d]!; i < end[d]!; i++) next.push(o + i * st[d]!);
    offsets = next;
  }
  return offsets;
}

/** A slice as .net writes it after its operand: `[:, 0:2]`, `[1]` (trailing whole axes left out). */
export function sliceText(x: Shape, attrs: Readonly<Attrs>): string {
  const drop = new Set(attrs.drop ?? []);
  const items = x.map((n, d) => {
    const [b, e] = [attrs.begin![d]!, attrs.end![d]!];
    return drop.has(d) ? String(b) : b === 0 && e === n ? ":" : `${b}:${e}`;
  });
  while (items.length > 1 && items[items.length - 1] === ":") items.pop();
  return `[${items.join(", ")}]`;
}

/** `x[:, 0:2]` printed: indexing binds tighter than any operator, so only a non-atom operand takes parentheses. */
export function slicePrinted(x: Printed, shape: Shape, attrs: Readonly<Attrs>): Printed {
  return { text: `${x.level === ATOM ? x.text : `(${x.text})`}${sliceText(shape, attrs)}`, level: ATOM };
}
