// The training loop every engine runs, one epoch at a time: shuffled minibatches in the same
// seeded order for every engine, and the wall and CPU time of each epoch. Gathering a batch from
// the training set is part of the timed work for every engine alike.
import { createRng, permutation, type Rng } from "../../src/runtime/rng.ts";
import type { Engine } from "../engines/engine.ts";
import type { Workload } from "../workloads.ts";

export interface EpochTime {
  /** Wall-clock milliseconds. */
  ms: number;
  /** CPU milliseconds (user + system) of this process over the epoch. */
  cpuMs: number;
}

export class EpochRunner {
  readonly examplesPerEpoch: number;
  private readonly xs: Float64Array | Float32Array;
  private readonly ys: Float64Array | Float32Array;
  private readonly xb: Float64Array | Float32Array;
  private readonly yb: Float64Array | Float32Array;
  private readonly order: Uint32Array;
  private readonly rng: Rng;

  constructor(
    private readonly engine: Engine,
    private readonly w: Workload,
    train: { x: Float64Array; y: Float64Array; n: number },
    trainLimit: number,
    seed: number,
  ) {
    const n = Math.min(train.n, trainLimit);
    const nIn = w.layers[0]!;
    const nOut = w.layers[w.layers.length - 1]!;
    const f32 = engine.dtype === "f32";
    this.xs = f32 ? Float32Array.from(train.x.subarray(0, n * nIn)) : train.x.subarray(0, n * nIn);
    this.ys = f32 ? Float32Array.from(train.y.subarray(0, n * nOut)) : train.y.subarray(0, n * nOut);
    this.xb = engine.batch?.x ?? (f32 ? new Float32Array(w.batch * nIn) : new Float64Array(w.batch * nIn));
    this.yb = engine.batch?.y ?? (f32 ? new Float32Array(w.batch * nOut) : new Float64Array(w.batch * nOut));
    this.order = new Uint32Array(n);
    this.rng = createRng(seed, "bench-shuffle");
    this.examplesPerEpoch = Math.floor(n / w.batch) * w.batch;
  }

  /** One epoch: a fresh permutation, then every full batch in that order. */
  async epoch(): Promise<EpochTime> {
    const { engine, xs, ys, xb, yb, order } = this;
    const B = this.w.batch;
    const nIn = this.w.layers[0]!;
    const nOut = this.w.layers[this.w.layers.length - 1]!;
    order.set(permutation(order.length, this.rng));
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let b = 0; b < this.examplesPerEpoch / B; b++) {
      for (let i = 0; i < B; i++) {
        const r = order[b * B + i]!;
        xb.set(xs.subarray(r * nIn, (r + 1) * nIn), i * nIn);
        yb.set(ys.subarray(r * nOut, (r + 1) * nOut), i * nOut);
      }
      const stepped = engine.step(xb, yb);
      if (stepped) await stepped;
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000 };
  }
}
