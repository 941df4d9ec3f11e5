// Our WebAssembly assembler (src/codegen/wasm/encode.ts) against wabt's wat2wasm, the reference
// (a devDependency, used only here): every module the wasm target writes — every example and
// bench model in f32 and f64, the random-model test's modules — assembles to the very bytes wabt
// writes; so does every instruction of the opcode table, and float and integer literals at the
// edges of rounding. A module that does not encode or validate is an internal error at its line.
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import wabtInit from "wabt";
import { irOf } from "./support.ts";
import { randomModel } from "./random-model.ts";
import { generateWasm } from "../../src/codegen/wasm/index.ts";
import { assemble } from "../../src/codegen/wasm/assemble.ts";
import { encodeWat } from "../../src/codegen/wasm/encode.ts";
import { OPCODES, type Immediate } from "../../src/codegen/wasm/opcodes.ts";

type Wabt = Awaited<ReturnType<typeof wabtInit>>;
let wabt: Wabt;

beforeAll(async () => {
  wabt = await wabtInit();
});

/** wabt's binary of `wat` (validated unless `validate` is false). */
function wat2wasm(wat: string, validate = true): Uint8Array {
  const m = wabt.parseWat("test.wat", wat, { simd: true, relaxed_simd: true });
  try {
    if (validate) m.validate();
    return m.toBinary({}).buffer;
  } finally {
    m.destroy();
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Every .net model of examples/ and bench/models/, both dtypes (the wasm target computes them all). */
function modelWats(): { name: string; wat: string }[] {
  const out: { name: string; wat: string }[] = [];
  for (const dir of ["examples", "bench/models"]) {
    for (const f of readdirSync(dir).filter((f) => f.endsWith(".net")).sort()) {
      const file = join(dir, f);
      const ir = irOf(readFileSync(file, "utf8"), file);
      for (const dtype of ["f32", "f64"] as const) out.push({ name: `${file} (${dtype})`, wat: generateWasm(ir, { dtype, sourceHash: "test" }).wat });
    }
  }
  return out;
}

describe("the WebAssembly assembler", () => {
  it("writes wabt's bytes for every example and bench model, f32 and f64", () => {
    const wats = modelWats();
    expect(wats.length).toBeGreaterThanOrEqual(30);
    for (const { name, wat } of wats) expect(hex(encodeWat(wat).binary), name).toBe(hex(wat2wasm(wat)));
  }, 60_000);

  it("writes wabt's bytes for the random-model wasm test's modules (same generator and seed)", () => {
    const seeds = fc.sample(fc.integer({ min: 1, max: 2 ** 30 }), { numRuns: 40, seed: 20261130 });
    for (const seed of seeds) {
      const source = randomModel(seed, { named: seed % 2 === 0 });
      const wat = generateWasm(irOf(source, `random-${seed}.net`), { dtype: "f64", sourceHash: "test" }).wat;
      expect(hex(encodeWat(wat).binary), source).toBe(hex(wat2wasm(wat)));
    }
    expect(seeds).toHaveLength(40);
  }, 60_000);

  /** A sample immediate of each kind, in the text format. */
  const SAMPLE: Record<Immediate, string> = {
    none: "",
    memarg: "offset=24",
    memarg_lane: "offset=8 align=1 1",
    lane: "1",
    shuffle: "0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31",
    v128: "i32x4 1 -1 0x7fffffff 4294967295",
    i32: "-123456",
    i64: "-9223372036854775808",
    f32: "0.1",
    f64: "-1.5e-300",
    local: "$l",
    global: "$g",
    func: "$f",
    label: "0",
    br_table: "0 0 0",
    block: "(result i32)",
    else: "",
    end: "",
    memory: "",
    memory2: "",
    data_memory: "$d",
    data: "$d",
    select: "",
    call_indirect: "(type $t)",
  };

  it("encodes every instruction of its table with wabt's opcode and immediates", () => {
    expect(OPCODES.size).toBeGreaterThan(400);
    const mismatched: string[] = [];
    for (const [name, op] of OPCODES) {
      const closes = op.imm === "block" ? "\n end" : "";
      const opens = op.imm === "else" ? "i32.const 0 if\n" : op.imm === "end" ? "block\n" : "";
      const tail = op.imm === "else" ? "\n end" : "";
      const wat = `(module (type $t (func)) (table 1 funcref) (memory 1) (global $g (mut i32) (i32.const 0)) (data $d "x")
        (func $f (local $l i32) ${opens}${name} ${SAMPLE[op.imm]}${closes}${tail}))`;
      // (tables are wabt's only: ours has none, and nothing reads the table section here)
      const ours = encodeWat(wat.replace("(table 1 funcref) ", "")).binary;
      const theirs = wat2wasm(wat, false);
      if (codeSection(ours) !== codeSection(theirs)) mismatched.push(`${name}: ours ${codeSection(ours)}, wabt ${codeSection(theirs)}`);
    }
    expect(mismatched).toEqual([]);
  });

  it("rounds float literals once, to nearest even, as wabt does (float32 and float64)", () => {
    const literals = [
      "0", "-0", "1", "0.1", "-0.3", "3.4028234663852886e38", "3.4028235677973366e38", "1e39", "1e-46", "1.401298464324817e-45",
      "7.006492321624085e-46", "1.1754942807573643e-38", "1.00000005960464477539062500001", "1.000000059604644775390625",
      "1.00000017881393432617187499999", "2.2250738585072011e-308", "4.9406564584124654e-324", "1.7976931348623157e308",
      "0x1p-149", "0x1.fffffep127", "0x1.000001p0", "0x1.0000018p0", "0x.8p1", "1_000.000_1", "inf", "-inf", "nan", "-nan", "nan:0x200000", "nan:0x1",
    ];
    const check = (text: string): void => {
      for (const t of ["f32", "f64"]) {
        const wat = `(module (func (drop (${t}.const ${text}))))`;
        let theirs: string;
        try {
          theirs = hex(wat2wasm(wat, false));
        } catch {
          expect(() => encodeWat(wat), `${t}.const ${text}`).toThrow(/invalid f/);
          continue;
        }
        expect(hex(encodeWat(wat).binary), `${t}.const ${text}`).toBe(theirs);
      }
    };
    for (const text of literals) check(text);
    // and what the wasm target writes: String() of any double
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => check(String(x))),
      { numRuns: 300, seed: 7 },
    );
  });

  it("writes i32 and i64 constants at their edges as wabt does", () => {
    for (const [t, text] of [["i32", "4294967295"], ["i32", "-2147483648"], ["i32", "0x8000_0000"], ["i64", "18446744073709551615"], ["i64", "0x7fffffffffffffff"], ["i64", "-1"]]) {
      const wat = `(module (func (drop (${t}.const ${text}))))`;
      expect(hex(encodeWat(wat).binary), `${t}.const ${text}`).toBe(hex(wat2wasm(wat, false)));
    }
  });

  it("reads flat instructions, labels, globals, data, imports and exports as wabt does", () => {
    const wat = `(module
      (import "env" "g" (global $ig i32))
      (import "math" "pow" (func $pow (param f64 f64) (result f64)))
      (type $unary (func (param f64) (result f64)))
      (memory $m (export "mem") 1 2)
      (global $g (mut f64) (f64.const 2.5))
      (data (i32.const 16) "ab\\01\\ff" "c")
      (func $sq (export "sq") (type $unary) (param $x f64) (result f64)
        local.get $x
        local.get 0
        f64.mul)
      (func (export "loop") (param $n i32) (result i32) (local $i i32) (local $acc i32)
        block $out
          loop $top
            (br_if $out (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $acc (i32.add (local.get $acc) (global.get $ig)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            br $top
          end
        end
        (if (local.get $n) (then (nop)) (else))
        (if (result i32) (i32.eqz (local.get $acc)) (then (i32.const 7)) (else (local.get $acc))))
      (export "g" (global $g))
      (func $init (global.set $g (f64.const 1)))
      (start $init))`;
    const binary = encodeWat(wat).binary;
    expect(hex(binary)).toBe(hex(wat2wasm(wat)));
    expect(WebAssembly.validate(binary)).toBe(true);
  });

  it("names an instruction it does not know, at its line and column of the .wat", async () => {
    const wat = "(module\n  (func (result f32)\n    (f32.fma (f32.const 1) (f32.const 2))))\n";
    await expect(assemble(wat, "m.wat")).rejects.toThrow("internal error: m.wat:3:6: the wasm target wrote WebAssembly text the assembler cannot read: unknown WebAssembly instruction 'f32.fma'");
  });

  it("rejects a module that does not validate as an internal error at the instruction's line", async () => {
    const wat = "(module\n  (func (result f32)\n    (f32.add\n      (f32.const 1)\n      (f64.const 2))))\n";
    await expect(assemble(wat, "m.wat")).rejects.toThrow(/^internal error: m\.wat:[345]:\d+: the wasm target wrote a WebAssembly module that does not validate: .*f32\.add/);
  });
});

/** The code section's bytes as hex (the part an instruction changes). */
function codeSection(binary: Uint8Array): string {
  let i = 8;
  while (i < binary.length) {
    const id = binary[i]!;
    let size = 0;
    let shift = 0;
    let k = i + 1;
    for (;;) {
      const b = binary[k++]!;
      size |= (b & 0x7f) << shift;
      shift += 7;
      if (b < 0x80) break;
    }
    if (id === 10) return hex(binary.subarray(k, k + size));
    i = k + size;
  }
  return "";
}
