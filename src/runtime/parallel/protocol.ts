// The shared words through which data-parallel training's threads meet: one Int32Array over a
// SharedArrayBuffer, read and written with Atomics (no message per step). A step has two phases,
// each one generation: the shards' gradients, then the update split among the threads.
//   [GEN]        the generation: the main thread writes CMD (and ACTIVE), then increments GEN and
//                notifies
//   [CMD]        what to do in that generation: the gradient of a shard of the full batch, or of
//                the last partial batch; the update (from the gradients in the slots); or stop
//   [ACTIVE]     how many shards the batch was cut into (the update sums that many)
//   [COPY_ALL]   1: publish the whole gradient, not only the other threads' parts (update.ts's
//                `publish`), for the main thread to check the shards against the whole batch
//   [MAIN_ASLEEP] 1 while the main thread sleeps in Atomics.wait on a done word
//   [GATHER]     1: each thread gathers its shard's rows of the batch first (rows.ts); 0: the
//                batch is already in the shared batch buffers
//   [done(j)]    the generation thread j last finished (written by worker j, then notified if the
//                main thread sleeps)
//   [status(j)]  0, or 1 once worker j failed (its message is in its error bytes)
//   [asleep(j)]  1 while worker j sleeps in Atomics.wait on GEN
// A waiting thread first spins a little, then says it sleeps and sleeps; a writer notifies only a
// sleeper. The spin starts full and adapts (`nextSpin`): it halves after a long wait (over
// LONG_WAIT_MS, spin and sleep together: the other thread was not running, as on a busy machine)
// and doubles after any other, so on a busy machine waits soon go straight to sleep, and on an
// idle one a thread that finishes a little early catches the next phase spinning instead of paying
// a wake-up (about 0.1 ms on this 2-core VM, as much as the spin). Judging by whether the spin
// itself caught the phase would starve it: a spin of nothing never catches anything. Atomics are sequentially consistent, so of "store the word, then read the
// sleep flag" and "set the sleep flag, then wait while the word is unchanged" one always sees the
// other: no wake-up is lost. (A notify per phase cost more than the phase on a loaded machine.)
// A Float64Array `hyper` holds the update's lr, t and the shards' weights (shards.ts).
export const PROTOCOL = {
  GEN: 0,
  CMD: 1,
  ACTIVE: 2,
  COPY_ALL: 3,
  MAIN_ASLEEP: 4,
  GATHER: 5,
  /** At most this many loads of a word a waiting thread spins through before it sleeps (about 0.1 ms). */
  SPIN: 20000,
  /** A wait longer than this many milliseconds (spin and sleep) halves the spin. */
  LONG_WAIT_MS: 1,
  CMD_FULL: 0,
  CMD_LAST: 1,
  CMD_UPDATE: 2,
  CMD_STOP: 3,
  /** hyper: [lr, t, weight of shard 0, weight of shard 1, …]. */
  HYPER_LR: 0,
  HYPER_T: 1,
  HYPER_WEIGHTS: 2,
  /** Bytes for a worker's error message (UTF-8, zero-padded). */
  ERROR_BYTES: 4096,
} as const;

export type Protocol = typeof PROTOCOL;

export const done = (j: number): number => 6 + 3 * j;
export const status = (j: number): number => 7 + 3 * j;
export const asleep = (j: number): number => 8 + 3 * j;
export const controlWords = (threads: number): number => 6 + 3 * threads;

/** The next spin limit after a short wait or a long one (see above). */
export function nextSpin(spin: number, short: boolean, max: number): number {
  return short ? Math.min(max, spin * 2 + 64) : spin >> 1;
}
