// The `meta` object of a generated module (src/runtime/contract.ts): names, shapes and
// initializers of everything the module takes and returns, in the order its arrays use.
import type { Node } from "../graph/node.ts";
import type { IRModel } from "../ir/model.ts";
import type { DropoutMeta, Dtype, ModelMeta, TensorMeta } from "../runtime/contract.ts";
import { size, topoOrder } from "../graph/node.ts";
import { VERSION } from "../version.ts";

/** What `netc grad --at` reports under "value": every output, the loss, every grad-ed binding. */
export function valueNodes(ir: IRModel): { name: string; node: Node }[] {
  const out: { name: string; node: Node }[] = [];
  const seen = new Set<string>();
  const add = (name: string, node: Node | undefined): void => {
    if (seen.has(name) || !node) return;
    seen.add(name);
    out.push({ name, node });
  };
  for (const o of ir.outputs) add(o.name, o.node);
  if (ir.loss) add(ir.loss.name, ir.loss.node);
  for (const g of ir.grads) add(g.of, ir.bindings.get(g.of) ?? ir.leaves.get(g.of));
  return out;
}

export function statePerParam(ir: IRModel): number {
  const opt = ir.checked.train.optimizer;
  if (opt.kind === "adam") return 2;
  return opt.momentum !== 0 ? 1 : 0;
}

const tensorMeta = (name: string, shape: readonly number[]): TensorMeta => ({ name, shape: [...shape], size: size(shape) });

export function buildMeta(ir: IRModel, opts: { dtype: Dtype; sourceHash: string }): ModelMeta {
  const m = ir.checked;
  const dropouts = dropoutSites(topoOrder([...valueNodes(ir).map((v) => v.node), ...ir.grads.map((g) => g.node)]));
  const dims: Record<string, number> = Object.create(null);
  for (const [k, v] of m.dims) dims[k] = v;
  return {
    name: m.name,
    file: m.file,
    sourceHash: opts.sourceHash,
    netcVersion: VERSION,
    dtype: opts.dtype,
    dims,
    data: m.data.map((d) => ({
      ...tensorMeta(d.name, d.shape),
      role: d.role,
      default: d.default,
      batchDim: d.dimNames[0] ?? null,
      ...(d.indexRows !== undefined ? { indexRows: d.indexRows } : {}),
    })),
    params: m.params.map((p) => ({ ...tensorMeta(p.name, p.shape), init: p.init })),
    outputs: ir.outputs.map((o) => tensorMeta(o.name, o.node.shape)),
    loss: ir.loss?.name ?? null,
    grads: ir.grads.map((g) => ({ of: g.of, wrt: g.wrt, key: g.key, shape: [...g.node.shape] })),
    values: valueNodes(ir).map((v) => tensorMeta(v.name, v.node.shape)),
    train: m.train,
    statePerParam: statePerParam(ir),
    ...(dropouts.length > 0 ? { dropout: dropouts } : {}),
  };
}

/** The dropout sites among `nodes`, in site order: one mask each, shared by the site's forward and gradient nodes. */
export function dropoutSites(nodes: Iterable<Node>): DropoutMeta[] {
  const sites = new Map<number, DropoutMeta>();
  for (const n of nodes) {
    if (n.op !== "dropout" || sites.has(n.attrs.site!)) continue;
    sites.set(n.attrs.site!, { site: n.attrs.site!, p: n.attrs.p!, shape: [...n.shape], size: size(n.shape) });
  }
  return [...sites.values()].sort((a, b) => a.site - b.site);
}
