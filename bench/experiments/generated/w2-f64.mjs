function record(entries) {
  const out = /* @__PURE__ */ Object.create(null);
  for (const [k, v] of entries) out[k] = v;
  return out;
}
const meta = {
  name: "mlp_softmax",
  file: "bench/models/mlp_softmax.net",
  sourceHash: "293c330439d26fb7",
  netcVersion: "0.1.0",
  dtype: "f64",
  dims: record([["B", 32]]),
  data: [
    { name: "x", shape: [32, 784], size: 25088, role: "input", default: null, batchDim: "B" },
    { name: "y", shape: [32, 10], size: 320, role: "target", default: null, batchDim: "B" }
  ],
  params: [
    { name: "W1", shape: [784, 15], size: 11760, init: { kind: "xavier" } },
    { name: "b1", shape: [15], size: 15, init: { kind: "zeros" } },
    { name: "W2", shape: [15, 10], size: 150, init: { kind: "xavier" } },
    { name: "b2", shape: [10], size: 10, init: { kind: "zeros" } }
  ],
  outputs: [{ name: "logits", shape: [32, 10], size: 320 }],
  loss: "L",
  grads: [
    { of: "L", wrt: "W1", key: "L/W1", shape: [784, 15] },
    { of: "L", wrt: "b1", key: "L/b1", shape: [15] },
    { of: "L", wrt: "W2", key: "L/W2", shape: [15, 10] },
    { of: "L", wrt: "b2", key: "L/b2", shape: [10] }
  ],
  values: [
    { name: "logits", shape: [32, 10], size: 320 },
    { name: "L", shape: [], size: 1 }
  ],
  train: {
    optimizer: { kind: "sgd", lr: 0.5, momentum: 0 },
    epochs: 10,
    steps: null,
    seed: 1,
    schedule: { kind: "constant" },
    shuffle: true
  },
  statePerParam: 0
};
function sigmoid(x) {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
const h = new Float64Array(480);
const logits = new Float64Array(320);
const t_softmax = new Float64Array(320);
const t_sum = new Float64Array(32);
const delta_W2_unscaled = new Float64Array(320);
const dL_dlogits = new Float64Array(320);
const delta_W1 = new Float64Array(480);
const dL_dW1 = new Float64Array(11760);
const dL_db1 = new Float64Array(15);
const dL_dW2 = new Float64Array(150);
const dL_db2 = new Float64Array(10);
const scalars = new Float64Array(1);
const forwardResult = { outputs: [logits], loss: NaN };
const gradientResult = {
  values: [logits, NaN],
  grads: [dL_dW1, dL_db1, dL_dW2, dL_db2],
  loss: NaN
};
function forward(params, data) {
  const W1 = params[0];
  const b1 = params[1];
  const W2 = params[2];
  const b2 = params[3];
  const x = data[0];
  const y = data[1];
  for (let i = 0; i < 32; i++) {
    let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0, acc6 = 0, acc7 = 0, acc8 = 0, acc9 = 0, acc10 = 0, acc11 = 0, acc12 = 0, acc13 = 0, acc14 = 0;
    for (let k = 0; k < 784; k++) {
      const aik = x[i * 784 + k];
      acc0 += aik * W1[k * 15];
      acc1 += aik * W1[k * 15 + 1];
      acc2 += aik * W1[k * 15 + 2];
      acc3 += aik * W1[k * 15 + 3];
      acc4 += aik * W1[k * 15 + 4];
      acc5 += aik * W1[k * 15 + 5];
      acc6 += aik * W1[k * 15 + 6];
      acc7 += aik * W1[k * 15 + 7];
      acc8 += aik * W1[k * 15 + 8];
      acc9 += aik * W1[k * 15 + 9];
      acc10 += aik * W1[k * 15 + 10];
      acc11 += aik * W1[k * 15 + 11];
      acc12 += aik * W1[k * 15 + 12];
      acc13 += aik * W1[k * 15 + 13];
      acc14 += aik * W1[k * 15 + 14];
    }
    h[i * 15] = acc0;
    h[i * 15 + 1] = acc1;
    h[i * 15 + 2] = acc2;
    h[i * 15 + 3] = acc3;
    h[i * 15 + 4] = acc4;
    h[i * 15 + 5] = acc5;
    h[i * 15 + 6] = acc6;
    h[i * 15 + 7] = acc7;
    h[i * 15 + 8] = acc8;
    h[i * 15 + 9] = acc9;
    h[i * 15 + 10] = acc10;
    h[i * 15 + 11] = acc11;
    h[i * 15 + 12] = acc12;
    h[i * 15 + 13] = acc13;
    h[i * 15 + 14] = acc14;
    for (let j = 0; j < 15; j++) {
      h[i * 15 + j] = sigmoid(b1[j] + h[i * 15 + j]);
    }
  }
  for (let i = 0; i < 32; i++) {
    let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0, acc6 = 0, acc7 = 0, acc8 = 0, acc9 = 0;
    for (let k = 0; k < 15; k++) {
      const aik = h[i * 15 + k];
      acc0 += aik * W2[k * 10];
      acc1 += aik * W2[k * 10 + 1];
      acc2 += aik * W2[k * 10 + 2];
      acc3 += aik * W2[k * 10 + 3];
      acc4 += aik * W2[k * 10 + 4];
      acc5 += aik * W2[k * 10 + 5];
      acc6 += aik * W2[k * 10 + 6];
      acc7 += aik * W2[k * 10 + 7];
      acc8 += aik * W2[k * 10 + 8];
      acc9 += aik * W2[k * 10 + 9];
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
      logits[i * 10 + j] = b2[j] + logits[i * 10 + j];
    }
  }
  let acc = 0;
  for (let i = 0; i < 32; i++) {
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
  const L = acc / 32;
  forwardResult.loss = L;
  return forwardResult;
}
function backprop(params, data) {
  const W1 = params[0];
  const b1 = params[1];
  const W2 = params[2];
  const b2 = params[3];
  const x = data[0];
  const y = data[1];
  for (let i = 0; i < 32; i++) {
    let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0, acc6 = 0, acc7 = 0, acc8 = 0, acc9 = 0, acc10 = 0, acc11 = 0, acc12 = 0, acc13 = 0, acc14 = 0;
    for (let k = 0; k < 784; k++) {
      const aik = x[i * 784 + k];
      acc0 += aik * W1[k * 15];
      acc1 += aik * W1[k * 15 + 1];
      acc2 += aik * W1[k * 15 + 2];
      acc3 += aik * W1[k * 15 + 3];
      acc4 += aik * W1[k * 15 + 4];
      acc5 += aik * W1[k * 15 + 5];
      acc6 += aik * W1[k * 15 + 6];
      acc7 += aik * W1[k * 15 + 7];
      acc8 += aik * W1[k * 15 + 8];
      acc9 += aik * W1[k * 15 + 9];
      acc10 += aik * W1[k * 15 + 10];
      acc11 += aik * W1[k * 15 + 11];
      acc12 += aik * W1[k * 15 + 12];
      acc13 += aik * W1[k * 15 + 13];
      acc14 += aik * W1[k * 15 + 14];
    }
    h[i * 15] = acc0;
    h[i * 15 + 1] = acc1;
    h[i * 15 + 2] = acc2;
    h[i * 15 + 3] = acc3;
    h[i * 15 + 4] = acc4;
    h[i * 15 + 5] = acc5;
    h[i * 15 + 6] = acc6;
    h[i * 15 + 7] = acc7;
    h[i * 15 + 8] = acc8;
    h[i * 15 + 9] = acc9;
    h[i * 15 + 10] = acc10;
    h[i * 15 + 11] = acc11;
    h[i * 15 + 12] = acc12;
    h[i * 15 + 13] = acc13;
    h[i * 15 + 14] = acc14;
    for (let j = 0; j < 15; j++) {
      h[i * 15 + j] = sigmoid(b1[j] + h[i * 15 + j]);
    }
  }
  for (let i = 0; i < 32; i++) {
    let acc0 = 0, acc1 = 0, acc2 = 0, acc3 = 0, acc4 = 0, acc5 = 0, acc6 = 0, acc7 = 0, acc8 = 0, acc9 = 0;
    for (let k = 0; k < 15; k++) {
      const aik = h[i * 15 + k];
      acc0 += aik * W2[k * 10];
      acc1 += aik * W2[k * 10 + 1];
      acc2 += aik * W2[k * 10 + 2];
      acc3 += aik * W2[k * 10 + 3];
      acc4 += aik * W2[k * 10 + 4];
      acc5 += aik * W2[k * 10 + 5];
      acc6 += aik * W2[k * 10 + 6];
      acc7 += aik * W2[k * 10 + 7];
      acc8 += aik * W2[k * 10 + 8];
      acc9 += aik * W2[k * 10 + 9];
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
      logits[i * 10 + j] = b2[j] + logits[i * 10 + j];
    }
  }
  let acc_1 = 0;
  for (let i = 0; i < 32; i++) {
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
  const L = acc_1 / 32;
  for (let i = 0; i < 32; i++) {
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
  for (let i = 0; i < 32; i++) {
    let acc_3 = 0;
    for (let j = 0; j < 10; j++) {
      acc_3 += y[i * 10 + j];
    }
    t_sum[i] = acc_3;
  }
  for (let i = 0, p = 0; i < 32; i++) {
    for (let j = 0; j < 10; j++, p++) {
      delta_W2_unscaled[p] = t_softmax[p] * t_sum[i] - y[p];
    }
  }
  for (let p = 0; p < 320; p++) {
    dL_dlogits[p] = 0.03125 * delta_W2_unscaled[p];
  }
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 15; j++) {
      const dL_dh = dL_dlogits[i * 10] * W2[j * 10] + dL_dlogits[i * 10 + 1] * W2[j * 10 + 1] + dL_dlogits[i * 10 + 2] * W2[j * 10 + 2] + dL_dlogits[i * 10 + 3] * W2[j * 10 + 3] + dL_dlogits[i * 10 + 4] * W2[j * 10 + 4] + dL_dlogits[i * 10 + 5] * W2[j * 10 + 5] + dL_dlogits[i * 10 + 6] * W2[j * 10 + 6] + dL_dlogits[i * 10 + 7] * W2[j * 10 + 7] + dL_dlogits[i * 10 + 8] * W2[j * 10 + 8] + dL_dlogits[i * 10 + 9] * W2[j * 10 + 9];
      delta_W1[i * 15 + j] = dL_dh * (h[i * 15 + j] * (1 - h[i * 15 + j]));
    }
  }
  dL_dW1.fill(0);
  for (let k = 0; k < 32; k++) {
    const bk0 = delta_W1[k * 15], bk1 = delta_W1[k * 15 + 1], bk2 = delta_W1[k * 15 + 2], bk3 = delta_W1[k * 15 + 3], bk4 = delta_W1[k * 15 + 4], bk5 = delta_W1[k * 15 + 5], bk6 = delta_W1[k * 15 + 6], bk7 = delta_W1[k * 15 + 7], bk8 = delta_W1[k * 15 + 8], bk9 = delta_W1[k * 15 + 9], bk10 = delta_W1[k * 15 + 10], bk11 = delta_W1[k * 15 + 11], bk12 = delta_W1[k * 15 + 12], bk13 = delta_W1[k * 15 + 13], bk14 = delta_W1[k * 15 + 14];
    for (let i = 0; i < 784; i++) {
      const aki = x[k * 784 + i];
      dL_dW1[i * 15] += aki * bk0;
      dL_dW1[i * 15 + 1] += aki * bk1;
      dL_dW1[i * 15 + 2] += aki * bk2;
      dL_dW1[i * 15 + 3] += aki * bk3;
      dL_dW1[i * 15 + 4] += aki * bk4;
      dL_dW1[i * 15 + 5] += aki * bk5;
      dL_dW1[i * 15 + 6] += aki * bk6;
      dL_dW1[i * 15 + 7] += aki * bk7;
      dL_dW1[i * 15 + 8] += aki * bk8;
      dL_dW1[i * 15 + 9] += aki * bk9;
      dL_dW1[i * 15 + 10] += aki * bk10;
      dL_dW1[i * 15 + 11] += aki * bk11;
      dL_dW1[i * 15 + 12] += aki * bk12;
      dL_dW1[i * 15 + 13] += aki * bk13;
      dL_dW1[i * 15 + 14] += aki * bk14;
    }
  }
  dL_db1.fill(0);
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 15; j++) {
      dL_db1[j] += delta_W1[i * 15 + j];
    }
  }
  dL_dW2.fill(0);
  for (let k = 0; k < 32; k++) {
    const bk0 = delta_W2_unscaled[k * 10], bk1 = delta_W2_unscaled[k * 10 + 1], bk2 = delta_W2_unscaled[k * 10 + 2], bk3 = delta_W2_unscaled[k * 10 + 3], bk4 = delta_W2_unscaled[k * 10 + 4], bk5 = delta_W2_unscaled[k * 10 + 5], bk6 = delta_W2_unscaled[k * 10 + 6], bk7 = delta_W2_unscaled[k * 10 + 7], bk8 = delta_W2_unscaled[k * 10 + 8], bk9 = delta_W2_unscaled[k * 10 + 9];
    for (let i = 0; i < 15; i++) {
      const aki = h[k * 15 + i];
      dL_dW2[i * 10] += aki * bk0;
      dL_dW2[i * 10 + 1] += aki * bk1;
      dL_dW2[i * 10 + 2] += aki * bk2;
      dL_dW2[i * 10 + 3] += aki * bk3;
      dL_dW2[i * 10 + 4] += aki * bk4;
      dL_dW2[i * 10 + 5] += aki * bk5;
      dL_dW2[i * 10 + 6] += aki * bk6;
      dL_dW2[i * 10 + 7] += aki * bk7;
      dL_dW2[i * 10 + 8] += aki * bk8;
      dL_dW2[i * 10 + 9] += aki * bk9;
    }
  }
  for (let p = 0; p < 150; p++) {
    dL_dW2[p] = 0.03125 * dL_dW2[p];
  }
  dL_db2.fill(0);
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 10; j++) {
      dL_db2[j] += delta_W2_unscaled[i * 10 + j];
    }
  }
  for (let i = 0; i < 10; i++) {
    dL_db2[i] = 0.03125 * dL_db2[i];
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
  for (let i = 0; i < 11760; i++) {
    W1[i] -= lr * dL_dW1[i];
  }
  const b1 = params[1];
  for (let i = 0; i < 15; i++) {
    b1[i] -= lr * dL_db1[i];
  }
  const W2 = params[2];
  for (let i = 0; i < 150; i++) {
    W2[i] -= lr * dL_dW2[i];
  }
  const b2 = params[3];
  for (let i = 0; i < 10; i++) {
    b2[i] -= lr * dL_db2[i];
  }
  return scalars[0];
}
export {
  forward,
  gradient,
  meta,
  step
};
