// Experiment: loop shapes for the 784-15-10 MLP's two big products in plain JS (Float64Array):
// forward z = x W1 ([32,784]·[784,15]) and backward gW1 = xᵀ δ1 ([784,32]·[32,15]).
// Run: npx tsx bench/experiments/matmul-loops.ts [--mnist] — prints ns per multiply-add for each
// variant; x is random with 20% non-zeros, or with --mnist the first 32 training digits.
import { loadMnist } from "../lib/data.ts";
const B = 32, NI = 784, NH = 15;
const x = process.argv.includes("--mnist")
  ? loadMnist().train.x.slice(0, B * NI)
  : Float64Array.from({ length: B * NI }, () => (Math.random() < 0.2 ? Math.random() : 0));
const W = Float64Array.from({ length: NI * NH }, () => Math.random() - 0.5);
const WT = new Float64Array(NI * NH);
const d = Float64Array.from({ length: B * NH }, () => Math.random() - 0.5);
const z = new Float64Array(B * NH);
const g = new Float64Array(NI * NH);
const acc = new Float64Array(NH);

const fwd: Record<string, () => void> = {
  ikj() {
    for (let i = 0; i < B; i++) {
      const zi = i * NH, xi = i * NI;
      for (let j = 0; j < NH; j++) z[zi + j] = 0;
      for (let k = 0; k < NI; k++) {
        const xv = x[xi + k]!, wk = k * NH;
        for (let j = 0; j < NH; j++) z[zi + j] += xv * W[wk + j]!;
      }
    }
  },
  ijk_strided() {
    for (let i = 0; i < B; i++) {
      const xi = i * NI;
      for (let j = 0; j < NH; j++) {
        let s = 0;
        for (let k = 0; k < NI; k++) s += x[xi + k]! * W[k * NH + j]!;
        z[i * NH + j] = s;
      }
    }
  },
  transpose_then_dot4() {
    for (let k = 0; k < NI; k++) for (let j = 0; j < NH; j++) WT[j * NI + k] = W[k * NH + j]!;
    for (let i = 0; i < B; i++) {
      const xi = i * NI;
      for (let j = 0; j < NH; j++) {
        const wj = j * NI;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let k = 0; k < NI; k += 4) {
          s0 += x[xi + k]! * WT[wj + k]!;
          s1 += x[xi + k + 1]! * WT[wj + k + 1]!;
          s2 += x[xi + k + 2]! * WT[wj + k + 2]!;
          s3 += x[xi + k + 3]! * WT[wj + k + 3]!;
        }
        z[i * NH + j] = s0 + s1 + s2 + s3;
      }
    }
  },
  ikj_rows4() {
    // four rows of x at a time share each load of W
    for (let i = 0; i < B; i += 4) {
      const z0 = i * NH, z1 = z0 + NH, z2 = z1 + NH, z3 = z2 + NH;
      for (let j = 0; j < 4 * NH; j++) z[z0 + j] = 0;
      const x0 = i * NI, x1 = x0 + NI, x2 = x1 + NI, x3 = x2 + NI;
      for (let k = 0; k < NI; k++) {
        const a0 = x[x0 + k]!, a1 = x[x1 + k]!, a2 = x[x2 + k]!, a3 = x[x3 + k]!;
        const wk = k * NH;
        for (let j = 0; j < NH; j++) {
          const w = W[wk + j]!;
          z[z0 + j] += a0 * w;
          z[z1 + j] += a1 * w;
          z[z2 + j] += a2 * w;
          z[z3 + j] += a3 * w;
        }
      }
    }
  },
  ij_rows4_dot() {
    // z[i..i+3, j] in four registers, k innermost over a strided column of W
    for (let i = 0; i < B; i += 4) {
      const x0 = i * NI, x1 = x0 + NI, x2 = x1 + NI, x3 = x2 + NI;
      for (let j = 0; j < NH; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let k = 0, wk = j; k < NI; k++, wk += NH) {
          const w = W[wk]!;
          s0 += x[x0 + k]! * w;
          s1 += x[x1 + k]! * w;
          s2 += x[x2 + k]! * w;
          s3 += x[x3 + k]! * w;
        }
        z[i * NH + j] = s0;
        z[i * NH + NH + j] = s1;
        z[i * NH + 2 * NH + j] = s2;
        z[i * NH + 3 * NH + j] = s3;
      }
    }
  },
  ij_rows8_dot() {
    for (let i = 0; i < B; i += 8) {
      const x0 = i * NI;
      for (let j = 0; j < NH; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (let k = 0, wk = j; k < NI; k++, wk += NH) {
          const w = W[wk]!;
          const xk = x0 + k;
          s0 += x[xk]! * w;
          s1 += x[xk + NI]! * w;
          s2 += x[xk + 2 * NI]! * w;
          s3 += x[xk + 3 * NI]! * w;
          s4 += x[xk + 4 * NI]! * w;
          s5 += x[xk + 5 * NI]! * w;
          s6 += x[xk + 6 * NI]! * w;
          s7 += x[xk + 7 * NI]! * w;
        }
        const zi = i * NH + j;
        z[zi] = s0; z[zi + NH] = s1; z[zi + 2 * NH] = s2; z[zi + 3 * NH] = s3;
        z[zi + 4 * NH] = s4; z[zi + 5 * NH] = s5; z[zi + 6 * NH] = s6; z[zi + 7 * NH] = s7;
      }
    }
  },
  ij_rows4_cols2_dot() {
    for (let i = 0; i < B; i += 4) {
      const x0 = i * NI;
      for (let j = 0; j + 1 < NH; j += 2) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (let k = 0, wk = j; k < NI; k++, wk += NH) {
          const w = W[wk]!, v = W[wk + 1]!;
          const xk = x0 + k;
          const a0 = x[xk]!, a1 = x[xk + NI]!, a2 = x[xk + 2 * NI]!, a3 = x[xk + 3 * NI]!;
          s0 += a0 * w; s1 += a1 * w; s2 += a2 * w; s3 += a3 * w;
          t0 += a0 * v; t1 += a1 * v; t2 += a2 * v; t3 += a3 * v;
        }
        const zi = i * NH + j;
        z[zi] = s0; z[zi + NH] = s1; z[zi + 2 * NH] = s2; z[zi + 3 * NH] = s3;
        z[zi + 1] = t0; z[zi + NH + 1] = t1; z[zi + 2 * NH + 1] = t2; z[zi + 3 * NH + 1] = t3;
      }
      // odd last column
      const j = NH - 1;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0, wk = j; k < NI; k++, wk += NH) {
        const w = W[wk]!, xk = x0 + k;
        s0 += x[xk]! * w; s1 += x[xk + NI]! * w; s2 += x[xk + 2 * NI]! * w; s3 += x[xk + 3 * NI]! * w;
      }
      const zi = i * NH + j;
      z[zi] = s0; z[zi + NH] = s1; z[zi + 2 * NH] = s2; z[zi + 3 * NH] = s3;
    }
  },
  unroll15_netc_now() {
    // what netc emits since 17:05: one row of x, all 15 sums in locals
    for (let i = 0; i < B; i++) {
      const zi = i * NH, xi = i * NI;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0;
      for (let k = 0; k < NI; k++) {
        const xv = x[xi + k]!, wk = k * NH;
          a0 += xv * W[wk + 0]!;
          a1 += xv * W[wk + 1]!;
          a2 += xv * W[wk + 2]!;
          a3 += xv * W[wk + 3]!;
          a4 += xv * W[wk + 4]!;
          a5 += xv * W[wk + 5]!;
          a6 += xv * W[wk + 6]!;
          a7 += xv * W[wk + 7]!;
          a8 += xv * W[wk + 8]!;
          a9 += xv * W[wk + 9]!;
          a10 += xv * W[wk + 10]!;
          a11 += xv * W[wk + 11]!;
          a12 += xv * W[wk + 12]!;
          a13 += xv * W[wk + 13]!;
          a14 += xv * W[wk + 14]!;
      }
        z[zi + 0] = a0;
        z[zi + 1] = a1;
        z[zi + 2] = a2;
        z[zi + 3] = a3;
        z[zi + 4] = a4;
        z[zi + 5] = a5;
        z[zi + 6] = a6;
        z[zi + 7] = a7;
        z[zi + 8] = a8;
        z[zi + 9] = a9;
        z[zi + 10] = a10;
        z[zi + 11] = a11;
        z[zi + 12] = a12;
        z[zi + 13] = a13;
        z[zi + 14] = a14;
    }
  },
  tile4x2_dot() {
    for (let i = 0; i < B; i += 4) {
      const x0 = i * NI;
      for (let j = 0; j < NH; j += 2) {
        const two = j + 1 < NH;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (let k = 0, wk = j; k < NI; k++, wk += NH) {
          const w = W[wk]!, v = two ? W[wk + 1]! : 0;
          const a0 = x[x0 + k]!, a1 = x[x0 + NI + k]!, a2 = x[x0 + 2 * NI + k]!, a3 = x[x0 + 3 * NI + k]!;
          s0 += a0 * w; s1 += a1 * w; s2 += a2 * w; s3 += a3 * w;
          t0 += a0 * v; t1 += a1 * v; t2 += a2 * v; t3 += a3 * v;
        }
        const zi = i * NH + j;
        z[zi] = s0; z[zi + NH] = s1; z[zi + 2 * NH] = s2; z[zi + 3 * NH] = s3;
        if (two) { z[zi + 1] = t0; z[zi + NH + 1] = t1; z[zi + 2 * NH + 1] = t2; z[zi + 3 * NH + 1] = t3; }
      }
    }
  },
  unroll15_rows2() {
    // two rows of x at once, 30 sums in locals (more than the 16 registers: some spill)
    for (let i = 0; i < B; i += 2) {
      const x0 = i * NI, x1 = x0 + NI;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0, a9 = 0, a10 = 0, a11 = 0, a12 = 0, a13 = 0, a14 = 0, c0 = 0, c1 = 0, c2 = 0, c3 = 0, c4 = 0, c5 = 0, c6 = 0, c7 = 0, c8 = 0, c9 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0, c14 = 0;
      for (let k = 0; k < NI; k++) {
        const p = x[x0 + k]!, q = x[x1 + k]!, wk = k * NH;
        { const w = W[wk + 0]!; a0 += p * w; c0 += q * w; }
        { const w = W[wk + 1]!; a1 += p * w; c1 += q * w; }
        { const w = W[wk + 2]!; a2 += p * w; c2 += q * w; }
        { const w = W[wk + 3]!; a3 += p * w; c3 += q * w; }
        { const w = W[wk + 4]!; a4 += p * w; c4 += q * w; }
        { const w = W[wk + 5]!; a5 += p * w; c5 += q * w; }
        { const w = W[wk + 6]!; a6 += p * w; c6 += q * w; }
        { const w = W[wk + 7]!; a7 += p * w; c7 += q * w; }
        { const w = W[wk + 8]!; a8 += p * w; c8 += q * w; }
        { const w = W[wk + 9]!; a9 += p * w; c9 += q * w; }
        { const w = W[wk + 10]!; a10 += p * w; c10 += q * w; }
        { const w = W[wk + 11]!; a11 += p * w; c11 += q * w; }
        { const w = W[wk + 12]!; a12 += p * w; c12 += q * w; }
        { const w = W[wk + 13]!; a13 += p * w; c13 += q * w; }
        { const w = W[wk + 14]!; a14 += p * w; c14 += q * w; }
      }
      z[i * NH + 0] = a0; z[i * NH + NH + 0] = c0;
      z[i * NH + 1] = a1; z[i * NH + NH + 1] = c1;
      z[i * NH + 2] = a2; z[i * NH + NH + 2] = c2;
      z[i * NH + 3] = a3; z[i * NH + NH + 3] = c3;
      z[i * NH + 4] = a4; z[i * NH + NH + 4] = c4;
      z[i * NH + 5] = a5; z[i * NH + NH + 5] = c5;
      z[i * NH + 6] = a6; z[i * NH + NH + 6] = c6;
      z[i * NH + 7] = a7; z[i * NH + NH + 7] = c7;
      z[i * NH + 8] = a8; z[i * NH + NH + 8] = c8;
      z[i * NH + 9] = a9; z[i * NH + NH + 9] = c9;
      z[i * NH + 10] = a10; z[i * NH + NH + 10] = c10;
      z[i * NH + 11] = a11; z[i * NH + NH + 11] = c11;
      z[i * NH + 12] = a12; z[i * NH + NH + 12] = c12;
      z[i * NH + 13] = a13; z[i * NH + NH + 13] = c13;
      z[i * NH + 14] = a14; z[i * NH + NH + 14] = c14;
    }
  },
  ikj_skipzero() {
    for (let i = 0; i < B; i++) {
      const zi = i * NH, xi = i * NI;
      for (let j = 0; j < NH; j++) z[zi + j] = 0;
      for (let k = 0; k < NI; k++) {
        const xv = x[xi + k]!;
        if (xv === 0) continue;
        const wk = k * NH;
        for (let j = 0; j < NH; j++) z[zi + j] += xv * W[wk + j]!;
      }
    }
  },
};

