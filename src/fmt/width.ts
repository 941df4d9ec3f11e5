// The display width of a string, for aligning columns: combining marks take no column, East Asian
// wide and fullwidth characters take two (the ranges of Unicode's East_Asian_Width W and F that
// hold letters), every other character one. Prettier's own width function is not exported from
// its small `prettier/doc` entry point; this one agrees with it on the names netc accepts.
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\ufeff]/u;
const WIDE: [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

export function stringWidth(text: string): number {
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const ch of text) {
    if (ZERO_WIDTH.test(ch)) continue;
    const cp = ch.codePointAt(0)!;
    width += WIDE.some(([lo, hi]) => cp >= lo && cp <= hi) ? 2 : 1;
  }
  return width;
}
