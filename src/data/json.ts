// Values files as data: a JSON object from names to numbers or nested arrays (the values format of
// LANGUAGE.md). For a name the model feeds in minibatches, the first dimension counts samples.
// Errors name the file, the entry and the element (`data.json: x[3][1]: expected a number`).
import { DataError } from "../diagnostics.ts";
import { flattenNested, shapeOfNested } from "../runtime/tensors.ts";
import type { DataSource, DataTensor } from "../runtime/dataset.ts";

/** Line and column (1-based) of a character offset, for JSON syntax errors. */
export function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      col = 1;
    } else col++;
  }
  return { line, col };
}

export function parseJsonText(text: string, file: string): unknown {
  text = text.replace(/^\uFEFF/, ""); // a byte-order mark (Windows editors write one) is not JSON, but harmless
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const m = /position (\d+)/.exec(msg);
    const where = m ? (({ line, col }) => `:${line}:${col}`)(lineCol(text, Number(m[1]))) : "";
    throw new DataError(`${file}${where}: not valid JSON (${msg.replace(/ in JSON at position \d+.*$/, "")})`);
  }
}

export function parseValuesObject(value: unknown, file: string): DataSource {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new DataError(`${file}: expected a JSON object from names to numbers or arrays`);
  }
  const tensors = new Map<string, DataTensor>();
  for (const name of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[name];
    const shaped = shapeOfNested(v);
    if ("error" in shaped) throw new DataError(`${file}: ${name}: ${shaped.error}`);
    const flat = flattenNested(v, shaped.shape);
    if ("error" in flat) throw new DataError(`${file}: ${name}${flat.error.startsWith("value") ? flat.error.slice(5) : flat.error}`);
    const shape = shaped.shape;
    const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
    tensors.set(name, {
      name,
      data: flat.data,
      shape,
      locate: (k) => `${name}${strides.map((s, i) => `[${Math.floor(k / s) % shape[i]!}]`).join("")}`,
    });
  }
  return { origin: file, tensors, positional: false };
}

export function loadJsonData(text: string, file: string): DataSource {
  return parseValuesObject(parseJsonText(text, file), file);
}
