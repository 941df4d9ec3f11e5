# Hand-edited variants of the generated w3 module (784-128-64-10 ReLU, bench/experiments/generated/
# w3-f64.mjs as netc emits it since 17:20: 1×16 register blocks), changing only its two loops over the
# 784 inputs — z_h1 = x·W1 and dL_dW1 = xᵀ·delta_W1 — to measure better loop shapes.
# Run: npx tsx bench/experiments/emit-js.ts && python3 bench/experiments/make-variants-w3.py
src = open("bench/experiments/generated/w3-f64.mjs").read()

FWD_START = "  for (let i = 0; i < 64; i++) {\n    for (let jb = 0; jb < 128; jb += 16) {\n"
FWD_END = "    for (let j = 0; j < 128; j++) {\n      z_h1[i * 128 + j] = b1[j]"
BWD_START = "  dL_dW1.fill(0);\n"

def replace_fwd(text, new):
    # every loop nest (forward() and backprop() each have one) around `const aik = x[...]`
    out, pos = "", 0
    while (a := text.find("const aik = x[i * 784 + k];", pos)) >= 0:
        s = text.rindex(FWD_START, pos, a)
        e = text.index(FWD_END, a)
        out += text[pos:s] + new
        pos = e
    assert pos > 0, "forward loop not found"
    return out + text[pos:]

def replace_bwd(text, new):
    s = text.index(BWD_START)
    e = text.index("\n  }\n", s) + len("\n  }\n")  # the end of the k-loop nest
    assert "const aki = x[" in text[s:e], "backward loop shape changed"
    return text[:s] + new + text[e:]

import re
# the name netc gives δ1 (delta_W1, dL_dz1, … as codegen evolves): the row it keeps in locals
delta = re.search(r"const bk0 = (\w+)\[k \* 128 \+ jb\][^\n]*\n[^\n]*\n\s*const aki = x\[", src).group(1)

# forward: a 4×2 register tile (4 rows of x × 2 columns of W1), k innermost; 8 sums + 4 x + 2 W
# values fit the 16 registers, where 16 sums + x + W do not.
fwd_tile = """  for (let i4 = 0; i4 < 64; i4 += 4) {
    const x0 = i4 * 784;
    for (let j = 0; j < 128; j += 2) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let k = 0; k < 784; k++) {
        const a0 = x[x0 + k], a1 = x[x0 + 784 + k], a2 = x[x0 + 1568 + k], a3 = x[x0 + 2352 + k];
        SKIP
        const w = W1[k * 128 + j];
        const v = W1[k * 128 + j + 1];
        s0 += a0 * w; s1 += a1 * w; s2 += a2 * w; s3 += a3 * w;
        t0 += a0 * v; t1 += a1 * v; t2 += a2 * v; t3 += a3 * v;
      }
      const c = i4 * 128 + j;
      z_h1[c] = s0; z_h1[c + 128] = s1; z_h1[c + 256] = s2; z_h1[c + 384] = s3;
      z_h1[c + 1] = t0; z_h1[c + 129] = t1; z_h1[c + 257] = t2; z_h1[c + 385] = t3;
    }
  }
  for (let i = 0; i < 64; i++) {
"""
# backward: a 2×4 register tile of the gradient with the batch (64) innermost, so each gradient
# entry is written once per step — the emitted k-outer loop reads and writes all 800 KB of it 64 times
bwd_tile = f"""  for (let i = 0; i < 784; i += 2) {{
    for (let j = 0; j < 128; j += 4) {{
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let k = 0; k < 64; k++) {{
        const a0 = x[k * 784 + i], a1 = x[k * 784 + i + 1];
        SKIP
        const d = k * 128 + j;
        const d0 = {delta}[d], d1 = {delta}[d + 1], d2 = {delta}[d + 2], d3 = {delta}[d + 3];
        s0 += a0 * d0; s1 += a0 * d1; s2 += a0 * d2; s3 += a0 * d3;
        t0 += a1 * d0; t1 += a1 * d1; t2 += a1 * d2; t3 += a1 * d3;
      }}
      const g = i * 128 + j;
      dL_dW1[g] = s0; dL_dW1[g + 1] = s1; dL_dW1[g + 2] = s2; dL_dW1[g + 3] = s3;
      dL_dW1[g + 128] = t0; dL_dW1[g + 129] = t1; dL_dW1[g + 130] = t2; dL_dW1[g + 131] = t3;
    }}
  }}
"""
FWD_SKIP = "if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;"
BWD_SKIP = "if (a0 === 0 && a1 === 0) continue;"
# zero skipping in the loops as emitted: MNIST pixels are ~80% zero
skip = src.replace("        const aik = x[i * 784 + k];\n", "        const aik = x[i * 784 + k];\n        if (aik === 0) continue;\n")
skip = skip.replace("        const aki = x[k * 784 + i];\n", "        const aki = x[k * 784 + i];\n        if (aki === 0) continue;\n")
assert skip != src

