// Every output path (`train --out`, `--plot`, `--resume` written back, `compile -o`) is checked
// before any work starts: a bad one is bad command-line use (exit 2) naming the flag, printed
// before the first line of training — not "internal error" (exit 70) after a finished run.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { netcHere, scratch } from "../contract/helpers.ts";

const tmp = scratch("outputs");
const aFile = tmp.file("a-file", "not a directory\n");
const aDir = join(tmp.dir, "a-dir");
mkdirSync(aDir);
const MODEL = "examples/simple.net";

describe("output paths are checked before work starts", () => {
  it("train --plot naming a file: exit 2 naming --plot, nothing trained, nothing saved", async () => {
    const out = join(tmp.dir, "plot-case.params.json");
    const r = await netcHere("train", MODEL, "--plot", aFile, "--out", out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^netc: error: --plot .*a-file.*is a file, not a directory/m);
    expect(r.stdout).toBe("");
    expect(existsSync(out)).toBe(false);
  });

  it("train --plot under a file: exit 2 before training", async () => {
    const r = await netcHere("train", MODEL, "--plot", join(aFile, "plots"), "--out", join(tmp.dir, "p2.json"));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--plot .*a-file is not a directory/);
    expect(r.stdout).toBe("");
  });

  it("train --out under a file, or naming a directory: exit 2 before training", async () => {
    const under = await netcHere("train", MODEL, "--out", join(aFile, "p.json"));
    expect(under.code, under.stderr).toBe(2);
    expect(under.stderr).toMatch(/--out .*a-file is not a directory/);
    expect(under.stdout).toBe("");
    const dir = await netcHere("train", MODEL, "--out", aDir);
    expect(dir.code, dir.stderr).toBe(2);
    expect(dir.stderr).toMatch(/--out .*a-dir: is a directory/);
    expect(dir.stdout).toBe("");
  });

  it("a good --plot directory that does not exist yet is made, and the plot written", async () => {
    const plots = join(tmp.dir, "new", "plots");
    const r = await netcHere("train", MODEL, "--plot", plots, "--out", join(tmp.dir, "ok.json"), "--quiet");
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(plots, "loss.svg"))).toBe(true);
  });

  it("compile -o naming a file: exit 2 naming -o, before the model is even read", async () => {
    const broken = tmp.file("broken.net", "input x\nf = x +\n");
    const r = await netcHere("compile", broken, "-o", aFile);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^netc: error: -o .*a-file.*is a file, not a directory/m);
  });

  it("compile --emit js -o naming a file (it writes files too): exit 2 before the model is read", async () => {
    const broken = tmp.file("broken2.net", "input x\nf = x +\n");
    const r = await netcHere("compile", broken, "--emit", "js", "-o", aFile);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^netc: error: -o .*a-file.*is a file, not a directory/m);
  });

  it("compile -o into a fresh directory still works", async () => {
    const dir = join(tmp.dir, "gen", "deeper");
    const r = await netcHere("compile", MODEL, "-o", dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(dir, "simple.ts"));
  });
});
