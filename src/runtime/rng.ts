// Seeded random numbers for everything random in training (initialization, shuffling), built on
// pure-rand's xoroshiro128+ so that the same seed gives bit-identical streams on every platform.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";

export interface Rng {
  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number;
  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  normal(): number;
}

/** Mixes a seed with a stream name and index (e.g. "shuffle", epoch) into a 32-bit seed. */
export function deriveSeed(seed: number, stream: string, index = 0): number {
  // FNV-1a over the stream name, then murmur3's 32-bit finalizer over seed and index.
  let h = 0x811c9dc5;
  for (let i = 0; i < stream.length; i++) h = Math.imul(h ^ stream.charCodeAt(i), 0x01000193);
  const fmix = (k: number): number => {
    k ^= k >>> 16;
    k = Math.imul(k, 0x85ebca6b);
    k ^= k >>> 13;
    k = Math.imul(k, 0xc2b2ae35);
    return k ^ (k >>> 16);
  };
  h = fmix(h ^ (seed | 0));
  h = fmix(h ^ Math.floor(seed / 0x100000000) ^ Math.imul(index | 0, 0x9e3779b1));
  return h | 0;
}

export function createRng(seed: number, stream = "", index = 0): Rng {
  const gen: RandomGenerator = xoroshiro128plus(deriveSeed(seed, stream, index));
  let spare: number | null = null;
  const uniform = (): number => uniformFloat64(gen);
  return {
    uniform,
    int: (from, to) => uniformInt(gen, from, to),
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniform(); // log(0) is -Infinity
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** A Fisher–Yates permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
