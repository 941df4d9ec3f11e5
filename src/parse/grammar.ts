// Loads grammar/net.ohm once, relative to this module, and hands out the compiled grammar.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as ohm from "ohm-js";

let cached: ohm.Grammar | null = null;

export function netGrammar(): ohm.Grammar {
  if (!cached) {
    const path = fileURLToPath(new URL("../../grammar/net.ohm", import.meta.url));
    cached = ohm.grammar(readFileSync(path, "utf8"));
  }
  return cached;
}
