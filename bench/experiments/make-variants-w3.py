# Hand-edited variants of the generated w3 module (784-128-64-10 ReLU), changing only its two hot
# loops — z_h1 = x·W1 (i-k-j) and dL_dW1 = xᵀ·delta_W1 (k-i-j) — to measure better loop shapes.
# Run: python3 bench/experiments/make-variants-w3.py (then time-step.ts w3 on the files it writes)
import re
src = open("bench/experiments/generated/w3-f64.mjs").read()

fwd = re.compile(r"  for \(let i = 0; i < 64; i\+\+\) \{\n    for \(let j = 0; j < 128; j\+\+\) \{\n      z_h1\[i \* 128 \+ j\] = 0;\n    \}\n    for \(let k = 0; k < 784; k\+\+\) \{\n      const (aik(?:_\d+)?) = x\[i \* 784 \+ k\];\n      for \(let j = 0; j < 128; j\+\+\) \{\n        z_h1\[i \* 128 \+ j\] \+= \1 \* W1\[k \* 128 \+ j\];\n      \}\n    \}\n")
bwd = re.compile(r"  dL_dW1\.fill\(0\);\n  for \(let k = 0; k < 64; k\+\+\) \{\n    for \(let i = 0; i < 784; i\+\+\) \{\n      const (aki\w*) = x\[k \* 784 \+ i\];\n      for \(let j = 0; j < 128; j\+\+\) \{\n        dL_dW1\[i \* 128 \+ j\] \+= \1 \* (\w+)\[k \* 128 \+ j\];\n      \}\n    \}\n  \}\n")
assert len(fwd.findall(src)) == 2, "forward loop (forward and backprop copies)"
m = bwd.search(src)
assert m, "backward loop"
delta = m.group(2)

# four rows of x per pass over W1 (800 KB in f64: streamed 16 times per step instead of 64); the
# per-row bias epilogue that follows is left as emitted (it runs for i .. i+3 via its own loop).
fwd_rows4 = """  for (let i4 = 0; i4 < 64; i4 += 4) {
    for (let j = 0; j < 512; j++) {
      z_h1[i4 * 128 + j] = 0;
    }
    for (let k = 0; k < 784; k++) {
      const a0 = x[i4 * 784 + k];
      const a1 = x[i4 * 784 + 784 + k];
      const a2 = x[i4 * 784 + 1568 + k];
      const a3 = x[i4 * 784 + 2352 + k];
      SKIP
      for (let j = 0; j < 128; j++) {
        const w = W1[k * 128 + j];
        z_h1[i4 * 128 + j] += a0 * w;
        z_h1[i4 * 128 + 128 + j] += a1 * w;
        z_h1[i4 * 128 + 256 + j] += a2 * w;
        z_h1[i4 * 128 + 384 + j] += a3 * w;
      }
    }
  }
  for (let i = 0; i < 64; i++) {
"""
# the gradient row i (128 entries, 1 KB) stays in L1 while all 64 batch rows add into it, four
# at a time; the 800 KB gradient is written once per step instead of read and written 64 times
bwd_rowsouter = f"""  for (let i = 0; i < 784; i++) {{
    for (let j = 0; j < 128; j++) {{
      dL_dW1[i * 128 + j] = 0;
    }}
    for (let k = 0; k < 64; k += 4) {{
      const a0 = x[k * 784 + i];
      const a1 = x[k * 784 + 784 + i];
      const a2 = x[k * 784 + 1568 + i];
      const a3 = x[k * 784 + 2352 + i];
      SKIP
      for (let j = 0; j < 128; j++) {{
        dL_dW1[i * 128 + j] += a0 * {delta}[k * 128 + j] + a1 * {delta}[k * 128 + 128 + j] + a2 * {delta}[k * 128 + 256 + j] + a3 * {delta}[k * 128 + 384 + j];
      }}
    }}
  }}
"""
# the epilogue loop that followed the emitted i-loop must still see its `for (let i ...)` header:
# the emitted forward loop was `for i { zero; k-loop; bias-epilogue }`; we replaced `for i { zero;
# k-loop;` with the blocked loop plus a fresh `for i {` header, leaving the epilogue and its `}`.
def variant(name, skip):
    s = skip and "if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;" or ""
    out = fwd.sub(lambda _: fwd_rows4.replace("SKIP", s), src)
    out = bwd.sub(lambda _: bwd_rowsouter.replace("SKIP", s), out, count=1)
    path = f"bench/experiments/generated/{name}.mjs"
    open(path, "w").write(out)
    print(path)

variant("w3-f64-blocked", False)
variant("w3-f64-blocked-skipzero", True)

# Register tiles: the sums of a small output tile live in locals for the whole reduction, so the
# inner loop has no stores at all.
# forward: 4 rows of x × 2 columns of W1, k innermost (x rows read along k, W1 down two columns)
fwd_tile = """  for (let i4 = 0; i4 < 64; i4 += 4) {
    const x0 = i4 * 784;
    for (let j = 0; j < 128; j += 2) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let k = 0; k < 784; k++) {
        const w = W1[k * 128 + j];
        const v = W1[k * 128 + j + 1];
        const a0 = x[x0 + k], a1 = x[x0 + 784 + k], a2 = x[x0 + 1568 + k], a3 = x[x0 + 2352 + k];
        SKIP
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
# backward: 2 rows × 4 columns of the gradient, the batch (64) innermost
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
def tile_variant(name, fwd_skip, bwd_skip):
    out = fwd.sub(lambda _: fwd_tile.replace("SKIP", fwd_skip), src)
    out = bwd.sub(lambda _: bwd_tile.replace("SKIP", bwd_skip), out, count=1)
    path = f"bench/experiments/generated/{name}.mjs"
    open(path, "w").write(out)
    print(path)

tile_variant("w3-f64-tiles", "", "")
tile_variant("w3-f64-tiles-skipzero", "", "if (a0 === 0 && a1 === 0) continue;")
