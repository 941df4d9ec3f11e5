// Loads the .net grammar once and hands out the compiled ohm grammar. Compiling grammar/net.ohm
// from its text costs ~200 ms per process, so the prebuilt recipe grammar/net.recipe.json
// (scripts/grammar-recipe.mjs writes it) is used when it was built from exactly this grammar text
// by this ohm version (~2 ms); otherwise the text is compiled as before. ohm is loaded through
// require (its single-file CommonJS build), which is quicker to load than its many ES modules.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type * as ohm from "ohm-js";

/** ohm's exports as used here (`makeRecipe` is public at run time but missing from its typings). */
type Ohm = typeof ohm & { makeRecipe(recipe: unknown): ohm.Grammar };

/** grammar/ of the package: two levels up from src/parse/ in a checkout, one up from dist/ when built. */
const GRAMMAR_DIR = [new URL("../../grammar/", import.meta.url), new URL("../grammar/", import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(join(dir, "net.ohm")));
const GRAMMAR_PATH = join(GRAMMAR_DIR ?? "grammar", "net.ohm");
const RECIPE_PATH = join(GRAMMAR_DIR ?? "grammar", "net.recipe.json");

interface StoredRecipe {
  grammarHash: string;
  ohmVersion: string;
  recipe: unknown;
}

let cached: ohm.Grammar | null = null;

export function grammarHash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The stored recipe, if it is the one for `text` under this ohm version. */
function storedRecipe(text: string, version: string): unknown | null {
  let stored: StoredRecipe;
  try {
    stored = JSON.parse(readFileSync(RECIPE_PATH, "utf8")) as StoredRecipe;
  } catch {
    return null;
  }
  return stored.grammarHash === grammarHash(text) && stored.ohmVersion === version ? stored.recipe : null;
}

/** Whether grammar/net.recipe.json is current (so netGrammar() skips compiling the text). */
export function recipeIsCurrent(): boolean {
  const lib = createRequire(import.meta.url)("ohm-js") as Ohm;
  return storedRecipe(readFileSync(GRAMMAR_PATH, "utf8"), lib.version) !== null;
}

/** The grammar compiled from grammar/net.ohm's text, ignoring the stored recipe. */
export function grammarFromText(): ohm.Grammar {
  const lib = createRequire(import.meta.url)("ohm-js") as Ohm;
  return lib.grammar(readFileSync(GRAMMAR_PATH, "utf8"));
}

export function netGrammar(): ohm.Grammar {
  if (!cached) {
    const lib = createRequire(import.meta.url)("ohm-js") as Ohm;
    const text = readFileSync(GRAMMAR_PATH, "utf8");
    const recipe = storedRecipe(text, lib.version);
    cached = recipe !== null ? (lib.makeRecipe(recipe)) : lib.grammar(text);
  }
  return cached;
}
