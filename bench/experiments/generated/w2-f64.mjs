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
const delta_W2 = new Float64Array(320);
const delta_W1 = new Float64Array(480);
const dL_dW1 = new Float64Array(11760);
const dL_db1 = new Float64Array(15);
const dL_dW2 = new Float64Array(150);
const dL_db2 = new Float64Array(10);
let L = NaN;
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
    for (let j = 0; j < 15; j++) {
      h[i * 15 + j] = 0;
    }
    for (let k = 0; k < 784; k++) {
      const aik = x[i * 784 + k];
      for (let j = 0; j < 15; j++) {
        h[i * 15 + j] += aik * W1[k * 15 + j];
      }
    }
    for (let j = 0; j < 15; j++) {
      h[i * 15 + j] = sigmoid(b1[j] + h[i * 15 + j]);
    }
  }
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 10; j++) {
      logits[i * 10 + j] = 0;
    }
    for (let k = 0; k < 15; k++) {
      const aik_1 = h[i * 15 + k];
      for (let j = 0; j < 10; j++) {
        logits[i * 10 + j] += aik_1 * W2[k * 10 + j];
      }
    }
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
  L = acc / 32;
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
    for (let j = 0; j < 15; j++) {
      h[i * 15 + j] = 0;
    }
    for (let k = 0; k < 784; k++) {
      const aik_2 = x[i * 784 + k];
      for (let j = 0; j < 15; j++) {
        h[i * 15 + j] += aik_2 * W1[k * 15 + j];
      }
    }
    for (let j = 0; j < 15; j++) {
      h[i * 15 + j] = sigmoid(b1[j] + h[i * 15 + j]);
    }
  }
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 10; j++) {
      logits[i * 10 + j] = 0;
    }
    for (let k = 0; k < 15; k++) {
      const aik_3 = h[i * 15 + k];
      for (let j = 0; j < 10; j++) {
        logits[i * 10 + j] += aik_3 * W2[k * 10 + j];
      }
    }
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
  L = acc_1 / 32;
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
      delta_W2[p] = t_softmax[p] * t_sum[i] - y[p];
    }
  }
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 15; j++) {
      let acc_4 = 0;
      for (let k = 0; k < 10; k++) {
        acc_4 += delta_W2[i * 10 + k] * W2[j * 10 + k];
      }
      delta_W1[i * 15 + j] = acc_4 * (h[i * 15 + j] * (1 - h[i * 15 + j]));
    }
  }
  dL_dW1.fill(0);
  for (let k = 0; k < 32; k++) {
    for (let i = 0; i < 784; i++) {
      const aki = x[k * 784 + i];
      for (let j = 0; j < 15; j++) {
        dL_dW1[i * 15 + j] += aki * delta_W1[k * 15 + j];
      }
    }
  }
  for (let p = 0; p < 11760; p++) {
    dL_dW1[p] = 0.03125 * dL_dW1[p];
  }
  dL_db1.fill(0);
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 15; j++) {
      dL_db1[j] += delta_W1[i * 15 + j];
    }
  }
  for (let i = 0; i < 15; i++) {
    dL_db1[i] = 0.03125 * dL_db1[i];
  }
  dL_dW2.fill(0);
  for (let k = 0; k < 32; k++) {
    for (let i = 0; i < 15; i++) {
      const aki_1 = h[k * 15 + i];
      for (let j = 0; j < 10; j++) {
        dL_dW2[i * 10 + j] += aki_1 * delta_W2[k * 10 + j];
      }
    }
  }
  for (let p = 0; p < 150; p++) {
    dL_dW2[p] = 0.03125 * dL_dW2[p];
  }
  dL_db2.fill(0);
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 10; j++) {
      dL_db2[j] += delta_W2[i * 10 + j];
    }
  }
  for (let i = 0; i < 10; i++) {
    dL_db2[i] = 0.03125 * dL_db2[i];
  }
}
function gradient(params, data) {
  backprop(params, data);
  gradientResult.values[1] = L;
  gradientResult.loss = L;
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
  return L;
}
export {
  forward,
  gradient,
  meta,
  step
};
