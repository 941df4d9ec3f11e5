// CSV files as data. The first line is a header of column names; every other non-blank line is
// one sample, one number per column. A column header is either
//   NAME          the value of a scalar-per-sample input or target (or a class index, see below)
//   NAME[i]       element i of a vector-per-sample input or target (NAME[i][j] for matrices)
//   NAMEi         the same as NAME[i] (x0, x1, …, x783), when NAME is an input or target of the model
// A target that expects one-hot rows of width K ≥ 2 may instead be given as one column NAME of
// class indices 0..K-1. Here the file is only split into numbers; binding columns to the model's
// names (and the errors for missing or unknown columns) happens in ../feed.ts.
import { DataError } from "../diagnostics.ts";

export interface CsvTable {
  file: string;
  header: string[];
  /** Row-major numbers, rows × header.length. */
  cells: Float64Array;
  rows: number;
  /** The file line of each row (1-based; the header is line 1). */
  lines: number[];
}

function splitLine(line: string): string[] {
  return line.split(",").map((c) => c.trim().replace(/^"(.*)"$/, "$1").trim());
}

/** Separators people use instead of commas, as an error message names them. */
const OTHER_SEPARATORS: readonly [string, string][] = [[";", "';' (semicolons)"], ["\t", "tabs"], ["|", "'|'"]];

/** A one-column header that holds another separator: the file is not comma-separated. */
function refuseOtherSeparator(headerLine: string, where: string): void {
  const other = OTHER_SEPARATORS.find(([sep]) => headerLine.includes(sep));
  if (!other) return;
  const shown = headerLine.trim().replace(/\t/g, "\\t");
  throw new DataError(
    `${where}: the header '${shown}' is one column separated by ${other[1]}: netc reads comma-separated files; ` +
      `replace each separator with a comma (and any decimal comma, 1,5, with a point, 1.5)`,
  );
}

export function parseCsv(text: string, file: string): CsvTable {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first]!.trim() === "") first++;
  if (first === lines.length) throw new DataError(`${file}: empty CSV file (expected a header row of column names)`);
  const header = splitLine(lines[first]!);
  if (header.length === 1) refuseOtherSeparator(lines[first]!, `${file}:${first + 1}`);
  header.forEach((h, c) => {
    if (h === "") throw new DataError(`${file}:${first + 1}: column ${c + 1} has an empty name in the header row`);
    if (/^[-+.\d]/.test(h) && Number.isFinite(Number(h))) {
      throw new DataError(`${file}:${first + 1}: the first row must be a header of column names; column ${c + 1} is the number ${h}`);
    }
  });
  const seen = new Map<string, number>();
  header.forEach((h, c) => {
    if (seen.has(h)) throw new DataError(`${file}:${first + 1}: column ${c + 1} repeats the name ${h} (column ${seen.get(h)! + 1})`);
    seen.set(h, c);
  });
  const width = header.length;
  const values: number[] = [];
  const rowLines: number[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const cells = splitLine(line);
    if (cells.length !== width) {
      throw new DataError(`${file}:${i + 1}: expected ${width} columns as in the header, found ${cells.length}`);
    }
    for (let c = 0; c < width; c++) {
      const s = cells[c]!;
      const v = s === "" ? NaN : Number(s);
      if (!Number.isFinite(v)) {
        const what = s === "" ? "an empty cell" : `'${s.length > 20 ? s.slice(0, 20) + "…" : s}'`;
        throw new DataError(`${file}:${i + 1}: column ${c + 1} (${header[c]}): ${what} is not a finite number`);
      }
      values.push(v);
    }
    rowLines.push(i + 1);
  }
  return { file, header, cells: Float64Array.from(values), rows: rowLines.length, lines: rowLines };
}

/** What the CSV binder needs to know about each input and target of the model. */
export interface CsvTarget {
  name: string;
  /** The shape of one row (the declared shape without its first dimension; [] for scalars). */
  rowShape: readonly number[];
}

