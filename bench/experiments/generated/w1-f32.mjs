function record(entries) {
  const out = /* @__PURE__ */ Object.create(null);
  for (const [k, v] of entries) out[k] = v;
  return out;
}
const meta = {
  name: "mnist_mlp",
  file: "examples/mnist_mlp.net",
  sourceHash: "6dd381a069c6adc3",
  netcVersion: "0.1.0",
  dtype: "f32",
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
  outputs: [{ name: "yhat", shape: [32, 10], size: 320 }],
  loss: "L",
  grads: [
    { of: "L", wrt: "W1", key: "L/W1", shape: [784, 15] },
    { of: "L", wrt: "b1", key: "L/b1", shape: [15] },
    { of: "L", wrt: "W2", key: "L/W2", shape: [15, 10] },
    { of: "L", wrt: "b2", key: "L/b2", shape: [10] }
  ],
  values: [
    { name: "yhat", shape: [32, 10], size: 320 },
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
const h = new Float32Array(480);
const yhat = new Float32Array(320);
const L_sub = new Float32Array(320);
const L_sum = new Float32Array(32);
const delta_W2 = new Float32Array(320);
const delta_W1 = new Float32Array(480);
const dL_dW1 = new Float32Array(11760);
const dL_db1 = new Float32Array(15);
const dL_dW2 = new Float32Array(150);
const dL_db2 = new Float32Array(10);
let L = NaN;
const forwardResult = { outputs: [yhat], loss: NaN };
const gradientResult = {
  values: [yhat, NaN],
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
      yhat[i * 10 + j] = 0;
    }
    for (let k = 0; k < 15; k++) {
      const aik_1 = h[i * 15 + k];
      for (let j = 0; j < 10; j++) {
        yhat[i * 10 + j] += aik_1 * W2[k * 10 + j];
      }
    }
    for (let j = 0; j < 10; j++) {
      yhat[i * 10 + j] = sigmoid(b2[j] + yhat[i * 10 + j]);
    }
  }
  for (let p = 0; p < 320; p++) {
    L_sub[p] = yhat[p] - y[p];
  }
  for (let i = 0; i < 32; i++) {
    let acc = 0;
    for (let j = 0; j < 10; j++) {
      acc += L_sub[i * 10 + j] * L_sub[i * 10 + j];
    }
    L_sum[i] = acc;
  }
  let acc_1 = 0;
  for (let i = 0; i < 32; i++) {
    acc_1 += L_sum[i];
  }
  L = acc_1 / 32;
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
      yhat[i * 10 + j] = 0;
    }
    for (let k = 0; k < 15; k++) {
      const aik_3 = h[i * 15 + k];
      for (let j = 0; j < 10; j++) {
        yhat[i * 10 + j] += aik_3 * W2[k * 10 + j];
      }
    }
    for (let j = 0; j < 10; j++) {
      yhat[i * 10 + j] = sigmoid(b2[j] + yhat[i * 10 + j]);
    }
  }
  for (let p = 0; p < 320; p++) {
    L_sub[p] = yhat[p] - y[p];
  }
  for (let i = 0; i < 32; i++) {
    let acc_2 = 0;
    for (let j = 0; j < 10; j++) {
      acc_2 += L_sub[i * 10 + j] * L_sub[i * 10 + j];
    }
    L_sum[i] = acc_2;
  }
  let acc_3 = 0;
  for (let i = 0; i < 32; i++) {
    acc_3 += L_sum[i];
  }
  L = acc_3 / 32;
  for (let p = 0; p < 320; p++) {
    delta_W2[p] = L_sub[p] * (yhat[p] * (1 - yhat[p]));
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
    dL_dW1[p] = 0.0625 * dL_dW1[p];
  }
  dL_db1.fill(0);
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 15; j++) {
      dL_db1[j] += delta_W1[i * 15 + j];
    }
  }
  for (let i = 0; i < 15; i++) {
    dL_db1[i] = 0.0625 * dL_db1[i];
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
    dL_dW2[p] = 0.0625 * dL_dW2[p];
  }
  dL_db2.fill(0);
  for (let i = 0; i < 32; i++) {
    for (let j = 0; j < 10; j++) {
      dL_db2[j] += delta_W2[i * 10 + j];
    }
  }
  for (let i = 0; i < 10; i++) {
    dL_db2[i] = 0.0625 * dL_db2[i];
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
