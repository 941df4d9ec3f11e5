// WAT text → WebAssembly binary: our own encoder (encode.ts, no dependency; it writes the bytes
// wabt's wat2wasm writes, checked by test/codegen/wasm-encode.test.ts), then the engine's own
// validation (WebAssembly.validate, the checks V8 makes before anything runs). A module that does
// not encode (an instruction the table lacks, an unknown name) or does not type-check is an
// internal error at compile time naming the line of the .wat, never a wrong answer at run time.
import { encodeWat } from "./encode.ts";
import type { Mark } from "./encode-body.ts";
import { WatError, type Pos } from "./sexpr.ts";

/** The binary of a WAT module (SIMD enabled), validated. */
export async function assemble(wat: string, name = "model.wat"): Promise<Uint8Array<ArrayBuffer>> {
  return assembleSync(wat, name);
}

export function assembleSync(wat: string, name = "model.wat"): Uint8Array<ArrayBuffer> {
  let encoded;
  try {
    encoded = encodeWat(wat);
  } catch (err) {
    if (err instanceof WatError) throw internal(`the wasm target wrote WebAssembly text the assembler cannot read: ${err.detail}`, wat, name, err.pos);
    throw err;
  }
  const { binary, marks } = encoded;
  if (WebAssembly.validate(binary)) return binary;
  let message = "the engine rejects it";
  try {
    new WebAssembly.Module(binary);
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
  }
  const at = /@\+(\d+)/.exec(message);
  throw internal(`the wasm target wrote a WebAssembly module that does not validate: ${message}`, wat, name, at ? markAt(marks, Number(at[1])) : null);
}

/** The text position of the instruction at or before byte `offset`. */
function markAt(marks: readonly Mark[], offset: number): Pos | null {
  let found: Pos | null = null;
  for (const m of marks) {
    if (m.offset > offset) break;
    found = m.pos;
  }
  return found;
}

/** `internal error: model.wat:LINE:COL: MESSAGE` and the line of text, or without a position. */
function internal(message: string, wat: string, name: string, pos: Pos | null): Error {
  if (!pos) return new Error(`internal error: ${name}: ${message}`);
  const line = wat.split("\n")[pos.line - 1] ?? "";
  return new Error(`internal error: ${name}:${pos.line}:${pos.col}: ${message}\n  ${pos.line} | ${line.trim()}`);
}
