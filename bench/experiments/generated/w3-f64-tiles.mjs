function record(entries) {
  const out = /* @__PURE__ */ Object.create(null);
  for (const [k, v] of entries) out[k] = v;
  return out;
}
const meta = {
  name: "mnist_softmax_sgd",
  file: "bench/models/mnist_softmax_sgd.net",
  sourceHash: "46db66dfd4ef953c",
  netcVersion: "0.1.0",
  dtype: "f64",
  dims: record([["B", 64]]),
  data: [
    { name: "x", shape: [64, 784], size: 50176, role: "input", default: null, batchDim: "B" },
    { name: "y", shape: [64, 10], size: 640, role: "target", default: null, batchDim: "B" }
  ],
  params: [
    { name: "W1", shape: [784, 128], size: 100352, init: { kind: "he" } },
    { name: "b1", shape: [128], size: 128, init: { kind: "zeros" } },
    { name: "W2", shape: [128, 64], size: 8192, init: { kind: "he" } },
    { name: "b2", shape: [64], size: 64, init: { kind: "zeros" } },
    { name: "W3", shape: [64, 10], size: 640, init: { kind: "he" } },
    { name: "b3", shape: [10], size: 10, init: { kind: "zeros" } }
  ],
  outputs: [{ name: "logits", shape: [64, 10], size: 640 }],
  loss: "L",
  grads: [
    { of: "L", wrt: "W1", key: "L/W1", shape: [784, 128] },
    { of: "L", wrt: "b1", key: "L/b1", shape: [128] },
    { of: "L", wrt: "W2", key: "L/W2", shape: [128, 64] },
    { of: "L", wrt: "b2", key: "L/b2", shape: [64] },
    { of: "L", wrt: "W3", key: "L/W3", shape: [64, 10] },
    { of: "L", wrt: "b3", key: "L/b3", shape: [10] }
  ],
  values: [
    { name: "logits", shape: [64, 10], size: 640 },
    { name: "L", shape: [], size: 1 }
  ],
  train: {
    optimizer: { kind: "sgd", lr: 0.1, momentum: 0 },
    epochs: 5,
    steps: null,
    seed: 1,
    schedule: { kind: "constant" },
    shuffle: true
  },
  statePerParam: 0
};
const z_h1 = new Float64Array(8192);
const h1 = new Float64Array(8192);
const z_h2 = new Float64Array(4096);
const h2 = new Float64Array(4096);
const logits = new Float64Array(640);
const t_softmax = new Float64Array(640);
const t_sum = new Float64Array(64);
const delta_W3_unscaled = new Float64Array(640);
const dL_dlogits = new Float64Array(640);
const delta_W2 = new Float64Array(4096);
const delta_W1 = new Float64Array(8192);
const dL_dW1 = new Float64Array(100352);
const dL_db1 = new Float64Array(128);
const dL_dW2 = new Float64Array(8192);
const dL_db2 = new Float64Array(64);
const dL_dW3 = new Float64Array(640);
const dL_db3 = new Float64Array(10);
const scalars = new Float64Array(1);
const forwardResult = { outputs: [logits], loss: NaN };
const gradientResult = {
  values: [logits, NaN],
  grads: [dL_dW1, dL_db1, dL_dW2, dL_db2, dL_dW3, dL_db3],
  loss: NaN
};
function forward(params, data) {
  const W1 = params[0];
  const b1 = params[1];
  const W2 = params[2];
  const b2 = params[3];
  const W3 = params[4];
  const b3 = params[5];
  const x = data[0];
  const y = data[1];
  for (let i4 = 0; i4 < 64; i4 += 4) {
    const x0 = i4 * 784;
    for (let j = 0; j < 128; j += 2) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let k = 0; k < 784; k++) {
        const a0 = x[x0 + k], a1 = x[x0 + 784 + k], a2 = x[x0 + 1568 + k], a3 = x[x0 + 2352 + k];
        
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
    for (let j = 0; j < 128; j++) {
      z_h1[i * 128 + j] = b1[j] + z_h1[i * 128 + j];
    }
  }
  for (let p = 0; p < 8192; p++) {
    h1[p] = Math.max(z_h1[p], 0);
  }
  for (let i = 0; i < 64; i++) {
    for (let jb = 0; jb < 64; jb += 16) {
      let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0, acc6 = 0, acc7 = 0, acc8 = 0, acc9 = 0, acc10 = 0, acc11 = 0, acc12 = 0, acc13 = 0, acc14 = 0, acc15 = 0;
      for (let k = 0; k < 128; k++) {
        const aik = h1[i * 128 + k];
        acc0 += aik * W2[k * 64 + jb];
        acc1 += aik * W2[k * 64 + jb + 1];
        acc2 += aik * W2[k * 64 + jb + 2];
        acc3 += aik * W2[k * 64 + jb + 3];
        acc4 += aik * W2[k * 64 + jb + 4];
        acc5 += aik * W2[k * 64 + jb + 5];
        acc6 += aik * W2[k * 64 + jb + 6];
        acc7 += aik * W2[k * 64 + jb + 7];
        acc8 += aik * W2[k * 64 + jb + 8];
        acc9 += aik * W2[k * 64 + jb + 9];
        acc10 += aik * W2[k * 64 + jb + 10];
        acc11 += aik * W2[k * 64 + jb + 11];
        acc12 += aik * W2[k * 64 + jb + 12];
        acc13 += aik * W2[k * 64 + jb + 13];
        acc14 += aik * W2[k * 64 + jb + 14];
        acc15 += aik * W2[k * 64 + jb + 15];
      }
      z_h2[i * 64 + jb] = acc0;
      z_h2[i * 64 + jb + 1] = acc1;
      z_h2[i * 64 + jb + 2] = acc2;
      z_h2[i * 64 + jb + 3] = acc3;
      z_h2[i * 64 + jb + 4] = acc4;
      z_h2[i * 64 + jb + 5] = acc5;
      z_h2[i * 64 + jb + 6] = acc6;
      z_h2[i * 64 + jb + 7] = acc7;
      z_h2[i * 64 + jb + 8] = acc8;
      z_h2[i * 64 + jb + 9] = acc9;
      z_h2[i * 64 + jb + 10] = acc10;
      z_h2[i * 64 + jb + 11] = acc11;
      z_h2[i * 64 + jb + 12] = acc12;
      z_h2[i * 64 + jb + 13] = acc13;
      z_h2[i * 64 + jb + 14] = acc14;
      z_h2[i * 64 + jb + 15] = acc15;
    }
    for (let j = 0; j < 64; j++) {
      z_h2[i * 64 + j] = b2[j] + z_h2[i * 64 + j];
    }
  }
  for (let p = 0; p < 4096; p++) {
    h2[p] = Math.max(z_h2[p], 0);
  }
  for (let i = 0; i < 64; i++) {
    let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0, acc6 = 0, acc7 = 0, acc8 = 0, acc9 = 0;
    for (let k = 0; k < 64; k++) {
      const aik = h2[i * 64 + k];
      acc0 += aik * W3[k * 10];
      acc1 += aik * W3[k * 10 + 1];
      acc2 += aik * W3[k * 10 + 2];
      acc3 += aik * W3[k * 10 + 3];
      acc4 += aik * W3[k * 10 + 4];
      acc5 += aik * W3[k * 10 + 5];
      acc6 += aik * W3[k * 10 + 6];
      acc7 += aik * W3[k * 10 + 7];
      acc8 += aik * W3[k * 10 + 8];
      acc9 += aik * W3[k * 10 + 9];
    }
    logits[i * 10] = acc0;
    logits[i * 10 + 1] = acc1;
    logits[i * 10 + 2] = acc2;
    logits[i * 10 + 3] = acc3;
    logits[i * 10 + 4] = acc4;
    logits[i * 10 + 5] = acc5;
    logits[i * 10 + 6] = acc6;
    logits[i * 10 + 7] = acc7;
    logits[i * 10 + 8] = acc8;
    logits[i * 10 + 9] = acc9;
    for (let j = 0; j < 10; j++) {
      logits[i * 10 + j] = b3[j] + logits[i * 10 + j];
    }
  }
  let acc = 0;
  for (let i = 0; i < 64; i++) {
    let mx = -Infinity;
    for (let j = 0; j < 10; j++) {
      mx = Math.max(mx, logits[i * 10 + j]);
    }
    let sumExp = 0;
    for (let j = 0; j < 10; j++) {
      sumExp += Math.exp(logits[i * 10 + j] - mx);
    }
    const lse = mx + Math.log(sumExp);
    for (let j = 0; j < 10; j++) {
      if (y[i * 10 + j] !== 0) acc -= y[i * 10 + j] * (logits[i * 10 + j] - lse);
    }
  }
  const L = acc / 64;
  forwardResult.loss = L;
  return forwardResult;
}
function backprop(params, data) {
  const W1 = params[0];
  const b1 = params[1];
  const W2 = params[2];
  const b2 = params[3];
  const W3 = params[4];
  const b3 = params[5];
  const x = data[0];
  const y = data[1];
  for (let i4 = 0; i4 < 64; i4 += 4) {
    const x0 = i4 * 784;
    for (let j = 0; j < 128; j += 2) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let k = 0; k < 784; k++) {
        const a0 = x[x0 + k], a1 = x[x0 + 784 + k], a2 = x[x0 + 1568 + k], a3 = x[x0 + 2352 + k];
        
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
    for (let j = 0; j < 128; j++) {
      z_h1[i * 128 + j] = b1[j] + z_h1[i * 128 + j];
    }
  }
  for (let p = 0; p < 8192; p++) {
    h1[p] = Math.max(z_h1[p], 0);
  }
  for (let i = 0; i < 64; i++) {
    for (let jb = 0; jb < 64; jb += 16) {
      let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0, acc6 = 0, acc7 = 0, acc8 = 0, acc9 = 0, acc10 = 0, acc11 = 0, acc12 = 0, acc13 = 0, acc14 = 0, acc15 = 0;
      for (let k = 0; k < 128; k++) {
        const aik = h1[i * 128 + k];
        acc0 += aik * W2[k * 64 + jb];
        acc1 += aik * W2[k * 64 + jb + 1];
        acc2 += aik * W2[k * 64 + jb + 2];
        acc3 += aik * W2[k * 64 + jb + 3];
        acc4 += aik * W2[k * 64 + jb + 4];
        acc5 += aik * W2[k * 64 + jb + 5];
        acc6 += aik * W2[k * 64 + jb + 6];
        acc7 += aik * W2[k * 64 + jb + 7];
        acc8 += aik * W2[k * 64 + jb + 8];
        acc9 += aik * W2[k * 64 + jb + 9];
        acc10 += aik * W2[k * 64 + jb + 10];
        acc11 += aik * W2[k * 64 + jb + 11];
        acc12 += aik * W2[k * 64 + jb + 12];
        acc13 += aik * W2[k * 64 + jb + 13];
        acc14 += aik * W2[k * 64 + jb + 14];
        acc15 += aik * W2[k * 64 + jb + 15];
      }
      z_h2[i * 64 + jb] = acc0;
      z_h2[i * 64 + jb + 1] = acc1;
      z_h2[i * 64 + jb + 2] = acc2;
      z_h2[i * 64 + jb + 3] = acc3;
      z_h2[i * 64 + jb + 4] = acc4;
      z_h2[i * 64 + jb + 5] = acc5;
      z_h2[i * 64 + jb + 6] = acc6;
      z_h2[i * 64 + jb + 7] = acc7;
      z_h2[i * 64 + jb + 8] = acc8;
      z_h2[i * 64 + jb + 9] = acc9;
      z_h2[i * 64 + jb + 10] = acc10;
      z_h2[i * 64 + jb + 11] = acc11;
      z_h2[i * 64 + jb + 12] = acc12;
      z_h2[i * 64 + jb + 13] = acc13;
      z_h2[i * 64 + jb + 14] = acc14;
      z_h2[i * 64 + jb + 15] = acc15;
    }
    for (let j = 0; j < 64; j++) {
      z_h2[i * 64 + j] = b2[j] + z_h2[i * 64 + j];
    }
  }
  for (let p = 0; p < 4096; p++) {
    h2[p] = Math.max(z_h2[p], 0);
  }
  for (let i = 0; i < 64; i++) {
    let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0, acc6 = 0, acc7 = 0, acc8 = 0, acc9 = 0;
    for (let k = 0; k < 64; k++) {
      const aik = h2[i * 64 + k];
      acc0 += aik * W3[k * 10];
      acc1 += aik * W3[k * 10 + 1];
      acc2 += aik * W3[k * 10 + 2];
      acc3 += aik * W3[k * 10 + 3];
      acc4 += aik * W3[k * 10 + 4];
      acc5 += aik * W3[k * 10 + 5];
      acc6 += aik * W3[k * 10 + 6];
      acc7 += aik * W3[k * 10 + 7];
      acc8 += aik * W3[k * 10 + 8];
      acc9 += aik * W3[k * 10 + 9];
    }
    logits[i * 10] = acc0;
    logits[i * 10 + 1] = acc1;
    logits[i * 10 + 2] = acc2;
    logits[i * 10 + 3] = acc3;
    logits[i * 10 + 4] = acc4;
    logits[i * 10 + 5] = acc5;
    logits[i * 10 + 6] = acc6;
    logits[i * 10 + 7] = acc7;
    logits[i * 10 + 8] = acc8;
    logits[i * 10 + 9] = acc9;
    for (let j = 0; j < 10; j++) {
      logits[i * 10 + j] = b3[j] + logits[i * 10 + j];
    }
  }
  let acc_1 = 0;
  for (let i = 0; i < 64; i++) {
    let mx_1 = -Infinity;
    for (let j = 0; j < 10; j++) {
      mx_1 = Math.max(mx_1, logits[i * 10 + j]);
    }
    let sumExp_1 = 0;
    for (let j = 0; j < 10; j++) {
      sumExp_1 += Math.exp(logits[i * 10 + j] - mx_1);
    }
    const lse_1 = mx_1 + Math.log(sumExp_1);
    for (let j = 0; j < 10; j++) {
      if (y[i * 10 + j] !== 0) acc_1 -= y[i * 10 + j] * (logits[i * 10 + j] - lse_1);
    }
  }
  const L = acc_1 / 64;
  for (let i = 0; i < 64; i++) {
    const base = i * 10;
    let mx_2 = -Infinity;
    for (let r = 0; r < 10; r++) {
      mx_2 = Math.max(mx_2, logits[base + r]);
    }
    let acc_2 = 0;
    for (let r = 0; r < 10; r++) {
      acc_2 += t_softmax[base + r] = Math.exp(logits[base + r] - mx_2);
    }
    for (let r = 0; r < 10; r++) {
      t_softmax[base + r] /= acc_2;
    }
  }
  for (let i = 0; i < 64; i++) {
    let acc_3 = 0;
    for (let j = 0; j < 10; j++) {
      acc_3 += y[i * 10 + j];
    }
    t_sum[i] = acc_3;
  }
  for (let i = 0, p = 0; i < 64; i++) {
    for (let j = 0; j < 10; j++, p++) {
      delta_W3_unscaled[p] = t_softmax[p] * t_sum[i] - y[p];
    }
  }
  for (let p = 0; p < 640; p++) {
    dL_dlogits[p] = 0.015625 * delta_W3_unscaled[p];
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      const dL_dh2 = dL_dlogits[i * 10] * W3[j * 10] + dL_dlogits[i * 10 + 1] * W3[j * 10 + 1] + dL_dlogits[i * 10 + 2] * W3[j * 10 + 2] + dL_dlogits[i * 10 + 3] * W3[j * 10 + 3] + dL_dlogits[i * 10 + 4] * W3[j * 10 + 4] + dL_dlogits[i * 10 + 5] * W3[j * 10 + 5] + dL_dlogits[i * 10 + 6] * W3[j * 10 + 6] + dL_dlogits[i * 10 + 7] * W3[j * 10 + 7] + dL_dlogits[i * 10 + 8] * W3[j * 10 + 8] + dL_dlogits[i * 10 + 9] * W3[j * 10 + 9];
      delta_W2[i * 64 + j] = dL_dh2 * (z_h2[i * 64 + j] > 0 ? 1 : 0);
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let jb = 0; jb < 128; jb += 16) {
      let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0, acc6 = 0, acc7 = 0, acc8 = 0, acc9 = 0, acc10 = 0, acc11 = 0, acc12 = 0, acc13 = 0, acc14 = 0, acc15 = 0;
      for (let k = 0; k < 64; k++) {
        const aik = delta_W2[i * 64 + k];
        acc0 += aik * W2[jb * 64 + k];
        acc1 += aik * W2[(jb + 1) * 64 + k];
        acc2 += aik * W2[(jb + 2) * 64 + k];
        acc3 += aik * W2[(jb + 3) * 64 + k];
        acc4 += aik * W2[(jb + 4) * 64 + k];
        acc5 += aik * W2[(jb + 5) * 64 + k];
        acc6 += aik * W2[(jb + 6) * 64 + k];
        acc7 += aik * W2[(jb + 7) * 64 + k];
        acc8 += aik * W2[(jb + 8) * 64 + k];
        acc9 += aik * W2[(jb + 9) * 64 + k];
        acc10 += aik * W2[(jb + 10) * 64 + k];
        acc11 += aik * W2[(jb + 11) * 64 + k];
        acc12 += aik * W2[(jb + 12) * 64 + k];
        acc13 += aik * W2[(jb + 13) * 64 + k];
        acc14 += aik * W2[(jb + 14) * 64 + k];
        acc15 += aik * W2[(jb + 15) * 64 + k];
      }
      delta_W1[i * 128 + jb] = acc0;
      delta_W1[i * 128 + jb + 1] = acc1;
      delta_W1[i * 128 + jb + 2] = acc2;
      delta_W1[i * 128 + jb + 3] = acc3;
      delta_W1[i * 128 + jb + 4] = acc4;
      delta_W1[i * 128 + jb + 5] = acc5;
      delta_W1[i * 128 + jb + 6] = acc6;
      delta_W1[i * 128 + jb + 7] = acc7;
      delta_W1[i * 128 + jb + 8] = acc8;
      delta_W1[i * 128 + jb + 9] = acc9;
      delta_W1[i * 128 + jb + 10] = acc10;
      delta_W1[i * 128 + jb + 11] = acc11;
      delta_W1[i * 128 + jb + 12] = acc12;
      delta_W1[i * 128 + jb + 13] = acc13;
      delta_W1[i * 128 + jb + 14] = acc14;
      delta_W1[i * 128 + jb + 15] = acc15;
    }
    for (let j = 0; j < 128; j++) {
      const dL_dh1 = delta_W1[i * 128 + j];
      delta_W1[i * 128 + j] = dL_dh1 * (z_h1[i * 128 + j] > 0 ? 1 : 0);
    }
  }
  for (let i = 0; i < 784; i += 2) {
    for (let j = 0; j < 128; j += 4) {
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
      for (let k = 0; k < 64; k++) {
        const a0 = x[k * 784 + i], a1 = x[k * 784 + i + 1];
        
        const d = k * 128 + j;
        const d0 = delta_W1[d], d1 = delta_W1[d + 1], d2 = delta_W1[d + 2], d3 = delta_W1[d + 3];
        s0 += a0 * d0; s1 += a0 * d1; s2 += a0 * d2; s3 += a0 * d3;
        t0 += a1 * d0; t1 += a1 * d1; t2 += a1 * d2; t3 += a1 * d3;
      }
      const g = i * 128 + j;
      dL_dW1[g] = s0; dL_dW1[g + 1] = s1; dL_dW1[g + 2] = s2; dL_dW1[g + 3] = s3;
      dL_dW1[g + 128] = t0; dL_dW1[g + 129] = t1; dL_dW1[g + 130] = t2; dL_dW1[g + 131] = t3;
    }
  }
  dL_db1.fill(0);
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 128; j++) {
      dL_db1[j] += delta_W1[i * 128 + j];
    }
  }
  dL_dW2.fill(0);
  for (let k = 0; k < 64; k++) {
    for (let jb = 0; jb < 64; jb += 16) {
      const bk0 = delta_W2[k * 64 + jb], bk1 = delta_W2[k * 64 + jb + 1], bk2 = delta_W2[k * 64 + jb + 2], bk3 = delta_W2[k * 64 + jb + 3], bk4 = delta_W2[k * 64 + jb + 4], bk5 = delta_W2[k * 64 + jb + 5], bk6 = delta_W2[k * 64 + jb + 6], bk7 = delta_W2[k * 64 + jb + 7], bk8 = delta_W2[k * 64 + jb + 8], bk9 = delta_W2[k * 64 + jb + 9], bk10 = delta_W2[k * 64 + jb + 10], bk11 = delta_W2[k * 64 + jb + 11], bk12 = delta_W2[k * 64 + jb + 12], bk13 = delta_W2[k * 64 + jb + 13], bk14 = delta_W2[k * 64 + jb + 14], bk15 = delta_W2[k * 64 + jb + 15];
      for (let i = 0; i < 128; i++) {
        const aki = h1[k * 128 + i];
        dL_dW2[i * 64 + jb] += aki * bk0;
        dL_dW2[i * 64 + jb + 1] += aki * bk1;
        dL_dW2[i * 64 + jb + 2] += aki * bk2;
        dL_dW2[i * 64 + jb + 3] += aki * bk3;
        dL_dW2[i * 64 + jb + 4] += aki * bk4;
        dL_dW2[i * 64 + jb + 5] += aki * bk5;
        dL_dW2[i * 64 + jb + 6] += aki * bk6;
        dL_dW2[i * 64 + jb + 7] += aki * bk7;
        dL_dW2[i * 64 + jb + 8] += aki * bk8;
        dL_dW2[i * 64 + jb + 9] += aki * bk9;
        dL_dW2[i * 64 + jb + 10] += aki * bk10;
        dL_dW2[i * 64 + jb + 11] += aki * bk11;
        dL_dW2[i * 64 + jb + 12] += aki * bk12;
        dL_dW2[i * 64 + jb + 13] += aki * bk13;
        dL_dW2[i * 64 + jb + 14] += aki * bk14;
        dL_dW2[i * 64 + jb + 15] += aki * bk15;
      }
    }
  }
  dL_db2.fill(0);
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      dL_db2[j] += delta_W2[i * 64 + j];
    }
  }
  dL_dW3.fill(0);
  for (let k = 0; k < 64; k++) {
    const bk0 = delta_W3_unscaled[k * 10], bk1 = delta_W3_unscaled[k * 10 + 1], bk2 = delta_W3_unscaled[k * 10 + 2], bk3 = delta_W3_unscaled[k * 10 + 3], bk4 = delta_W3_unscaled[k * 10 + 4], bk5 = delta_W3_unscaled[k * 10 + 5], bk6 = delta_W3_unscaled[k * 10 + 6], bk7 = delta_W3_unscaled[k * 10 + 7], bk8 = delta_W3_unscaled[k * 10 + 8], bk9 = delta_W3_unscaled[k * 10 + 9];
    for (let i = 0; i < 64; i++) {
      const aki = h2[k * 64 + i];
      dL_dW3[i * 10] += aki * bk0;
      dL_dW3[i * 10 + 1] += aki * bk1;
      dL_dW3[i * 10 + 2] += aki * bk2;
      dL_dW3[i * 10 + 3] += aki * bk3;
      dL_dW3[i * 10 + 4] += aki * bk4;
      dL_dW3[i * 10 + 5] += aki * bk5;
      dL_dW3[i * 10 + 6] += aki * bk6;
      dL_dW3[i * 10 + 7] += aki * bk7;
      dL_dW3[i * 10 + 8] += aki * bk8;
      dL_dW3[i * 10 + 9] += aki * bk9;
    }
  }
  for (let p = 0; p < 640; p++) {
    dL_dW3[p] = 0.015625 * dL_dW3[p];
  }
  dL_db3.fill(0);
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 10; j++) {
      dL_db3[j] += delta_W3_unscaled[i * 10 + j];
    }
  }
  for (let i = 0; i < 10; i++) {
    dL_db3[i] = 0.015625 * dL_db3[i];
  }
  scalars[0] = L;
}
function gradient(params, data) {
  backprop(params, data);
  gradientResult.values[1] = scalars[0];
  gradientResult.loss = scalars[0];
  return gradientResult;
}
function step(params, data, hyper, state) {
  backprop(params, data);
  const lr = hyper.lr;
  const W1 = params[0];
  for (let i = 0; i < 100352; i++) {
    W1[i] -= lr * dL_dW1[i];
  }
  const b1 = params[1];
  for (let i = 0; i < 128; i++) {
    b1[i] -= lr * dL_db1[i];
  }
  const W2 = params[2];
  for (let i = 0; i < 8192; i++) {
    W2[i] -= lr * dL_dW2[i];
  }
  const b2 = params[3];
  for (let i = 0; i < 64; i++) {
    b2[i] -= lr * dL_db2[i];
  }
  const W3 = params[4];
  for (let i = 0; i < 640; i++) {
    W3[i] -= lr * dL_dW3[i];
  }
  const b3 = params[5];
  for (let i = 0; i < 10; i++) {
    b3[i] -= lr * dL_db3[i];
  }
  return scalars[0];
}
export {
  forward,
  gradient,
  meta,
  step
};
