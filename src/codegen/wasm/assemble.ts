// WAT text → WebAssembly binary, with wabt (the reference toolkit's wat2wasm compiled to wasm,
// 5.5 MB, no native parts). Chosen over an encoder of our own: the text format is what the user
// reads, and wabt checks it (validate) before anything runs, so an emitted module that does not
// type-check is an internal error at compile time, never a wrong answer. wabt is an optional peer
// dependency (installing it would take netc past its install-size budget), loaded on first use:
// the JS target never needs it, and without it the wasm target says how to get it.
import { UsageError } from "../../diagnostics.ts";

type Wabt = Awaited<ReturnType<typeof import("wabt")>>;

let wabt: Promise<Wabt> | null = null;

async function loadWabt(): Promise<Wabt> {
  let factory: () => Promise<Wabt>;
  try {
    factory = (await import("wabt")).default as unknown as () => Promise<Wabt>;
  } catch {
    throw new UsageError("the wasm target needs the wabt package (an optional peer dependency of netc, 5.5 MB): npm install wabt@1.0.39");
  }
  return factory();
}

/** The binary of a WAT module (SIMD enabled), validated. */
export async function assemble(wat: string, name = "model.wat"): Promise<Uint8Array> {
  wabt ??= loadWabt();
  const w = await wabt.catch((err: unknown) => {
    wabt = null;
    throw err;
  });
  const module = w.parseWat(name, wat, { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
