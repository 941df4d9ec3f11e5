// The wasm module's linear memory, laid out once at compile time: params, optimizer state, data and
// dropout masks first (the loader hands them out as typed-array views, so the training loop writes
// batches and masks straight into them), then every stored node of the plan and every result copy,
// then the second gradient `update` reads for each param the loss depends on (./update.ts), then the
// lists of zero-skipped operands. Each region starts
// on a 16-byte boundary and is followed by 16 spare bytes, so a vector load at the end of a row
// never reads past the memory.
import type { Node } from "../../graph/node.ts";
import { size } from "../../graph/node.ts";
import type { Plan } from "../plan.ts";
import { dropoutSites } from "../meta.ts";
import type { Num } from "./wat.ts";
import type { IRModel } from "../../ir/model.ts";

/** The gradient of the loss with respect to param `index` (undefined: none, or no loss). */
export function lossGrad(ir: IRModel, index: number): IRModel["grads"][number] | undefined {
  const loss = ir.loss;
  const p = ir.checked.params[index]!;
  return loss ? ir.grads.find((g) => g.of === loss.name && g.wrt === p.name) : undefined;
}

export interface Region {
  offset: number;
  size: number;
}

/** Where a listed operand's lists live (./sparse.ts): per row its non-zero column indices (i32), their count, and the per-call decision. */
export interface SparseLists {
  nz: number;
  nnz: number;
  flag: number;
}

export class Layout {
  readonly params: Region[] = [];
  readonly state: Region[] = [];
  readonly data: Region[] = [];
  /** One mask per dropout site (site number → region), ones unless a trainer fills it for a step. */
  readonly masks = new Map<number, Region>();
  /**
   * Param index → the two gradients of the loss with respect to it that `update` sums (w0 times
   * `first`, w1 times `second`), for each param the loss depends on (none without a loss). `first`
   * is where `gradient` leaves that gradient, so the module's own gradient is read in place; a
   * param whose gradient node another param's shares gets a region of its own instead.
   */
  readonly updateGrads = new Map<number, { first: Region; second: Region }>();
  private readonly nodes = new Map<Node, Region>();
  private readonly copies = new Map<Node, Region>();
  private readonly listsOf = new Map<Node, SparseLists>();
  private end = 16; // address 0 is left unused
  constructor(
    private readonly plan: Plan,
    private readonly num: Num,
    statePerParam: number,
    /** Operands whose non-zero entries are listed (./sparse.ts): room for the lists of every row. */
    sparse: readonly Node[] = [],
  ) {
    const ir = plan.ir;
    for (const p of ir.checked.params) this.params.push(this.take(size(p.shape)));
    for (const p of ir.checked.params) for (let s = 0; s < statePerParam; s++) this.state.push(this.take(size(p.shape)));
    for (const d of ir.checked.data) this.data.push(this.take(size(d.shape)));
    for (const d of dropoutSites(plan.order)) this.masks.set(d.site, this.take(d.size));
    for (const n of plan.order) {
      const st = plan.storage.get(n)!.kind;
      if (st === "buffer" || st === "scalar") this.nodes.set(n, this.take(size(n.shape)));
      if (plan.copies.has(n)) this.copies.set(n, this.take(size(n.shape)));
    }
    const firsts = new Set<number>();
    ir.checked.params.forEach((p, k) => {
      const grad = lossGrad(ir, k);
      if (!grad) return;
      const own = this.resultRegion(grad.node);
      const first = firsts.has(own.offset) ? this.take(size(p.shape)) : own;
      firsts.add(first.offset);
      this.updateGrads.set(k, { first, second: this.take(size(p.shape)) });
    });
    for (const n of sparse) {
      const [rows, cols] = n.shape as [number, number];
      this.listsOf.set(n, { nz: this.takeBytes(4 * rows * cols), nnz: this.takeBytes(4 * rows), flag: this.takeBytes(4) });
    }
  }

  private takeBytes(bytes: number): number {
    const at = this.end;
    this.end += Math.ceil(bytes / 16) * 16 + 16;
    return at;
  }

  /** Where the lists of a sparse operand live (undefined: its zeros are not skipped). */
  lists(node: Node): SparseLists | undefined {
    return this.listsOf.get(node);
  }

  private take(elements: number): Region {
    const r = { offset: this.end, size: elements };
    this.end += Math.ceil((elements * this.num.bytes) / 16) * 16 + 16;
    return r;
  }

  /** Where a leaf, buffer or scalar node lives. */
  region(node: Node): Region {
    const st = this.plan.storage.get(node);
    if (st?.kind === "leaf") return (st.role === "param" ? this.params : this.data)[st.index]!;
    const r = this.nodes.get(node);
    if (!r) throw new Error(`internal error: node ${node.id} (${node.op}) has no place in wasm memory`);
    return r;
  }

  /** Where the mask of dropout site `site` lives. */
  mask(site: number): Region {
    const r = this.masks.get(site);
    if (!r) throw new Error(`internal error: dropout site ${site} has no mask in wasm memory`);
    return r;
  }

  /** Where `update` reads the two gradients of param `index` (./update.ts). */
  updateGrad(index: number): { first: Region; second: Region } {
    const r = this.updateGrads.get(index);
    if (!r) throw new Error(`internal error: param ${index} has no gradients for update in wasm memory`);
    return r;
  }

  offsetOf(node: Node): number {
    return this.region(node).offset;
  }

  /** Where a result lives: its copy when it is a leaf or constant, else its own storage. */
  resultRegion(node: Node): Region {
    return this.copies.get(node) ?? this.region(node);
  }

  copyOffset(node: Node): number {
    const r = this.copies.get(node);
    if (!r) throw new Error(`internal error: node ${node.id} has no result copy`);
    return r.offset;
  }

  /** 64 KiB pages the memory needs. */
  get pages(): number {
    return Math.max(1, Math.ceil(this.end / 65536));
  }
}
