// The instruction table of the WebAssembly binary format: every instruction's name, its opcode
// bytes (a prefix byte 0xFC or 0xFD then the LEB128 sub-opcode, for the saturating, bulk-memory
// and SIMD instructions) and the kind of its immediates. It covers the whole core instruction set
// (control, variables, memory, numeric, conversions, sign extension, saturating truncation, bulk
// memory) and all of 128-bit SIMD and relaxed SIMD, so whatever WAT the wasm target emits encodes
// without touching this file; test/codegen/wasm-encode.test.ts checks every row against wabt.
// Stack types are not here: the engine validates the module (assemble.ts).

/** What follows an instruction's opcode. */
export type Immediate =
  | "none"
  /** `offset=N align=N`, the alignment given by default as the natural one (`align` below). */
  | "memarg"
  /** A memarg, then a lane index. */
  | "memarg_lane"
  /** A lane index (one byte). */
  | "lane"
  /** Sixteen lane indices. */
  | "shuffle"
  | "v128"
  | "i32"
  | "i64"
  | "f32"
  | "f64"
  | "local"
  | "global"
  | "func"
  /** A branch target: a label name or depth. */
  | "label"
  | "br_table"
  /** block, loop and if: an optional label, then a block type. */
  | "block"
  | "else"
  | "end"
  /** An optional memory index (0), written as one byte. */
  | "memory"
  /** memory.copy: two memory indices. */
  | "memory2"
  /** memory.init: a data segment, then the memory. */
  | "data_memory"
  | "data"
  /** select: optional `(result t)`. */
  | "select"
  | "call_indirect";

export interface Opcode {
  /** The opcode: one byte, or a prefix and its LEB128 sub-opcode. */
  code: readonly number[];
  imm: Immediate;
  /** log2 of the natural alignment of a memory access. */
  align?: number;
}

const table = new Map<string, Opcode>();

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    const low = n & 0x7f;
    n >>>= 7;
    out.push(n === 0 ? low : low | 0x80);
  } while (n !== 0);
  return out;
}

/** Instructions at consecutive opcodes from `first` (`-` skips a reserved one), all with `imm`. */
function run(prefix: number | null, first: number, imm: Immediate, names: string): void {
  names
    .trim()
    .split(/\s+/)
    .forEach((name, k) => {
      if (name !== "-") table.set(name, { code: prefix === null ? [first + k] : [prefix, ...leb(first + k)], imm });
    });
}

/** Memory accesses: `name:align` pairs at consecutive opcodes. */
function memory(prefix: number | null, first: number, imm: Immediate, names: string): void {
  run(prefix, first, imm, names.replace(/:\d/g, ""));
  for (const entry of names.trim().split(/\s+/)) {
    const [name, align] = entry.split(":");
    table.set(name!, { ...table.get(name!)!, align: Number(align) });
  }
}

const FC = 0xfc;
const FD = 0xfd;

// control
run(null, 0x00, "none", "unreachable nop");
run(null, 0x02, "block", "block loop if");
run(null, 0x05, "else", "else");
run(null, 0x0b, "end", "end");
run(null, 0x0c, "label", "br br_if");
run(null, 0x0e, "br_table", "br_table");
run(null, 0x0f, "none", "return");
run(null, 0x10, "func", "call");
run(null, 0x11, "call_indirect", "call_indirect");
run(null, 0x1a, "none", "drop");
run(null, 0x1b, "select", "select");
// variables
run(null, 0x20, "local", "local.get local.set local.tee");
run(null, 0x23, "global", "global.get global.set");
// memory
memory(null, 0x28, "memarg", `
  i32.load:2 i64.load:3 f32.load:2 f64.load:3
  i32.load8_s:0 i32.load8_u:0 i32.load16_s:1 i32.load16_u:1
  i64.load8_s:0 i64.load8_u:0 i64.load16_s:1 i64.load16_u:1 i64.load32_s:2 i64.load32_u:2
  i32.store:2 i64.store:3 f32.store:2 f64.store:3
  i32.store8:0 i32.store16:1 i64.store8:0 i64.store16:1 i64.store32:2`);