const bwd: Record<string, () => void> = {
  i_k_j_accumulate() {
    g.fill(0);
    for (let i = 0; i < B; i++) {
      const xi = i * NI, di = i * NH;
      for (let k = 0; k < NI; k++) {
        const xv = x[xi + k]!, gk = k * NH;
        for (let j = 0; j < NH; j++) g[gk + j] += xv * d[di + j]!;
      }
    }
  },
  k_i_j_acc() {
    for (let k = 0; k < NI; k++) {
      acc.fill(0);
      for (let i = 0; i < B; i++) {
        const xv = x[i * NI + k]!, di = i * NH;
        for (let j = 0; j < NH; j++) acc[j] += xv * d[di + j]!;
      }
      g.set(acc, k * NH);
    }
  },
  k_acc15() {
    // row k of g in 15 locals, summed over the batch (x read down a column), written once: no fill
    for (let k = 0; k < NI; k++) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0;
      for (let i = 0, xi = k, di = 0; i < B; i++, xi += NI, di += NH) {
        const xv = x[xi]!;
        s0 += xv * d[di]!; s1 += xv * d[di + 1]!; s2 += xv * d[di + 2]!; s3 += xv * d[di + 3]!; s4 += xv * d[di + 4]!;
        s5 += xv * d[di + 5]!; s6 += xv * d[di + 6]!; s7 += xv * d[di + 7]!; s8 += xv * d[di + 8]!; s9 += xv * d[di + 9]!;
        s10 += xv * d[di + 10]!; s11 += xv * d[di + 11]!; s12 += xv * d[di + 12]!; s13 += xv * d[di + 13]!; s14 += xv * d[di + 14]!;
      }
      const gk = k * NH;
      g[gk] = s0; g[gk + 1] = s1; g[gk + 2] = s2; g[gk + 3] = s3; g[gk + 4] = s4; g[gk + 5] = s5; g[gk + 6] = s6; g[gk + 7] = s7;
      g[gk + 8] = s8; g[gk + 9] = s9; g[gk + 10] = s10; g[gk + 11] = s11; g[gk + 12] = s12; g[gk + 13] = s13; g[gk + 14] = s14;
    }
  },
  k_j_i_dot() {
    for (let k = 0; k < NI; k++) {
      for (let j = 0; j < NH; j++) {
        let s = 0;
        for (let i = 0; i < B; i++) s += x[i * NI + k]! * d[i * NH + j]!;
        g[k * NH + j] = s;
      }
    }
  },
  i4_k_j() {
    g.fill(0);
    for (let i = 0; i < B; i += 4) {
      const x0 = i * NI, x1 = x0 + NI, x2 = x1 + NI, x3 = x2 + NI;
      const d0 = i * NH, d1 = d0 + NH, d2 = d1 + NH, d3 = d2 + NH;
      for (let k = 0; k < NI; k++) {
        const a0 = x[x0 + k]!, a1 = x[x1 + k]!, a2 = x[x2 + k]!, a3 = x[x3 + k]!, gk = k * NH;
        for (let j = 0; j < NH; j++) g[gk + j] += a0 * d[d0 + j]! + a1 * d[d1 + j]! + a2 * d[d2 + j]! + a3 * d[d3 + j]!;
      }
    }
  },
  i8_k_j() {
    g.fill(0);
    for (let i = 0; i < B; i += 8) {
      const x0 = i * NI, d0 = i * NH;
      for (let k = 0; k < NI; k++) {
        const xk = x0 + k;
        const a0 = x[xk]!, a1 = x[xk + NI]!, a2 = x[xk + 2 * NI]!, a3 = x[xk + 3 * NI]!;
        const a4 = x[xk + 4 * NI]!, a5 = x[xk + 5 * NI]!, a6 = x[xk + 6 * NI]!, a7 = x[xk + 7 * NI]!, gk = k * NH;
        for (let j = 0, dj = d0; j < NH; j++, dj++) g[gk + j] += a0 * d[dj]! + a1 * d[dj + NH]! + a2 * d[dj + 2 * NH]! + a3 * d[dj + 3 * NH]! + a4 * d[dj + 4 * NH]! + a5 * d[dj + 5 * NH]! + a6 * d[dj + 6 * NH]! + a7 * d[dj + 7 * NH]!;
      }
    }
  },
  k4_j_i_dot() {
    for (let k = 0; k < NI; k += 4) {
      for (let j = 0; j < NH; j++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let i = 0, xi = k, di = j; i < B; i++, xi += NI, di += NH) {
          const dv = d[di]!;
          s0 += x[xi]! * dv; s1 += x[xi + 1]! * dv; s2 += x[xi + 2]! * dv; s3 += x[xi + 3]! * dv;
        }
        const gk = k * NH + j;
        g[gk] = s0; g[gk + NH] = s1; g[gk + 2 * NH] = s2; g[gk + 3 * NH] = s3;
      }
    }
  },
  bk15_netc_now() {
    // what netc emits since 17:05: a row of δ in locals, the whole gradient read and written per batch row
    g.fill(0);
    for (let i = 0; i < B; i++) {
      const xi = i * NI, di = i * NH;
      const b0 = d[di + 0]!, b1 = d[di + 1]!, b2 = d[di + 2]!, b3 = d[di + 3]!, b4 = d[di + 4]!, b5 = d[di + 5]!, b6 = d[di + 6]!, b7 = d[di + 7]!, b8 = d[di + 8]!, b9 = d[di + 9]!, b10 = d[di + 10]!, b11 = d[di + 11]!, b12 = d[di + 12]!, b13 = d[di + 13]!, b14 = d[di + 14]!;
      for (let k = 0; k < NI; k++) {
        const xv = x[xi + k]!, gk = k * NH;
          g[gk + 0] += xv * b0;
          g[gk + 1] += xv * b1;
          g[gk + 2] += xv * b2;
          g[gk + 3] += xv * b3;
          g[gk + 4] += xv * b4;
          g[gk + 5] += xv * b5;
          g[gk + 6] += xv * b6;
          g[gk + 7] += xv * b7;
          g[gk + 8] += xv * b8;
          g[gk + 9] += xv * b9;
          g[gk + 10] += xv * b10;
          g[gk + 11] += xv * b11;
          g[gk + 12] += xv * b12;
          g[gk + 13] += xv * b13;
          g[gk + 14] += xv * b14;
      }
    }
  },
  k2_j_i_dot() {
    // two rows of g at once, batch innermost with the δ column reused
    for (let k = 0; k < NI; k += 2) {
      for (let j = 0; j < NH; j++) {
        let s0 = 0, s1 = 0;
        for (let i = 0, xi = k, di = j; i < B; i++, xi += NI, di += NH) {
          const dv = d[di]!;
          s0 += x[xi]! * dv;
          s1 += x[xi + 1]! * dv;
        }
        g[k * NH + j] = s0;
        g[k * NH + NH + j] = s1;
      }
    }
  },
};

function time(name: string, f: () => void) {
  for (let r = 0; r < 300; r++) f();
  const reps = 1500;
  const runs: number[] = [];
  for (let t = 0; t < 5; t++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) f();
    runs.push(((performance.now() - t0) * 1e6) / reps / (B * NI * NH));
  }
  runs.sort((a, b) => a - b);
  console.log(`${name.padEnd(22)} ${runs[2]!.toFixed(3)} ns/MAC`);
}
console.log("forward z = x W1");
for (const [n, f] of Object.entries(fwd)) time(n, f);
console.log("backward gW1 = xᵀ δ1");
for (const [n, f] of Object.entries(bwd)) time(n, f);
