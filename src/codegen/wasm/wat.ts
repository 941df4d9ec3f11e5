// WebAssembly text (WAT) for the wasm target: number types, literals, linear index arithmetic and
// a function builder that declares locals and writes counted loops. Everything here is folded
// S-expressions, one statement per line, so the emitted .wat reads top to bottom like the TS.
import { lineComment } from "../literals.ts";
import type { Dtype } from "../../runtime/contract.ts";

/** The scalar and vector types of one dtype: f32 with f32x4, f64 with f64x2. */
export interface Num {
  t: "f32" | "f64";
  /** The SIMD shape: `f32x4` or `f64x2`. */
  v: "f32x4" | "f64x2";
  bytes: 4 | 8;
  /** Lanes per 128-bit vector. */
  lanes: 4 | 2;
  shift: 2 | 3;
}

export function numOf(dtype: Dtype): Num {
  return dtype === "f32" ? { t: "f32", v: "f32x4", bytes: 4, lanes: 4, shift: 2 } : { t: "f64", v: "f64x2", bytes: 8, lanes: 2, shift: 3 };
}

/** A float literal in WAT syntax (`1.5`, `-0`, `inf`, `nan`), exact for the dtype. */
export function floatLiteral(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (value === Infinity) return "inf";
  if (value === -Infinity) return "-inf";
  if (Object.is(value, -0)) return "-0";
  return String(value);
}

/** A float constant; past f32's range an f32 constant is the infinity it rounds to (1e39 → inf), as in the JS target's Float32Array. */
export const fconst = (num: Num, value: number): string => `(${num.t}.const ${floatLiteral(num.t === "f32" && !Number.isFinite(Math.fround(value)) ? Math.fround(value) : value)})`;

/**
 * A linear integer expression Σ local·stride + c, in elements. Constant parts are folded into the
 * `offset=` immediate of a load or store, so `h[i * 15 + 3]` is one multiply and one load.
 */
export interface Lin {
  terms: readonly (readonly [string, number])[];
  c: number;
}

export const linConst = (c: number): Lin => ({ terms: [], c });
export const linVar = (v: string): Lin => ({ terms: [[v, 1]], c: 0 });

/** Σ of (Lin or local, stride) pairs; a number term is a constant. */
export function lin(parts: readonly (readonly [Lin | string | number, number])[]): Lin {
  const terms: [string, number][] = [];
  let c = 0;
  for (const [p, stride] of parts) {
    if (stride === 0) continue;
    if (typeof p === "number") c += p * stride;
    else if (typeof p === "string") terms.push([p, stride]);
    else {
      c += p.c * stride;
      for (const [v, s] of p.terms) terms.push([v, s * stride]);
    }
  }
  // merge repeated locals
  const merged = new Map<string, number>();
  for (const [v, s] of terms) merged.set(v, (merged.get(v) ?? 0) + s);
  return { terms: [...merged].filter(([, s]) => s !== 0), c };
}

/** The dynamic part of a Lin as an i32 expression (null when it is constant). */
export function linDynamic(l: Lin): string | null {
  if (l.terms.length === 0) return null;
  const parts = l.terms.map(([v, s]) => (s === 1 ? `(local.get $${v})` : `(i32.mul (local.get $${v}) (i32.const ${s}))`));
  return parts.reduce((a, b) => `(i32.add ${a} ${b})`);
}

/** A Lin as an i32 expression (dynamic part plus constant). */
export function linI32(l: Lin): string {
  const d = linDynamic(l);
  if (d === null) return `(i32.const ${l.c})`;
  return l.c === 0 ? d : `(i32.add ${d} (i32.const ${l.c}))`;
}

/** A byte address `base + index·bytes` as (dynamic i32 expression, static offset). */
export function address(num: Num, base: number, index: Lin): { dyn: string; offset: number } {
  const d = linDynamic(index);
  const offset = base + index.c * num.bytes;
  return { dyn: d === null ? "(i32.const 0)" : `(i32.shl ${d} (i32.const ${num.shift}))`, offset };
}

export function load(num: Num, base: number, index: Lin): string {
  const a = address(num, base, index);
  return `(${num.t}.load offset=${a.offset} ${a.dyn})`;
}

export function store(num: Num, base: number, index: Lin, value: string): string {
  const a = address(num, base, index);
  return `(${num.t}.store offset=${a.offset} ${a.dyn} ${value})`;
}

