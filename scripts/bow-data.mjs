// Writes examples/data/bow_train.csv and bow_test.csv, the token-id data of examples/bow.net:
// "sentences" of T = 6 tokens from a vocabulary of V = 20, labelled 1 when they hold more tokens
// of the first half of the vocabulary ("positive words", 0–9) than of the second (10–19), else 0.
// Deterministic (a fixed linear congruential generator), so the committed files can be rebuilt:
//   node scripts/bow-data.mjs
import { mkdirSync, writeFileSync } from "node:fs";

const T = 6;
const V = 20;
let state = 20261130;
/** The next integer 0..n-1 (Numerical Recipes' LCG; the high bits). */
const next = (n) => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return Math.floor((state / 2 ** 32) * n);
};

function rows(count) {
  const header = [...Array.from({ length: T }, (_, t) => `tok[${t}]`), "y"];
  const lines = [header.join(",")];
  for (let r = 0; r < count; r++) {
    let tokens;
    let positive;
    // ties (3 and 3) are drawn again: every sentence has a clear majority
    do {
      tokens = Array.from({ length: T }, () => next(V));
      positive = tokens.filter((k) => k < V / 2).length;
    } while (positive * 2 === T);
    lines.push([...tokens, positive * 2 > T ? 1 : 0].join(","));
  }
  return lines.join("\n") + "\n";
}

const dir = new URL("../examples/data/", import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL("bow_train.csv", dir), rows(512));
writeFileSync(new URL("bow_test.csv", dir), rows(256));
console.log("wrote examples/data/bow_train.csv (512 rows) and bow_test.csv (256 rows)");
