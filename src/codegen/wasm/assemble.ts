// WAT text → WebAssembly binary, with wabt (the reference toolkit's wat2wasm compiled to wasm,
// 5.5 MB, no native parts). Chosen over an encoder of our own: the text format is what the user
// reads, and wabt checks it (validate) before anything runs, so an emitted module that does not
// type-check is an internal error at compile time, never a wrong answer. Loaded on first use only:
// the JS target never pays for it.
type Wabt = Awaited<ReturnType<typeof import("wabt")>>;

let wabt: Promise<Wabt> | null = null;

/** The binary of a WAT module (SIMD enabled), validated. */
export async function assemble(wat: string, name = "model.wat"): Promise<Uint8Array> {
  wabt ??= import("wabt").then((m) => (m.default as unknown as () => Promise<Wabt>)());
  const w = await wabt;
  const module = w.parseWat(name, wat, { simd: true });
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
