// Test support for codegen: source → IR (the real front end, lowering, differentiation and
// simplification), generated module loaded in-process, and comparison with the reference
// interpreter on random values.
import type { IRModel } from "../../src/ir/model.ts";
import type { Node } from "../../src/graph/node.ts";
import { size } from "../../src/graph/node.ts";
import { interpret } from "../../src/ir/interpret.ts";
import { generate } from "../../src/codegen/index.ts";
import { generateWasm } from "../../src/codegen/wasm/index.ts";
import { assemble } from "../../src/codegen/wasm/assemble.ts";
import { loadModule } from "../../src/runtime/load.ts";
import type { Dtype, GeneratedModule, Tensor } from "../../src/runtime/contract.ts";
import { frontEnd, toIR } from "../../src/compile.ts";
import { createRng } from "../../src/runtime/rng.ts";

export function irOf(source: string, file = "test.net", dims?: Record<string, number>): IRModel {
  const { model } = frontEnd(source, { file, ...(dims ? { dims } : {}) });
  return toIR(model).ir;
}

export async function load(ir: IRModel, dtype: Dtype = "f64"): Promise<GeneratedModule> {
  const text = generate(ir, { dtype, sourceHash: "test", lang: "js" });
  return loadModule(text, "test");
}

/** The same IR through the wasm target: the WAT assembled, the loader loaded. */
export async function loadWasm(ir: IRModel, dtype: Dtype = "f64"): Promise<GeneratedModule> {
  const out = generateWasm(ir, { dtype, sourceHash: "test" });
  const binary = Buffer.from(await assemble(out.wat)).toString("base64");
  return loadModule(out.loader(binary, "js"), "test-wasm");
}

/** A deterministic uniform [0, 1) stream: the runtime's seeded generator. */
export function rng(seed: number): () => number {
  return createRng(seed).uniform;
}

export interface LeafData {
  params: Float64Array[];
  data: Float64Array[];
  byName: Map<string, Float64Array>;
}

/** Random values in [lo, hi] for every param and data leaf, in meta order. */
export function randomLeaves(ir: IRModel, seed: number, lo = -1, hi = 1): LeafData {
  const r = rng(seed);
  const byName = new Map<string, Float64Array>();
  // rows: an index input of take gets integer row numbers 0 to rows - 1
  const make = (name: string, shape: readonly number[], rows?: number): Float64Array => {
    const a = new Float64Array(size(shape));
    for (let i = 0; i < a.length; i++) a[i] = rows === undefined ? lo + (hi - lo) * r() : Math.floor(r() * rows);
    byName.set(name, a);
    return a;
  };
  const params = ir.checked.params.map((p) => make(p.name, p.shape));
  const data = ir.checked.data.map((d) => make(d.name, d.shape, d.indexRows));
  return { params, data, byName };
}

/** max |a - b| / max(max |b|, 1e-300) over a tensor: relative to the reference's scale. */
export function relError(actual: number | Tensor, expected: Float64Array): number {
  const a = typeof actual === "number" ? Float64Array.of(actual) : actual;
  if (a.length !== expected.length) return Infinity;
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const x = a[i]!;
    if (Number.isNaN(e) || Number.isNaN(x)) {
      if (!(Number.isNaN(e) && Number.isNaN(x))) return Infinity;
      continue;
    }
    if (!Number.isFinite(e) || !Number.isFinite(x)) {
      if (e !== x) return Infinity;
      continue;
    }
    scale = Math.max(scale, Math.abs(e));
    worst = Math.max(worst, Math.abs(x - e));
  }
  return worst === 0 ? 0 : worst / Math.max(scale, 1e-300);
}

export interface Agreement {
  worst: number;
  /** Per result: name and error. */
  errors: { name: string; error: number }[];
}

/** Runs forward and gradient of the module and compares every result with the interpreter. */
export function agreement(ir: IRModel, mod: GeneratedModule, leaves: LeafData): Agreement {
  const roots: Node[] = [...ir.outputs.map((o) => o.node), ...ir.grads.map((g) => g.node)];
  if (ir.loss) roots.push(ir.loss.node);
  const valueNodes = mod.meta.values.map((v) => ir.bindings.get(v.name) ?? ir.leaves.get(v.name)!);
  roots.push(...valueNodes);
  const ref = interpret(roots, leaves.byName);
  const errors: { name: string; error: number }[] = [];
  const fwd = mod.forward(leaves.params, leaves.data);
  ir.outputs.forEach((o, i) => errors.push({ name: `forward ${o.name}`, error: relError(fwd.outputs[i]!, ref.get(o.node)!) }));
  if (ir.loss) errors.push({ name: `forward loss`, error: relError(fwd.loss, ref.get(ir.loss.node)!) });
  const grad = mod.gradient(leaves.params, leaves.data);
  valueNodes.forEach((n, i) => errors.push({ name: `value ${mod.meta.values[i]!.name}`, error: relError(grad.values[i]!, ref.get(n)!) }));
  ir.grads.forEach((g, i) => errors.push({ name: `grad ${g.key}`, error: relError(grad.grads[i]!, ref.get(g.node)!) }));
  if (ir.loss) errors.push({ name: `gradient loss`, error: relError(grad.loss, ref.get(ir.loss.node)!) });
  return { worst: Math.max(0, ...errors.map((e) => e.error)), errors };
}
