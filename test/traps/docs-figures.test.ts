// The docs' figures come from scripts/docs-figures.ts (`npm run docs:figures`), which reruns the
// commands. This fast check runs nothing: every `<!-- figures:NAME -->` region in README.md and
// docs/*.md has an entry in the script's REGIONS, and every entry has exactly one pair of markers
// in its file, in order — so a region added to a doc, or renamed, cannot be silently skipped.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { REGIONS, closeMarker, docFiles, markersIn, openMarker, replaceRegion } from "../../scripts/docs-figures.ts";

describe("docs figures regions", () => {
  it("the script's regions and the docs' markers match one to one", () => {
    const found: string[] = [];
    for (const file of docFiles()) {
      const text = readFileSync(file, "utf8");
      const { open, close } = markersIn(text);
      expect(close, file).toEqual(open);
      for (const name of open) {
        expect(text.indexOf(openMarker(name)), name).toBeLessThan(text.indexOf(closeMarker(name)));
        const region = REGIONS.find((r) => r.name === name);
        expect(region, `${file} has region ${name}, which scripts/docs-figures.ts does not know`).toBeDefined();
        expect(region!.file, name).toBe(file);
        found.push(name);
      }
    }
    expect(found.sort()).toEqual(REGIONS.map((r) => r.name).sort());
  });

  it("replacing a region keeps everything outside it, block and inline", () => {
    const doc = "a\n<!-- figures:x -->\nold\n<!-- /figures:x -->\nb <!-- figures:y -->12 ms<!-- /figures:y --> c\n";
    const once = replaceRegion(replaceRegion(doc, "x", "new\nlines"), "y", "9 ms");
    expect(once).toBe("a\n<!-- figures:x -->\nnew\nlines\n<!-- /figures:x -->\nb <!-- figures:y -->9 ms<!-- /figures:y --> c\n");
    expect(replaceRegion(once, "x", "new\nlines")).toBe(once);
    expect(() => replaceRegion(doc, "z", "")).toThrow(/region z/);
  });
});
