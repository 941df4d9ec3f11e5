// The checker's name table: every top-level name with what it is (dim, data, param, binding, def),
// where it was declared, and in what order, so that a name is visible only after its declaration.
import type { DiagnosticBag, Span } from "../diagnostics.ts";
import type { OpDef } from "../ops/types.ts";
import type { Expr, Ident } from "../parse/ast.ts";
import type { Shape } from "./model.ts";

interface Base {
  name: string;
  span: Span;
  /** Position in declaration order: a def body sees only entries with a smaller order. */
  order: number;
}

export type Entry =
  | (Base & { kind: "dim"; value: number })
  // A null shape: the declaration had an error, already reported; uses of it stay silent.
  // `indexRows`: the input holds row numbers for take(E, idx): integers 0 to indexRows - 1
  | (Base & { kind: "input" | "target" | "param"; shape: Shape | null; dims?: readonly (string | null)[]; used: boolean; indexRows?: number })
  // `source`: the bound expression as written, for hints (`mean(a, 1)` → `mean(a, 1, keepdims = true)`)
  | (Base & { kind: "binding"; role: "plain" | "output" | "loss"; shape: Shape | null; dims?: readonly (string | null)[]; source?: Expr })
  | (Base & { kind: "def"; params: Ident[]; body: Expr; broken: boolean });

/** An entry before it is stamped with its order (distributes over the kinds). */
export type NewEntry = Entry extends infer E ? (E extends Entry ? Omit<E, "order"> : never) : never;

export const KIND_WORDS: Record<Entry["kind"], string> = {
  dim: "a dim",
  input: "an input",
  target: "a target",
  param: "a param",
  binding: "a binding",
  def: "a function",
};

export class Env {
  private readonly entries = new Map<string, Entry>();
  private nextOrder = 0;

  get(name: string): Entry | undefined {
    return this.entries.get(name);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Adds an entry, stamping its declaration order. */
  add(entry: NewEntry): Entry {
    const full = { ...entry, order: this.nextOrder++ } as Entry;
    this.entries.set(full.name, full);
    return full;
  }

  /** The order the next declaration will get. */
  get order(): number {
    return this.nextOrder;
  }

  names(): IterableIterator<string> {
    return this.entries.keys();
  }

  values(): IterableIterator<Entry> {
    return this.entries.values();
  }
}

/** What checking an expression needs besides the expression. */
export interface CheckContext {
  source: string;
  bag: DiagnosticBag;
  env: Env;
  /** Built-in function name → the op it denotes. */
  builtins: ReadonlyMap<string, OpDef>;
  /** Where each top-level name is (first) declared in the whole file, for "used before defined". */
  declared: ReadonlyMap<string, Span>;
  /** Inlined def calls so far (a guard against exponential inlining). */
  inlined: number;
  /** Dropouts numbered so far: each call (inlined calls included) gets its own mask. */
  dropouts: number;
}