/** Groups a table's columns into one array per model name: [rows, ...rowShape] (or [rows] of class indices). */
export function csvToTensors(table: CsvTable, wanted: readonly CsvTarget[]): Map<string, import("../runtime/dataset.ts").DataTensor> {
  const { file, header, cells, rows, lines } = table;
  const width = header.length;
  const byName = new Map(wanted.map((w) => [w.name, w]));
  const used = new Set<number>();
  const out = new Map<string, import("../runtime/dataset.ts").DataTensor>();
  const locate = (cols: number[]) => (k: number) => {
    const per = cols.length;
    const r = Math.floor(k / per);
    const c = cols[k % per]!;
    return `${file}:${lines[r]}: column ${c + 1} (${header[c]})`;
  };
  for (const w of wanted) {
    const size = w.rowShape.reduce((a, b) => a * b, 1);
    const exact = header.indexOf(w.name);
    let cols: number[] | null = null;
    if (exact >= 0) {
      // One column: the values of a scalar-per-row name, or class indices for a one-hot target
      // (checked against the width in feed.ts).
      cols = [exact];
    } else {
      const found: (number | undefined)[] = new Array(size);
      let any = false;
      header.forEach((h, c) => {
        const k = byName.has(h) ? null : flatIndexOf(h, w);
        if (k !== null) {
          if (k >= size) throw new DataError(`${file}:1: column ${c + 1} (${h}) is out of range for ${w.name}, which has ${size} value${size === 1 ? "" : "s"} per row`);
          found[k] = c;
          any = true;
        }
      });
      if (!any) continue;
      for (let k = 0; k < size; k++) {
        if (found[k] === undefined) {
          throw new DataError(`${file}:1: column ${w.name}${indexText(k, w.rowShape)} is missing (${w.name} has ${size} values per row)`);
        }
      }
      cols = found as number[];
    }
    const data = new Float64Array(rows * cols.length);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols.length; j++) data[r * cols.length + j] = cells[r * width + cols[j]!]!;
    cols.forEach((c) => used.add(c));
    const shape = cols.length === 1 && size !== 1 ? [rows] : [rows, ...w.rowShape];
    out.set(w.name, { name: w.name, data, shape, locate: locate(cols) });
  }
  const unknown = header.filter((_, c) => !used.has(c));
  if (unknown.length > 0) {
    const names = wanted.map((w) => w.name).join(", ");
    throw new DataError(`${file}:1: column${unknown.length > 1 ? "s" : ""} ${unknown.slice(0, 5).join(", ")}${unknown.length > 5 ? ", …" : ""} match${unknown.length > 1 ? "" : "es"} no input or target of the model (${names})`);
  }
  return out;
}

function indexText(k: number, rowShape: readonly number[]): string {
  if (rowShape.length <= 1) return `[${k}]`;
  const idx: number[] = [];
  for (let a = rowShape.length - 1; a >= 0; a--) {
    idx.unshift(k % rowShape[a]!);
    k = Math.floor(k / rowShape[a]!);
  }
  return idx.map((i) => `[${i}]`).join("");
}

/** The flat row index a header names for this model name (`x[3]`, `x[1][2]`, `x3`), or null. */
function flatIndexOf(h: string, w: CsvTarget): number | null {
  const bracket = /^(.+?)((?:\[\s*\d+\s*\])+)$/.exec(h);
  if (bracket && bracket[1] === w.name) {
    const idx = [...bracket[2]!.matchAll(/\d+/g)].map((m) => Number(m[0]));
    if (idx.length === 1) return idx[0]!;
    if (idx.length !== w.rowShape.length) return Number.MAX_SAFE_INTEGER;
    let k = 0;
    for (let a = 0; a < idx.length; a++) {
      if (idx[a]! >= w.rowShape[a]!) return Number.MAX_SAFE_INTEGER;
      k = k * w.rowShape[a]! + idx[a]!;
    }
    return k;
  }
  const digits = /^(.*\D)(\d+)$/.exec(h);
  if (digits && digits[1] === w.name) return Number(digits[2]);
  return null;
}
