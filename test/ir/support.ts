// Shared by the IR tests: compile .net source to IR, evaluate printed expressions, count nodes.
import { frontEnd, toIR } from "../../src/compile.ts";
import type { IRModel } from "../../src/ir/model.ts";
import type { Node } from "../../src/graph/node.ts";
import { topoOrder } from "../../src/graph/node.ts";
import { derivativeText } from "../../src/ir/expr.ts";
import { lower } from "../../src/diff/lower.ts";
import { interpret } from "../../src/ir/interpret.ts";

export const irOf = (source: string) => toIR(frontEnd(source).model);

/** The printed derivative `of/wrt` of a model: expression and where lines. */
export function printed(ir: IRModel, key: string) {
  const g = ir.grads.find((x) => x.key === key)!;
  const taken = new Set([...ir.leaves.keys(), ...ir.bindings.keys()]);
  return derivativeText(g.node, ir.names, taken);
}

/**
 * Re-parses a printed derivative as .net: the inputs, the where lines as bindings, and the
 * expression as an output. Returns the output node of the lowered (unsimplified) model.
 */
export function reparse(inputs: string, text: { expr: string; where: { name: string; expr: string }[] }): { node: Node; ir: IRModel } {
  const source = `${inputs}\n${text.where.map((w) => `${w.name} = ${w.expr}`).join("\n")}\noutput printed_result = ${text.expr}\n`;
  const ir = lower(frontEnd(source).model);
  return { node: ir.outputs[0]!.node, ir };
}

/** Nodes under `n` (leaves and constants included). */
export const nodeCount = (n: Node) => topoOrder([n]).length;

export const scalarAt = (n: Node, values: Record<string, number>) => interpret([n], values).get(n)![0]!;

import { Builder } from "../../src/ir/builder.ts";
import type { CheckedModel } from "../../src/check/model.ts";

/** An IRModel around hand-built nodes: leaves by name and one output `r` (no checked model). */
export function modelOf(b: Builder, leaves: Node[], out: Node): IRModel {
  const checked = { name: "t", file: "t.net", source: "", dims: new Map(), data: [], params: [], bindings: [], outputs: ["r"], loss: null, grads: [] } as unknown as CheckedModel;
  return {
    graph: b.graph,
    checked,
    leaves: new Map(leaves.map((l) => [l.attrs.name!, l])),
    bindings: new Map([["r", out]]),
    outputs: [{ name: "r", node: out }],
    loss: null,
    grads: [],
    names: new Map(),
    origins: new Map(),
  };
}