/** A 128-bit load or store at element `index` of the region at `base`. */
export function vload(num: Num, base: number, index: Lin): string {
  const a = address(num, base, index);
  return `(v128.load offset=${a.offset} ${a.dyn})`;
}

export function vstore(num: Num, base: number, index: Lin, value: string): string {
  const a = address(num, base, index);
  return `(v128.store offset=${a.offset} ${a.dyn} ${value})`;
}

/** A function body under construction: its locals, its lines, and unique loop labels. */
export class WatFunction {
  private readonly locals = new Map<string, string>();
  private readonly body: string[] = [];
  private depth = 2;
  private labels = 0;
  private temps = 0;

  constructor(
    readonly name: string,
    readonly params: readonly (readonly [string, string])[] = [],
    readonly result: string | null = null,
  ) {}

  /** Declares (once) a local of `type` and returns its `$name`-less identifier. */
  local(name: string, type: string): string {
    const had = this.locals.get(name);
    if (had !== undefined && had !== type) throw new Error(`internal error: wasm local ${name} is ${had}, not ${type}`);
    this.locals.set(name, type);
    return name;
  }

  /** A fresh local of `type`. */
  temp(base: string, type: string): string {
    return this.local(`${base}_${this.temps++}`, type);
  }

  line(text: string): this {
    this.body.push("  ".repeat(this.depth) + text);
    return this;
  }

  lines(texts: readonly string[]): this {
    for (const t of texts) this.line(t);
    return this;
  }

  comment(text: string): this {
    return this.line(lineComment(text).replace(/^\/\//, ";;"));
  }

  blank(): this {
    if (this.body.length > 0 && this.body[this.body.length - 1] !== "") this.body.push("");
    return this;
  }

  set(local: string, value: string): this {
    return this.line(`(local.set $${local} ${value})`);
  }

  /**
   * `for (v = from; v < to; v += step) body()` as a do-while loop (shapes are never empty, so
   * every loop runs at least once); `v` is an i32 local.
   */
  loop(v: string, to: number, body: () => void, from = 0, step = 1): this {
    this.local(v, "i32");
    const label = `$L${this.labels++}`;
    this.set(v, `(i32.const ${from})`);
    this.line(`(loop ${label}`);
    this.depth++;
    body();
    this.line(`(br_if ${label} (i32.lt_s (local.tee $${v} (i32.add (local.get $${v}) (i32.const ${step}))) (i32.const ${to})))`);
    this.depth--;
    this.line(")");
    return this;
  }

  /**
   * `for (v = from; v < to; v++) body()` with bounds that are i32 expressions (locals or constants,
   * read again each iteration); an empty range runs nothing. `from` null: v runs on from where it is.
   */
  range(v: string, from: string | null, to: string, body: () => void): this {
    this.local(v, "i32");
    if (from !== null) this.set(v, from);
    return this.when(`(i32.lt_s (local.get $${v}) ${to})`, () => {
      const label = `$L${this.labels++}`;
      this.line(`(loop ${label}`);
      this.depth++;
      body();
      this.line(`(br_if ${label} (i32.lt_s (local.tee $${v} (i32.add (local.get $${v}) (i32.const 1))) ${to}))`);
      this.depth--;
      this.line(")");
    });
  }

  /** `while (cond) body()`: `cond` (an i32 expression) is tested before each pass. */
  whileLoop(cond: string, body: () => void): this {
    return this.when(cond, () => {
      const label = `$L${this.labels++}`;
      this.line(`(loop ${label}`);
      this.depth++;
      body();
      this.line(`(br_if ${label} ${cond})`);
      this.depth--;
      this.line(")");
    });
  }

  /** `if (cond) then()` as a statement. */
  when(cond: string, then: () => void): this {
    this.line(`(if ${cond}`);
    this.depth++;
    this.line("(then");
    this.depth++;
    then();
    this.depth--;
    this.line(")");
    this.depth--;
    this.line(")");
    return this;
  }

  toString(exportName?: string): string {
    const head = [`(func $${this.name}`];
    if (exportName) head.push(`(export "${exportName}")`);
    for (const [n, t] of this.params) head.push(`(param $${n} ${t})`);
    if (this.result) head.push(`(result ${this.result})`);
    const out = [`  ${head.join(" ")}`];
    for (const [n, t] of this.locals) out.push(`    (local $${n} ${t})`);
    out.push(...this.body.filter((l, i, a) => !(l === "" && (i === 0 || a[i - 1] === ""))));
    out.push("  )");
    return out.join("\n");
  }
}
