// A hand-written, specialized 784-15-10 sigmoid MLP with loss mean over the batch of the sum of
// squares (seed 000's network): the code a careful person writes for speed, to measure netc's
// generated code against. Every buffer is a Float64Array allocated once; the backward pass is
// derived by hand:
//   h = σ(x W1 + b1), o = σ(h W2 + b2), L = (1/B) Σ_i Σ_j (o_ij − y_ij)²
//   δ2 = (2/B)(o − y) ⊙ o ⊙ (1 − o)      ∂L/∂W2 = hᵀ δ2, ∂L/∂b2 = Σ_i δ2
//   δ1 = (δ2 W2ᵀ) ⊙ h ⊙ (1 − h)          ∂L/∂W1 = xᵀ δ1, ∂L/∂b1 = Σ_i δ1
// Params are in netc's layout: W1 [784, 15], b1 [15], W2 [15, 10], b2 [10], row-major.

const NI = 784;
const NH = 15;
const NO = 10;

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
   * h = σ(x W1 + b1) for the first `rows` rows (a multiple of 4): four rows of x share every load
   * of W1, and the four sums stay in registers while k walks a column of W1.
   */
  private firstLayer(W1: Float64Array, b1: Float64Array, x: Float64Array, rows: number): void {
    const h = this.h;
    for (let i = 0; i < rows; i += 4) {
      const x0 = i * NI;
      for (let j = 0; j < NH; j++) {
        let s0 = b1[j]!;
        let s1 = s0;
        let s2 = s0;
        let s3 = s0;
        for (let k = 0, wk = j; k < NI; k++, wk += NH) {
          const w = W1[wk]!;
          const xk = x0 + k;
          s0 += x[xk]! * w;
          s1 += x[xk + NI]! * w;
          s2 += x[xk + 2 * NI]! * w;
          s3 += x[xk + 3 * NI]! * w;
        }
        const hj = i * NH + j;
        h[hj] = 1 / (1 + Math.exp(-s0));
        h[hj + NH] = 1 / (1 + Math.exp(-s1));
        h[hj + 2 * NH] = 1 / (1 + Math.exp(-s2));
        h[hj + 3 * NH] = 1 / (1 + Math.exp(-s3));
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
    // ∂L/∂W1 = xᵀ δ1: four batch rows at a time, so each update of a gW1 entry adds four products.
    gW1.fill(0);
    let i = 0;
    for (; i + 4 <= B; i += 4) {
      const x0 = i * NI;
      const e0 = i * NH;
      for (let k = 0; k < NI; k++) {
        const xk = x0 + k;
        const a0 = x[xk]!;
        const a1 = x[xk + NI]!;
        const a2 = x[xk + 2 * NI]!;
        const a3 = x[xk + 3 * NI]!;
        for (let j = 0, g = k * NH, e = e0; j < NH; j++, g++, e++) {
          gW1[g] += a0 * d1[e]! + a1 * d1[e + NH]! + a2 * d1[e + 2 * NH]! + a3 * d1[e + 3 * NH]!;
        }
      }
    }
    for (; i < B; i++) {
      for (let k = 0; k < NI; k++) {
        const a = x[i * NI + k]!;
        for (let j = 0; j < NH; j++) gW1[k * NH + j] += a * d1[i * NH + j]!;
      }
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