variants = {
    "w3-f64-skipzero": skip,
    "w3-f64-tilebwd": replace_bwd(src, bwd_tile.replace("SKIP", "")),
    "w3-f64-tiles": replace_bwd(replace_fwd(src, fwd_tile.replace("SKIP", "")), bwd_tile.replace("SKIP", "")),
    "w3-f64-tiles-skipzero": replace_bwd(replace_fwd(src, fwd_tile.replace("SKIP", FWD_SKIP)), bwd_tile.replace("SKIP", BWD_SKIP)),
}
for name, text in variants.items():
    open(f"bench/experiments/generated/{name}.mjs", "w").write(text)
    print(f"bench/experiments/generated/{name}.mjs")

# Zero skipping hoisted out of the column blocks: list the non-zero pixels of a row of x once, then
# every block of 16 columns walks only that list (no test, no mispredicted branch per block).
nz = src.replace("const dL_dW1 = new Float64Array(100352);", "const dL_dW1 = new Float64Array(100352);\nconst nzList = new Int32Array(784);", 1)
fwd_loop = "      for (let k = 0; k < 784; k++) {\n        const aik = x[i * 784 + k];\n"
bwd_loop = "      for (let i = 0; i < 784; i++) {\n        const aki = x[k * 784 + i];\n"
assert nz.count(fwd_loop) == 2 and nz.count(bwd_loop) == 1
nz = nz.replace(fwd_loop, "      for (let t = 0; t < nnz; t++) {\n        const k = nzList[t];\n        const aik = x[i * 784 + k];\n")
nz = nz.replace(bwd_loop, "      for (let t = 0; t < nnz; t++) {\n        const i = nzList[t];\n        const aki = x[k * 784 + i];\n")
build_i = "    let nnz = 0;\n    for (let k = 0; k < 784; k++) if (x[i * 784 + k] !== 0) nzList[nnz++] = k;\n"
build_k = "    let nnz = 0;\n    for (let i = 0; i < 784; i++) if (x[k * 784 + i] !== 0) nzList[nnz++] = i;\n"
points, a = [], nz.find("const aik = x[i * 784 + k];")
while a >= 0:
    points.append(nz.rindex(FWD_START, 0, a) + len("  for (let i = 0; i < 64; i++) {\n"))
    a = nz.find("const aik = x[i * 784 + k];", a + 1)
for p in reversed(points):
    nz = nz[:p] + build_i + nz[p:]
bk = f"  for (let k = 0; k < 64; k++) {{\n    for (let jb = 0; jb < 128; jb += 16) {{\n      const bk0 = {delta}"
assert nz.count(bk) == 1
nz = nz.replace(bk, "  for (let k = 0; k < 64; k++) {\n" + build_k + f"    for (let jb = 0; jb < 128; jb += 16) {{\n      const bk0 = {delta}")
open("bench/experiments/generated/w3-f64-nzlist.mjs", "w").write(nz)
print("bench/experiments/generated/w3-f64-nzlist.mjs")
