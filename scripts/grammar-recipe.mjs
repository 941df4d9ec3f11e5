// Rewrites grammar/net.recipe.json, the prebuilt form of grammar/net.ohm that src/parse/grammar.ts
// loads in ~2 ms instead of compiling the grammar text (~200 ms). Run after editing net.ohm:
//   node scripts/grammar-recipe.mjs
// (until then netc compiles the text itself, and test/perf/compile-time.test.ts fails).
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { readFileSync, writeFileSync } from "node:fs";

const ohm = createRequire(import.meta.url)("ohm-js");
const grammarUrl = new URL("../grammar/net.ohm", import.meta.url);
const recipeUrl = new URL("../grammar/net.recipe.json", import.meta.url);

const text = readFileSync(grammarUrl, "utf8");
const grammarHash = createHash("sha256").update(text).digest("hex");
const recipe = JSON.parse(ohm.grammar(text).toRecipe());
writeFileSync(recipeUrl, JSON.stringify({ grammarHash, ohmVersion: ohm.version, recipe }) + "\n");
console.log(`wrote ${recipeUrl.pathname}`);
