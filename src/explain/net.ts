// Formulas in .net syntax: the one expression printer (src/ir/expr.ts), told how to spell the ops
// that are not built-ins of the language, so every formula `netc explain` prints re-parses.
import type { Node } from "../graph/node.ts";
import { exprText } from "../ir/expr.ts";
import { wordsOf } from "./ops.ts";

const simple = /^[A-Za-z_][A-Za-z0-9_]*$|^[0-9.e]+$/;

/** The .net text of a non-built-in op over its operands' text (the expression printer's `spell`). */
export function spellNet(n: Node, args: readonly string[]): string | undefined {
  if (n.op === "expand") {
    // a broadcast along trailing axes is what .net's own broadcasting does, and so is a scalar's
    const x = simple.test(args[0]!) ? args[0]! : `(${args[0]})`;
    if (n.attrs.dims === undefined || n.args[0]!.shape.length === 0) return x;
    return `broadcast(${args[0]}, [${n.shape.join(", ")}])`;
  }
  return wordsOf(n.op).net?.(args, n);
}

/** `root` as .net text, named nodes below it printed by name. */
export const netText = (root: Node, names: ReadonlyMap<Node, string> = new Map()): string => exprText(root, { names, spell: spellNet });
