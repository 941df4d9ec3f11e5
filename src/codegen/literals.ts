// Text that goes into generated code verbatim: number literals, JavaScript values (for `meta`),
// and comments that echo source text. Nothing a model file holds can end a comment early or
// start a new statement: line terminators are replaced and `*/` is broken up.

/** A number as a JavaScript expression that evaluates to exactly that double. */
export function numberLiteral(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "(-Infinity)";
  if (Object.is(value, -0)) return "(-0)";
  const text = String(value);
  return value < 0 ? `(${text})` : text;
}

/** A JSON-like value as JavaScript source (strings JSON-escaped, numbers exact, NaN kept). */
export function valueLiteral(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return numberLiteral(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return stringLiteral(value);
  if (Array.isArray(value)) return `[${value.map(valueLiteral).join(", ")}]`;
  if (typeof value === "object") {
    // Only fixed, code-chosen keys reach this path; user-named keys use `record(...)` instead.
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${stringLiteral(k)}: ${valueLiteral(v)}`).join(", ")} }`;
  }
  throw new Error(`cannot write ${typeof value} as a literal`);
}

/** A string literal that is safe anywhere in a module (JSON escaping plus U+2028/U+2029). */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** One line of comment text: no line terminators, no `*\/`, no control characters. */
export function commentText(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029\u0085]/g, " ⏎ ")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "?")
    .replace(/\*\//g, "*\\/")
    .replace(/\t/g, " ")
    .trimEnd();
}

/** A `//` comment line (already indented by the caller). */
export function lineComment(text: string): string {
  return `// ${commentText(text)}`;
}
