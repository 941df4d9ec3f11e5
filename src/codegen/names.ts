// The identifier allocator of generated code. Every identifier a module emits comes from here, so
// names from a model file (which may be `function`, `constructor`, `__proto__` or anything else)
// can never break the syntax, shadow a global the code relies on, or collide with each other.

/** ECMAScript reserved words, strict-mode and module restrictions, and TypeScript's own keywords. */
const KEYWORDS = `
  break case catch class const continue debugger default delete do else enum export extends false
  finally for function if import in instanceof new null return super switch this throw true try
  typeof var void while with yield let static implements interface package private protected
  public await async of get set arguments eval undefined NaN Infinity
  abstract any as asserts bigint boolean declare infer is keyof module namespace never number
  object readonly require string symbol type unique unknown satisfies accessor override out
`;

/** Globals and Object.prototype members: legal as identifiers, but never worth the confusion. */
const GLOBALS = `
  globalThis window self global process console Math Number Object Array Float64Array Float32Array
  Int32Array Uint8Array ArrayBuffer Error TypeError RangeError JSON Symbol String Boolean Date
  RegExp Map Set WeakMap Promise Reflect Proxy BigInt Function exports
  constructor prototype toString toLocaleString valueOf hasOwnProperty isPrototypeOf
  propertyIsEnumerable __proto__ __defineGetter__ __defineSetter__ __lookupGetter__
  __lookupSetter__
`;

export const RESERVED: ReadonlySet<string> = new Set((KEYWORDS + GLOBALS).split(/\s+/).filter(Boolean));

/** Turns any string into something shaped like an identifier (not yet checked for reservation). */
export function identifierShape(raw: string): string {
  // Unicode letters stay (JavaScript allows them: `α`, `δ`); anything else becomes `_`.
  let s = raw.replace(/[^\p{ID_Continue}$]/gu, "_").replace(/[\u200c\u200d]/g, "_");
  if (s === "") s = "_";
  if (!/^[\p{ID_Start}_$]/u.test(s)) s = "_" + s;
  return s;
}

/**
 * Hands out unique identifiers. `reserve` marks names the emitted code uses itself (loop
 * variables, helpers, exports); `fresh` returns the wanted name, shaped and suffixed (`_1`, `_2`…)
 * until it is neither reserved nor taken.
 */
export class NameAllocator {
  private readonly taken = new Set<string>();
  /** Per base name, the suffix to try next: keeps `fresh` linear when many names share a base. */
  private readonly nextSuffix = new Map<string, number>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of RESERVED) this.taken.add(r);
    for (const r of reserved) this.taken.add(r);
  }

  reserve(name: string): void {
    this.taken.add(name);
  }

  isTaken(name: string): boolean {
    return this.taken.has(name);
  }

  fresh(wanted: string): string {
    const base = identifierShape(wanted);
    let name = base;
    let n = this.nextSuffix.get(base) ?? 1;
    if (this.taken.has(name)) {
      do name = `${base}_${n++}`;
      while (this.taken.has(name));
      this.nextSuffix.set(base, n);
    }
    this.taken.add(name);
    return name;
  }
}
