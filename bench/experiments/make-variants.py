# Hand-edited variant of the generated w1 module (bench/experiments/generated/w1-f64.mjs, as netc
# emits it at 17:20: 15 sums in locals for x·W1, a row of δ in locals for xᵀ·δ): skip zero inputs
# in the two loops over the 784 pixels (MNIST pixels are ~80% zero; a zero x[i,k] adds nothing).
# Run: npx tsx bench/experiments/emit-js.ts && python3 bench/experiments/make-variants.py
src = open("bench/experiments/generated/w1-f64.mjs").read()
fwd_line = "      const aik = x[i * 784 + k];\n"
bwd_line = "      const aki = x[k * 784 + i];\n"
assert src.count(fwd_line) >= 2 and src.count(bwd_line) == 1, "emitted loop shape changed"
skip = src.replace(fwd_line, fwd_line + "      if (aik === 0) continue;\n").replace(bwd_line, bwd_line + "      if (aki === 0) continue;\n")
open("bench/experiments/generated/w1-f64-skipzero.mjs", "w").write(skip)
print("bench/experiments/generated/w1-f64-skipzero.mjs")
