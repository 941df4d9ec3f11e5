# Hand-edited variants of the generated w1 module (bench/experiments/generated/w1-f64.mjs), each
# changing only the two hot loops, to measure what a faster emitted loop buys.
# Run: python3 bench/experiments/make-variants.py  (then time-step.ts on the files it writes)
import re, sys
src = open("bench/experiments/generated/w1-f64.mjs").read()

fwd_old = re.search(r"  for \(let i = 0; i < 32; i\+\+\) \{\n    for \(let j = 0; j < 15; j\+\+\) \{\n      h\[i \* 15 \+ j\] = 0;\n    \}\n    for \(let k = 0; k < 784; k\+\+\) \{\n      const (aik_\d+) = x\[i \* 784 \+ k\];\n      for \(let j = 0; j < 15; j\+\+\) \{\n        h\[i \* 15 \+ j\] \+= \1 \* W1\[k \* 15 \+ j\];\n      \}\n    \}\n    for \(let j = 0; j < 15; j\+\+\) \{\n      h\[i \* 15 \+ j\] = sigmoid\(b1\[j\] \+ h\[i \* 15 \+ j\]\);\n    \}\n  \}\n", src[src.index("function backprop"):])
assert fwd_old, "forward loop not found"
fwd_old = fwd_old.group(0)

bwd_old = re.search(r"  dL_dW1\.fill\(0\);\n  for \(let k = 0; k < 32; k\+\+\) \{\n    for \(let i = 0; i < 784; i\+\+\) \{\n      const (aki\w*) = x\[k \* 784 \+ i\];\n      for \(let j = 0; j < 15; j\+\+\) \{\n        dL_dW1\[i \* 15 \+ j\] \+= \1 \* (\w+)\[k \* 15 \+ j\];\n      \}\n    \}\n  \}\n", src)
assert bwd_old, "backward loop not found"
delta = bwd_old.group(2)
bwd_old = bwd_old.group(0)

# i-k-j with four rows of x per pass: each W1 element loaded once for four multiply-adds
fwd_rows4 = """  for (let i = 0; i < 32; i += 4) {
    for (let j = 0; j < 60; j++) {
      h[i * 15 + j] = 0;
    }
    for (let k = 0; k < 784; k++) {
      const a0 = x[i * 784 + k];
      const a1 = x[i * 784 + 784 + k];
      const a2 = x[i * 784 + 1568 + k];
      const a3 = x[i * 784 + 2352 + k];
      for (let j = 0; j < 15; j++) {
        const w = W1[k * 15 + j];
        h[i * 15 + j] += a0 * w;
        h[i * 15 + 15 + j] += a1 * w;
        h[i * 15 + 30 + j] += a2 * w;
        h[i * 15 + 45 + j] += a3 * w;
      }
    }
    for (let j = 0; j < 60; j++) {
      h[i * 15 + j] = sigmoid(b1[j % 15] + h[i * 15 + j]);
    }
  }
"""
# dot products with a 4×2 register tile: 8 sums in locals, k innermost down two columns of W1
fwd_tile = """  for (let i = 0; i < 32; i += 4) {
    for (let j = 0; j < 15; j += 2) {
      const j2 = j + 1 < 15;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let k = 0; k < 784; k++) {
        const w = W1[k * 15 + j];
        const v = j2 ? W1[k * 15 + j + 1] : 0;
        const a0 = x[i * 784 + k], a1 = x[i * 784 + 784 + k], a2 = x[i * 784 + 1568 + k], a3 = x[i * 784 + 2352 + k];
        s0 += a0 * w; s1 += a1 * w; s2 += a2 * w; s3 += a3 * w;
        t0 += a0 * v; t1 += a1 * v; t2 += a2 * v; t3 += a3 * v;
      }
      h[i * 15 + j] = sigmoid(b1[j] + s0);
      h[i * 15 + 15 + j] = sigmoid(b1[j] + s1);
      h[i * 15 + 30 + j] = sigmoid(b1[j] + s2);
      h[i * 15 + 45 + j] = sigmoid(b1[j] + s3);
      if (j2) {
        h[i * 15 + j + 1] = sigmoid(b1[j + 1] + t0);
        h[i * 15 + 16 + j] = sigmoid(b1[j + 1] + t1);
        h[i * 15 + 31 + j] = sigmoid(b1[j + 1] + t2);
        h[i * 15 + 46 + j] = sigmoid(b1[j + 1] + t3);
      }
    }
  }
"""
# k-i-j with four batch rows per pass: each gradient element read and written once per four products
bwd_rows4 = f"""  dL_dW1.fill(0);
  for (let k = 0; k < 32; k += 4) {{
    for (let i = 0; i < 784; i++) {{
      const a0 = x[k * 784 + i];
      const a1 = x[k * 784 + 784 + i];
      const a2 = x[k * 784 + 1568 + i];
      const a3 = x[k * 784 + 2352 + i];
      for (let j = 0; j < 15; j++) {{
        dL_dW1[i * 15 + j] += a0 * {delta}[k * 15 + j] + a1 * {delta}[k * 15 + 15 + j] + a2 * {delta}[k * 15 + 30 + j] + a3 * {delta}[k * 15 + 45 + j];
      }}
    }}
  }}
"""
# the same, skipping rows of x whose four entries are all zero (MNIST pixels are ~80% zero)
fwd_skip = fwd_rows4.replace("      for (let j = 0; j < 15; j++) {\n        const w", "      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;\n      for (let j = 0; j < 15; j++) {\n        const w", 1)
bwd_skip = bwd_rows4.replace("      for (let j = 0; j < 15; j++) {{".replace("{{", "{"), "      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;\n      for (let j = 0; j < 15; j++) {", 1)
assert fwd_skip != fwd_rows4 and bwd_skip != bwd_rows4

def write(name, f, b):
    out = src.replace(fwd_old, f, 1).replace(bwd_old, b, 1)
    # forward() has its own copy of the first loop (same text): replace it too
    out = out.replace(fwd_old, f, 1)
    open(f"bench/experiments/generated/{name}.mjs", "w").write(out)
    print(f"bench/experiments/generated/{name}.mjs")

write("w1-f64-rows4", fwd_rows4, bwd_rows4)
write("w1-f64-tile4x2", fwd_tile, bwd_rows4)
write("w1-f64-rows4-skipzero", fwd_skip, bwd_skip)
