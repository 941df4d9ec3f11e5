// The compiled modules training and evaluation run: the model as compiled (batch size from its
// `dim`), and the same model specialized to other batch sizes — for the last partial batch of an
// epoch and for evaluating a whole data set in one call. Specializing recompiles the source with
// `--dim BATCHDIM=n` (compile's `dims`), so every shape, and every mean over the batch, is exact:
// a partial batch is never padded or mis-normalized.
import type { GeneratedModule } from "./contract.ts";

/** Compiles the model again with its batch dimension set to `batch`. */
export type Specialize = (batchDim: string, batch: number) => Promise<GeneratedModule>;

export class ModuleSet {
  private readonly cache = new Map<number, Promise<GeneratedModule>>();

  constructor(
    readonly main: GeneratedModule,
    readonly batchDim: string | null,
    private readonly specialize: Specialize,
  ) {
    if (batchDim) this.cache.set(main.meta.dims[batchDim]!, Promise.resolve(main));
  }

  /** The batch size of the main module (1 when no data is fed in rows). */
  get batch(): number {
    return this.batchDim ? this.main.meta.dims[this.batchDim]! : 1;
  }

  /** Drops a failed specialization, so a later call compiles again. */
  forget(batch: number): void {
    if (batch !== this.batch) this.cache.delete(batch);
  }

  module(batch: number): Promise<GeneratedModule> {
    if (!this.batchDim) return Promise.resolve(this.main);
    let m = this.cache.get(batch);
    if (!m) {
      m = this.specialize(this.batchDim, batch);
      this.cache.set(batch, m);
    }
    return m;
  }
}
