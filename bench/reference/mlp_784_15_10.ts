// A hand-written, specialized 784-15-10 sigmoid MLP with loss mean over the batch of the sum of
// squares (seed 000's network): the code a careful person writes for speed, to measure netc's
// generated code against. Every buffer is a Float64Array allocated once; the backward pass is
// derived by hand:
//   h = σ(x W1 + b1), o = σ(h W2 + b2), L = (1/B) Σ_i Σ_j (o_ij − y_ij)²
//   δ2 = (2/B)(o − y) ⊙ o ⊙ (1 − o)      ∂L/∂W2 = hᵀ δ2, ∂L/∂b2 = Σ_i δ2
//   δ1 = (δ2 W2ᵀ) ⊙ h ⊙ (1 − h)          ∂L/∂W1 = xᵀ δ1, ∂L/∂b1 = Σ_i δ1
// Params are in netc's layout: W1 [784, 15], b1 [15], W2 [15, 10], b2 [10], row-major.
// Dense loops (no zero-skipping): the bench's netc-f32-dense row is the like-for-like comparison.
// The two big products use the fastest dense loop orders of bench/experiments/matmul-loops.ts
// (`--mnist`, best of three runs on the loaded 2-core machine, ns per multiply-add):
//   x W1:  four rows × two columns of dot products, 8 sums in registers (ij_rows4_cols2_dot, 1.32;
//          four rows × one column 1.71, the netc-style 15-wide row block 1.39, plain i-k-j 4.58)
//   xᵀ δ1: row k of ∂L/∂W1 in 15 registers summed down the batch, written once (k_acc15, 1.04;
//          eight batch rows per pass 1.05, a δ row in registers 1.04, four batch rows 1.10)

const NI = 784;
const NH = 15;
const NO = 10;

const sig = (s: number): number => 1 / (1 + Math.exp(-s));

export class Mlp784x15x10 {
  readonly h: Float64Array;
  readonly o: Float64Array;
  readonly d2: Float64Array;
  readonly d1: Float64Array;
  readonly gW1 = new Float64Array(NI * NH);
  readonly gb1 = new Float64Array(NH);
  readonly gW2 = new Float64Array(NH * NO);
  readonly gb2 = new Float64Array(NO);

  constructor(readonly batch: number) {
    this.h = new Float64Array(batch * NH);
    this.o = new Float64Array(batch * NO);
    this.d2 = new Float64Array(batch * NO);
    this.d1 = new Float64Array(batch * NH);
  }

  /**
   * h = σ(x W1 + b1) for the first `rows` rows (a multiple of 4): four rows of x and two columns of
   * W1 at a time, the eight sums in registers while k walks the two columns; the odd last column
   * with four sums.
   */
  private firstLayer(W1: Float64Array, b1: Float64Array, x: Float64Array, rows: number): void {
    const h = this.h;
    for (let i = 0; i < rows; i += 4) {
      const x0 = i * NI;
      let j = 0;
      for (; j + 1 < NH; j += 2) {
        let s0 = b1[j]!,
          s1 = s0,
          s2 = s0,
          s3 = s0;
        let t0 = b1[j + 1]!,
          t1 = t0,
          t2 = t0,
          t3 = t0;
        for (let k = 0, wk = j; k < NI; k++, wk += NH) {
          const w = W1[wk]!;
          const v = W1[wk + 1]!;
          const xk = x0 + k;
          const a0 = x[xk]!;
          const a1 = x[xk + NI]!;
          const a2 = x[xk + 2 * NI]!;
          const a3 = x[xk + 3 * NI]!;
          s0 += a0 * w;
          s1 += a1 * w;
          s2 += a2 * w;
          s3 += a3 * w;
          t0 += a0 * v;
          t1 += a1 * v;
          t2 += a2 * v;
          t3 += a3 * v;
        }
        const hj = i * NH + j;
        h[hj] = sig(s0);
        h[hj + NH] = sig(s1);
        h[hj + 2 * NH] = sig(s2);
        h[hj + 3 * NH] = sig(s3);
        h[hj + 1] = sig(t0);
        h[hj + NH + 1] = sig(t1);
        h[hj + 2 * NH + 1] = sig(t2);
        h[hj + 3 * NH + 1] = sig(t3);
      }
      for (; j < NH; j++) {
        let s0 = b1[j]!,
          s1 = s0,
          s2 = s0,
          s3 = s0;
        for (let k = 0, wk = j; k < NI; k++, wk += NH) {
          const w = W1[wk]!;
          const xk = x0 + k;
          s0 += x[xk]! * w;
          s1 += x[xk + NI]! * w;
          s2 += x[xk + 2 * NI]! * w;
          s3 += x[xk + 3 * NI]! * w;
        }
        const hj = i * NH + j;
        h[hj] = sig(s0);
        h[hj + NH] = sig(s1);
        h[hj + 2 * NH] = sig(s2);
        h[hj + 3 * NH] = sig(s3);
      }
    }
  }