run(null, 0x3f, "memory", "memory.size memory.grow");
// constants
run(null, 0x41, "i32", "i32.const");
run(null, 0x42, "i64", "i64.const");
run(null, 0x43, "f32", "f32.const");
run(null, 0x44, "f64", "f64.const");
// comparisons, arithmetic, conversions, sign extension: no immediates, 0x45 to 0xc4
run(null, 0x45, "none", `
  i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u i32.le_s i32.le_u i32.ge_s i32.ge_u
  i64.eqz i64.eq i64.ne i64.lt_s i64.lt_u i64.gt_s i64.gt_u i64.le_s i64.le_u i64.ge_s i64.ge_u
  f32.eq f32.ne f32.lt f32.gt f32.le f32.ge
  f64.eq f64.ne f64.lt f64.gt f64.le f64.ge
  i32.clz i32.ctz i32.popcnt i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
  i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
  i64.clz i64.ctz i64.popcnt i64.add i64.sub i64.mul i64.div_s i64.div_u i64.rem_s i64.rem_u
  i64.and i64.or i64.xor i64.shl i64.shr_s i64.shr_u i64.rotl i64.rotr
  f32.abs f32.neg f32.ceil f32.floor f32.trunc f32.nearest f32.sqrt
  f32.add f32.sub f32.mul f32.div f32.min f32.max f32.copysign
  f64.abs f64.neg f64.ceil f64.floor f64.trunc f64.nearest f64.sqrt
  f64.add f64.sub f64.mul f64.div f64.min f64.max f64.copysign
  i32.wrap_i64 i32.trunc_f32_s i32.trunc_f32_u i32.trunc_f64_s i32.trunc_f64_u
  i64.extend_i32_s i64.extend_i32_u i64.trunc_f32_s i64.trunc_f32_u i64.trunc_f64_s i64.trunc_f64_u
  f32.convert_i32_s f32.convert_i32_u f32.convert_i64_s f32.convert_i64_u f32.demote_f64
  f64.convert_i32_s f64.convert_i32_u f64.convert_i64_s f64.convert_i64_u f64.promote_f32
  i32.reinterpret_f32 i64.reinterpret_f64 f32.reinterpret_i32 f64.reinterpret_i64
  i32.extend8_s i32.extend16_s i64.extend8_s i64.extend16_s i64.extend32_s`);
// saturating truncation and bulk memory (0xfc)
run(FC, 0, "none", `
  i32.trunc_sat_f32_s i32.trunc_sat_f32_u i32.trunc_sat_f64_s i32.trunc_sat_f64_u
  i64.trunc_sat_f32_s i64.trunc_sat_f32_u i64.trunc_sat_f64_s i64.trunc_sat_f64_u`);
run(FC, 8, "data_memory", "memory.init");
run(FC, 9, "data", "data.drop");
run(FC, 10, "memory2", "memory.copy");
run(FC, 11, "memory", "memory.fill");
// 128-bit SIMD (0xfd)
memory(FD, 0, "memarg", `
  v128.load:4 v128.load8x8_s:3 v128.load8x8_u:3 v128.load16x4_s:3 v128.load16x4_u:3
  v128.load32x2_s:3 v128.load32x2_u:3 v128.load8_splat:0 v128.load16_splat:1 v128.load32_splat:2
  v128.load64_splat:3 v128.store:4`);
run(FD, 12, "v128", "v128.const");
run(FD, 13, "shuffle", "i8x16.shuffle");
run(FD, 14, "none", "i8x16.swizzle i8x16.splat i16x8.splat i32x4.splat i64x2.splat f32x4.splat f64x2.splat");
run(FD, 21, "lane", `
  i8x16.extract_lane_s i8x16.extract_lane_u i8x16.replace_lane
  i16x8.extract_lane_s i16x8.extract_lane_u i16x8.replace_lane
  i32x4.extract_lane i32x4.replace_lane i64x2.extract_lane i64x2.replace_lane
  f32x4.extract_lane f32x4.replace_lane f64x2.extract_lane f64x2.replace_lane`);
run(FD, 35, "none", `
  i8x16.eq i8x16.ne i8x16.lt_s i8x16.lt_u i8x16.gt_s i8x16.gt_u i8x16.le_s i8x16.le_u i8x16.ge_s i8x16.ge_u
  i16x8.eq i16x8.ne i16x8.lt_s i16x8.lt_u i16x8.gt_s i16x8.gt_u i16x8.le_s i16x8.le_u i16x8.ge_s i16x8.ge_u
  i32x4.eq i32x4.ne i32x4.lt_s i32x4.lt_u i32x4.gt_s i32x4.gt_u i32x4.le_s i32x4.le_u i32x4.ge_s i32x4.ge_u
  f32x4.eq f32x4.ne f32x4.lt f32x4.gt f32x4.le f32x4.ge
  f64x2.eq f64x2.ne f64x2.lt f64x2.gt f64x2.le f64x2.ge
  v128.not v128.and v128.andnot v128.or v128.xor v128.bitselect v128.any_true`);
memory(FD, 84, "memarg_lane", `
  v128.load8_lane:0 v128.load16_lane:1 v128.load32_lane:2 v128.load64_lane:3
  v128.store8_lane:0 v128.store16_lane:1 v128.store32_lane:2 v128.store64_lane:3`);
