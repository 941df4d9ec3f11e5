// Comparing arrays of numbers with a tolerance, failing with a message that shows the case (the
// model or op, its values), the expected and the actual numbers, and where they differ most.
export interface Tol {
  /** |actual − expected| ≤ atol + rtol · |expected| */
  atol: number;
  rtol: number;
}

/** float32 engines (TensorFlow.js CPU) against float64 netc. */
export const FLOAT32: Tol = { atol: 1e-4, rtol: 1e-4 };

const list = (v: ArrayLike<number>): string => {
  const a = Array.from(v, (x) => Number(x.toPrecision(8)));
  return a.length > 24 ? `[${a.slice(0, 24).join(", ")}, … (${a.length} values)]` : `[${a.join(", ")}]`;
};

/** Throws (failing the test) unless every element is close; `what` names the quantity, `context` the case. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: Tol, what: string, context: () => string): void {
  let worst = -1;
  let worstExcess = 0;
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} values, expected ${expected.length}\n${context()}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const excess = Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst < 0) return;
  throw new Error(
    [
      `${what} differs at element ${worst}: actual ${actual[worst]}, expected ${expected[worst]} (tolerance ${tol.atol} + ${tol.rtol}·|expected|)`,
      context(),
      `  expected ${list(expected)}`,
      `  actual   ${list(actual)}`,
    ].join("\n"),
  );
}