  /** Forward pass and δ1, δ2 for a batch; returns the loss. */
  private forwardBackward(W1: Float64Array, b1: Float64Array, W2: Float64Array, b2: Float64Array, x: Float64Array, y: Float64Array): number {
    const { h, o, d2, d1, batch: B } = this;
    const scale = 2 / B;
    const blocked = B - (B % 4);
    this.firstLayer(W1, b1, x, blocked);
    let loss = 0;
    for (let i = 0; i < B; i++) {
      const hi = i * NH;
      const xi = i * NI;
      const oi = i * NO;
      // h_i = σ(x_i W1 + b1); rows in blocks of four were done by firstLayer().
      if (i >= blocked) {
        for (let j = 0; j < NH; j++) {
          let s = b1[j]!;
          for (let k = 0, wk = j; k < NI; k++, wk += NH) s += x[xi + k]! * W1[wk]!;
          h[hi + j] = 1 / (1 + Math.exp(-s));
        }
      }
      // o_i = σ(h_i W2 + b2), the loss, and δ2.
      for (let j = 0; j < NO; j++) o[oi + j] = b2[j]!;
      for (let k = 0; k < NH; k++) {
        const hv = h[hi + k]!;
        const wk = k * NO;
        for (let j = 0; j < NO; j++) o[oi + j] += hv * W2[wk + j]!;
      }
      for (let j = 0; j < NO; j++) {
        const ov = 1 / (1 + Math.exp(-o[oi + j]!));
        o[oi + j] = ov;
        const diff = ov - y[oi + j]!;
        loss += diff * diff;
        d2[oi + j] = scale * diff * ov * (1 - ov);
      }
      // δ1_i = (δ2_i W2ᵀ) ⊙ h_i ⊙ (1 − h_i)
      for (let k = 0; k < NH; k++) {
        let s = 0;
        const wk = k * NO;
        for (let j = 0; j < NO; j++) s += d2[oi + j]! * W2[wk + j]!;
        const hv = h[hi + k]!;
        d1[hi + k] = s * hv * (1 - hv);
      }
    }
    return loss / B;
  }

  /** The loss alone (the forward pass, plus the δs it computes on the way). */
  loss(params: readonly Float64Array[], x: Float64Array, y: Float64Array): number {
    const [W1, b1, W2, b2] = params as [Float64Array, Float64Array, Float64Array, Float64Array];
    return this.forwardBackward(W1, b1, W2, b2, x, y);
  }

  /** The loss and its gradients (in gW1, gb1, gW2, gb2) at the given params. */
  gradient(params: readonly Float64Array[], x: Float64Array, y: Float64Array): number {
    const [W1, b1, W2, b2] = params as [Float64Array, Float64Array, Float64Array, Float64Array];
    const loss = this.forwardBackward(W1, b1, W2, b2, x, y);
    const { h, d2, d1, gW1, gb1, gW2, gb2, batch: B } = this;
    // ∂L/∂W1 = xᵀ δ1: row k of it in 15 registers, summed down the batch (column k of x against
    // each row of δ1), then written once
    for (let k = 0; k < NI; k++) {
      let g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0, g8 = 0, g9 = 0, g10 = 0, g11 = 0, g12 = 0, g13 = 0, g14 = 0;
      for (let i = 0, xi = k, e = 0; i < B; i++, xi += NI, e += NH) {
        const a = x[xi]!;
        g0 += a * d1[e]!;
        g1 += a * d1[e + 1]!;
        g2 += a * d1[e + 2]!;
        g3 += a * d1[e + 3]!;
        g4 += a * d1[e + 4]!;
        g5 += a * d1[e + 5]!;
        g6 += a * d1[e + 6]!;
        g7 += a * d1[e + 7]!;
        g8 += a * d1[e + 8]!;
        g9 += a * d1[e + 9]!;
        g10 += a * d1[e + 10]!;
        g11 += a * d1[e + 11]!;
        g12 += a * d1[e + 12]!;
        g13 += a * d1[e + 13]!;
        g14 += a * d1[e + 14]!;
      }
      const g = k * NH;
      gW1[g] = g0;
      gW1[g + 1] = g1;
      gW1[g + 2] = g2;
      gW1[g + 3] = g3;
      gW1[g + 4] = g4;
      gW1[g + 5] = g5;
      gW1[g + 6] = g6;
      gW1[g + 7] = g7;
      gW1[g + 8] = g8;
      gW1[g + 9] = g9;
      gW1[g + 10] = g10;
      gW1[g + 11] = g11;
      gW1[g + 12] = g12;
      gW1[g + 13] = g13;
      gW1[g + 14] = g14;
    }
    gb1.fill(0);
    for (let i = 0; i < B; i++) for (let j = 0; j < NH; j++) gb1[j] += d1[i * NH + j]!;
    gW2.fill(0);
    gb2.fill(0);
    for (let i = 0; i < B; i++) {
      for (let k = 0; k < NH; k++) {
        const hv = h[i * NH + k]!;
        for (let j = 0; j < NO; j++) gW2[k * NO + j] += hv * d2[i * NO + j]!;
      }
      for (let j = 0; j < NO; j++) gb2[j] += d2[i * NO + j]!;
    }
    return loss;
  }

  /** One SGD step in place; returns the loss before the update. */
  step(params: Float64Array[], x: Float64Array, y: Float64Array, lr: number): number {
    const loss = this.gradient(params, x, y);
    const grads = [this.gW1, this.gb1, this.gW2, this.gb2];
    for (let p = 0; p < 4; p++) {
      const P = params[p]!;
      const G = grads[p]!;
      for (let i = 0; i < P.length; i++) P[i] -= lr * G[i]!;
    }
    return loss;
  }
}