memory(FD, 92, "memarg", "v128.load32_zero:2 v128.load64_zero:3");
run(FD, 94, "none", `
  f32x4.demote_f64x2_zero f64x2.promote_low_f32x4
  i8x16.abs i8x16.neg i8x16.popcnt i8x16.all_true i8x16.bitmask i8x16.narrow_i16x8_s i8x16.narrow_i16x8_u
  f32x4.ceil f32x4.floor f32x4.trunc f32x4.nearest
  i8x16.shl i8x16.shr_s i8x16.shr_u i8x16.add i8x16.add_sat_s i8x16.add_sat_u
  i8x16.sub i8x16.sub_sat_s i8x16.sub_sat_u f64x2.ceil f64x2.floor
  i8x16.min_s i8x16.min_u i8x16.max_s i8x16.max_u f64x2.trunc i8x16.avgr_u
  i16x8.extadd_pairwise_i8x16_s i16x8.extadd_pairwise_i8x16_u i32x4.extadd_pairwise_i16x8_s i32x4.extadd_pairwise_i16x8_u
  i16x8.abs i16x8.neg i16x8.q15mulr_sat_s i16x8.all_true i16x8.bitmask i16x8.narrow_i32x4_s i16x8.narrow_i32x4_u
  i16x8.extend_low_i8x16_s i16x8.extend_high_i8x16_s i16x8.extend_low_i8x16_u i16x8.extend_high_i8x16_u
  i16x8.shl i16x8.shr_s i16x8.shr_u i16x8.add i16x8.add_sat_s i16x8.add_sat_u
  i16x8.sub i16x8.sub_sat_s i16x8.sub_sat_u f64x2.nearest
  i16x8.mul i16x8.min_s i16x8.min_u i16x8.max_s i16x8.max_u - i16x8.avgr_u
  i16x8.extmul_low_i8x16_s i16x8.extmul_high_i8x16_s i16x8.extmul_low_i8x16_u i16x8.extmul_high_i8x16_u
  i32x4.abs i32x4.neg - i32x4.all_true i32x4.bitmask - -
  i32x4.extend_low_i16x8_s i32x4.extend_high_i16x8_s i32x4.extend_low_i16x8_u i32x4.extend_high_i16x8_u
  i32x4.shl i32x4.shr_s i32x4.shr_u i32x4.add - - i32x4.sub - - -
  i32x4.mul i32x4.min_s i32x4.min_u i32x4.max_s i32x4.max_u i32x4.dot_i16x8_s -
  i32x4.extmul_low_i16x8_s i32x4.extmul_high_i16x8_s i32x4.extmul_low_i16x8_u i32x4.extmul_high_i16x8_u
  i64x2.abs i64x2.neg - i64x2.all_true i64x2.bitmask - -
  i64x2.extend_low_i32x4_s i64x2.extend_high_i32x4_s i64x2.extend_low_i32x4_u i64x2.extend_high_i32x4_u
  i64x2.shl i64x2.shr_s i64x2.shr_u i64x2.add - - i64x2.sub - - -
  i64x2.mul i64x2.eq i64x2.ne i64x2.lt_s i64x2.gt_s i64x2.le_s i64x2.ge_s
  i64x2.extmul_low_i32x4_s i64x2.extmul_high_i32x4_s i64x2.extmul_low_i32x4_u i64x2.extmul_high_i32x4_u
  f32x4.abs f32x4.neg - f32x4.sqrt f32x4.add f32x4.sub f32x4.mul f32x4.div
  f32x4.min f32x4.max f32x4.pmin f32x4.pmax
  f64x2.abs f64x2.neg - f64x2.sqrt f64x2.add f64x2.sub f64x2.mul f64x2.div
  f64x2.min f64x2.max f64x2.pmin f64x2.pmax
  i32x4.trunc_sat_f32x4_s i32x4.trunc_sat_f32x4_u f32x4.convert_i32x4_s f32x4.convert_i32x4_u
  i32x4.trunc_sat_f64x2_s_zero i32x4.trunc_sat_f64x2_u_zero f64x2.convert_low_i32x4_s f64x2.convert_low_i32x4_u`);
// relaxed SIMD (0xfd 0x100 on)
run(FD, 0x100, "none", `
  i8x16.relaxed_swizzle
  i32x4.relaxed_trunc_f32x4_s i32x4.relaxed_trunc_f32x4_u i32x4.relaxed_trunc_f64x2_s_zero i32x4.relaxed_trunc_f64x2_u_zero
  f32x4.relaxed_madd f32x4.relaxed_nmadd f64x2.relaxed_madd f64x2.relaxed_nmadd
  i8x16.relaxed_laneselect i16x8.relaxed_laneselect i32x4.relaxed_laneselect i64x2.relaxed_laneselect
  f32x4.relaxed_min f32x4.relaxed_max f64x2.relaxed_min f64x2.relaxed_max
  i16x8.relaxed_q15mulr_s i16x8.relaxed_dot_i8x16_i7x16_s i32x4.relaxed_dot_i8x16_i7x16_add_s`);

/** Every instruction by name. */
export const OPCODES: ReadonlyMap<string, Opcode> = table;

/** The value types of the binary format. */
export const VALUE_TYPES: Readonly<Record<string, number>> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f };
