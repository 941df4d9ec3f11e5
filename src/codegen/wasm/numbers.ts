// Numbers of the WebAssembly text and binary formats: integer and float literals read exactly
// (a float literal is rounded once, to nearest-even, from its exact decimal or hexadecimal value,
// so `f32.const 0.1` is the float32 nearest to 1/10, not float32(float64(0.1))), and the byte
// writer of the binary format with its LEB128 integers.

/** A growable byte buffer with the binary format's encodings. */
export class Bytes {
  private buf: Uint8Array<ArrayBuffer>;
  length = 0;

  constructor(capacity = 16) {
    this.buf = new Uint8Array(capacity);
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    this.room(1);
    this.buf[this.length++] = b;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    this.room(bs.length);
    this.buf.set(bs, this.length);
    this.length += bs.length;
    return this;
  }

  /** Unsigned LEB128 of a 32-bit count, index or offset. */
  u32(n: number): this {
    do {
      const low = n & 0x7f;
      n = Math.floor(n / 128);
      this.byte(n === 0 ? low : low | 0x80);
    } while (n !== 0);
    return this;
  }

  /** Signed LEB128 (i32.const, i64.const, block type indices). */
  sleb(value: bigint): this {
    for (;;) {
      const low = Number(value & 0x7fn);
      value >>= 7n;
      const done = (value === 0n && (low & 0x40) === 0) || (value === -1n && (low & 0x40) !== 0);
      this.byte(done ? low : low | 0x80);
      if (done) return this;
    }
  }

  /** Little-endian fixed-width integer of `count` bytes (float bits). */
  fixed(bits: bigint, count: number): this {
    for (let k = 0; k < count; k++) this.byte(Number((bits >> BigInt(8 * k)) & 0xffn));
    return this;
  }

  /** Appends another buffer's bytes. */
  append(other: Bytes): this {
    return this.bytes(other.buf.subarray(0, other.length));
  }

  /** A vector of bytes: its length, then the bytes. */
  vec(bs: ArrayLike<number>): this {
    return this.u32(bs.length).bytes(bs);
  }

  /** Drops the bytes from `length` on. */
  truncate(length: number): void {
    this.length = length;
  }

  toArray(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.length);
  }
}

/** An integer literal (`-12`, `0xff`, `1_000`) as a bigint; null when `text` is not one. */
export function parseInteger(text: string): bigint | null {
  const m = /^([+-]?)(0x[0-9a-fA-F](?:_?[0-9a-fA-F])*|[0-9](?:_?[0-9])*)$/.exec(text);
  if (!m) return null;
  const v = BigInt(m[2]!.replace(/_/g, ""));
  return m[1] === "-" ? -v : v;
}

/** An integer literal within [lo, hi]; null otherwise. */
export function integerIn(text: string, lo: bigint, hi: bigint): bigint | null {
  const v = parseInteger(text);
  return v !== null && v >= lo && v <= hi ? v : null;
}

/** The bit layout of float32 and float64. */
export interface FloatFormat {
  /** Significand bits, the implicit one included. */
  p: number;
  expBits: number;
  bytes: 4 | 8;
}

export const F32: FloatFormat = { p: 24, expBits: 8, bytes: 4 };
export const F64: FloatFormat = { p: 53, expBits: 11, bytes: 8 };

const bitLength = (n: bigint): number => n.toString(2).length;

/**
 * The bits of num/den (> 0) rounded to nearest, ties to even, in `f`; null when it overflows.
 * The significand q and exponent e satisfy value ≈ q·2^e with 2^(p−1) ≤ q < 2^p (normal) or
 * e at its minimum (subnormal).
 */
function roundRational(num: bigint, den: bigint, f: FloatFormat): bigint | null {
  const bias = 2 ** (f.expBits - 1) - 1;
  const minE = 1 - bias - (f.p - 1);
  const top = 1n << BigInt(f.p);
  const divide = (e: number): [bigint, bigint, bigint] => {
    const n = e < 0 ? num << BigInt(-e) : num;
    const d = e > 0 ? den << BigInt(e) : den;
    return [n / d, n % d, d];
  };
  let e = Math.max(minE, bitLength(num) - bitLength(den) - f.p);
  while (e > minE && divide(e)[0] < top >> 1n) e--;
  while (divide(e)[0] >= top) e++;
  let [q, r, d] = divide(e);
  if (2n * r > d || (2n * r === d && (q & 1n) === 1n)) q++;
  if (q === top) {
    q >>= 1n;
    e++;
  }
  if (q < top >> 1n) return q; // subnormal: biased exponent 0
  const biased = e + (f.p - 1) + bias;
  if (biased >= 2 ** f.expBits - 1) return null;
  return (BigInt(biased) << BigInt(f.p - 1)) | (q - (top >> 1n));
}

const DECIMAL = /^([0-9](?:_?[0-9])*)(?:\.((?:[0-9](?:_?[0-9])*)?))?(?:[eE]([+-]?[0-9](?:_?[0-9])*))?$/;
const HEX = /^0x([0-9a-fA-F](?:_?[0-9a-fA-F])*)(?:\.((?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?))?(?:[pP]([+-]?[0-9](?:_?[0-9])*))?$/;

/** The exact value of an unsigned finite literal as num/den; null when `text` is not one. */
function rational(text: string): [bigint, bigint] | null {
  const dec = DECIMAL.exec(text);
  const hex = dec ? null : HEX.exec(text);
  const m = dec ?? hex;
  if (!m) return null;
  const clean = (s: string | undefined): string => (s ?? "").replace(/_/g, "");
  const frac = clean(m[2]);
  const digits = clean(m[1]) + frac;
  const exp = Number(clean(m[3]) || "0");
  const mant = BigInt(hex ? `0x${digits}` : digits);
  if (mant === 0n) return [0n, 1n];
  // beyond these exponents every float format overflows or underflows to 0 alike
  if (Math.abs(exp) > 100_000) return exp > 0 ? [1n << 100_000n, 1n] : [0n, 1n];
  const [base, shift] = hex ? [2n, exp - 4 * frac.length] : [10n, exp - frac.length];
  return shift >= 0 ? [mant * base ** BigInt(shift), 1n] : [mant, base ** BigInt(-shift)];
}

/** The bits of a float literal (`1.5`, `-0`, `0x1p-3`, `inf`, `nan`, `nan:0x200000`); null if invalid or out of range. */
export function floatBits(text: string, f: FloatFormat): bigint | null {
  const sign = text.startsWith("-") ? 1n << BigInt(8 * f.bytes - 1) : 0n;
  const body = /^[+-]/.test(text) ? text.slice(1) : text;
  const mantBits = BigInt(f.p - 1);
  const expAllOnes = ((1n << BigInt(f.expBits)) - 1n) << mantBits;
  if (body === "inf") return sign | expAllOnes;
  if (body === "nan") return sign | expAllOnes | (1n << (mantBits - 1n));
  if (body.startsWith("nan:0x")) {
    const payload = parseInteger(body.slice(4));
    if (payload === null || payload === 0n || payload >= 1n << mantBits) return null;
    return sign | expAllOnes | payload;
  }
  const r = rational(body);
  if (!r) return null;
  if (r[0] === 0n) return sign;
  const bits = roundRational(r[0], r[1], f);
  return bits === null ? null : sign | bits;
}
