// Formulas in .net syntax: the one expression printer (src/ir/expr.ts), told how to spell what a
// built-in does not say the way the compiler holds it, so every formula `netc explain` prints
// re-parses. Every op of the IR is a built-in of the language (the gradient ops too:
// conv2d_input, maxpool2d_input, scatter_add…); what remains is a broadcast along leading or
// inner axes, which .net writes as a reshape that inserts the missing axes, then broadcast_to.
import type { Node } from "../graph/node.ts";
import { exprText } from "../ir/expr.ts";
import { wordsOf } from "./ops.ts";

const simple = /^[A-Za-z_][A-Za-z0-9_]*$|^[0-9.e]+$/;

/** The .net text of a non-built-in op over its operands' text (the expression printer's `spell`). */
export function spellNet(n: Node, args: readonly string[]): string | undefined {
  if (n.op === "expand") {
    // a broadcast along trailing axes is what .net's own broadcasting does, and so is a scalar's
    const x = simple.test(args[0]!) ? args[0]! : `(${args[0]})`;
    const dims = n.attrs.dims;
    if (dims === undefined || n.args[0]!.shape.length === 0) return x;
    // x's axes where they land in the result, 1 along the axes it is spread over
    const placed = n.shape.map((_, o) => (dims.includes(o) ? n.args[0]!.shape[dims.indexOf(o)]! : 1));
    return `broadcast_to(reshape(${args[0]}, [${placed.join(", ")}]), [${n.shape.join(", ")}])`;
  }
  return wordsOf(n.op).net?.(args, n);
}

/** `root` as .net text, named nodes below it printed by name. */
export const netText = (root: Node, names: ReadonlyMap<Node, string> = new Map()): string => exprText(root, { names, spell: spellNet });
