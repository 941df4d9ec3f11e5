function record(entries) {
  const out = /* @__PURE__ */ Object.create(null);
  for (const [k, v] of entries) out[k] = v;
  return out;
}
const meta = {
  name: "mnist_softmax_sgd",
  file: "bench/models/mnist_softmax_sgd.net",
  sourceHash: "8b55ab1d568ea817",
  netcVersion: "0.1.0",
  dtype: "f32",
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
const z_h1 = new Float32Array(8192);
const h1 = new Float32Array(8192);
const z_h2 = new Float32Array(4096);
const h2 = new Float32Array(4096);
const logits = new Float32Array(640);
const t_softmax = new Float32Array(640);
const t_sum = new Float32Array(64);
const delta_W3 = new Float32Array(640);
const delta_W2 = new Float32Array(4096);
const delta_W1 = new Float32Array(8192);
const dL_dW1 = new Float32Array(100352);
const dL_db1 = new Float32Array(128);
const dL_dW2 = new Float32Array(8192);
const dL_db2 = new Float32Array(64);
const dL_dW3 = new Float32Array(640);
const dL_db3 = new Float32Array(10);
let L = NaN;
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
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 128; j++) {
      z_h1[i * 128 + j] = 0;
    }
    for (let k = 0; k < 784; k++) {
      const aik = x[i * 784 + k];
      for (let j = 0; j < 128; j++) {
        z_h1[i * 128 + j] += aik * W1[k * 128 + j];
      }
    }
    for (let j = 0; j < 128; j++) {
      z_h1[i * 128 + j] = b1[j] + z_h1[i * 128 + j];
    }
  }
  for (let p = 0; p < 8192; p++) {
    h1[p] = Math.max(z_h1[p], 0);
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      z_h2[i * 64 + j] = 0;
    }
    for (let k = 0; k < 128; k++) {
      const aik_1 = h1[i * 128 + k];
      for (let j = 0; j < 64; j++) {
        z_h2[i * 64 + j] += aik_1 * W2[k * 64 + j];
      }
    }
    for (let j = 0; j < 64; j++) {
      z_h2[i * 64 + j] = b2[j] + z_h2[i * 64 + j];
    }
  }
  for (let p = 0; p < 4096; p++) {
    h2[p] = Math.max(z_h2[p], 0);
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 10; j++) {
      logits[i * 10 + j] = 0;
    }
    for (let k = 0; k < 64; k++) {
      const aik_2 = h2[i * 64 + k];
      for (let j = 0; j < 10; j++) {
        logits[i * 10 + j] += aik_2 * W3[k * 10 + j];
      }
    }
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
  L = acc / 64;
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
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 128; j++) {
      z_h1[i * 128 + j] = 0;
    }
    for (let k = 0; k < 784; k++) {
      const aik_3 = x[i * 784 + k];
      for (let j = 0; j < 128; j++) {
        z_h1[i * 128 + j] += aik_3 * W1[k * 128 + j];
      }
    }
    for (let j = 0; j < 128; j++) {
      z_h1[i * 128 + j] = b1[j] + z_h1[i * 128 + j];
    }
  }
  for (let p = 0; p < 8192; p++) {
    h1[p] = Math.max(z_h1[p], 0);
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      z_h2[i * 64 + j] = 0;
    }
    for (let k = 0; k < 128; k++) {
      const aik_4 = h1[i * 128 + k];
      for (let j = 0; j < 64; j++) {
        z_h2[i * 64 + j] += aik_4 * W2[k * 64 + j];
      }
    }
    for (let j = 0; j < 64; j++) {
      z_h2[i * 64 + j] = b2[j] + z_h2[i * 64 + j];
    }
  }
  for (let p = 0; p < 4096; p++) {
    h2[p] = Math.max(z_h2[p], 0);
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 10; j++) {
      logits[i * 10 + j] = 0;
    }
    for (let k = 0; k < 64; k++) {
      const aik_5 = h2[i * 64 + k];
      for (let j = 0; j < 10; j++) {
        logits[i * 10 + j] += aik_5 * W3[k * 10 + j];
      }
    }
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
  L = acc_1 / 64;
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
      delta_W3[p] = t_softmax[p] * t_sum[i] - y[p];
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      let acc_4 = 0;
      for (let k = 0; k < 10; k++) {
        acc_4 += delta_W3[i * 10 + k] * W3[j * 10 + k];
      }
      delta_W2[i * 64 + j] = acc_4 * (z_h2[i * 64 + j] > 0 ? 1 : 0);
    }
  }
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 128; j++) {
      let acc_5 = 0;
      for (let k = 0; k < 64; k++) {
        acc_5 += delta_W2[i * 64 + k] * W2[j * 64 + k];
      }
      delta_W1[i * 128 + j] = acc_5 * (z_h1[i * 128 + j] > 0 ? 1 : 0);
    }
  }
  dL_dW1.fill(0);
  for (let k = 0; k < 64; k++) {
    for (let i = 0; i < 784; i++) {
      const aki = x[k * 784 + i];
      for (let j = 0; j < 128; j++) {
        dL_dW1[i * 128 + j] += aki * delta_W1[k * 128 + j];
      }
    }
  }
  for (let p = 0; p < 100352; p++) {
    dL_dW1[p] = 0.015625 * dL_dW1[p];
  }
  dL_db1.fill(0);
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 128; j++) {
      dL_db1[j] += delta_W1[i * 128 + j];
    }
  }
  for (let i = 0; i < 128; i++) {
    dL_db1[i] = 0.015625 * dL_db1[i];
  }
  dL_dW2.fill(0);
  for (let k = 0; k < 64; k++) {
    for (let i = 0; i < 128; i++) {
      const aki_1 = h1[k * 128 + i];
      for (let j = 0; j < 64; j++) {
        dL_dW2[i * 64 + j] += aki_1 * delta_W2[k * 64 + j];
      }
    }
  }
  for (let p = 0; p < 8192; p++) {
    dL_dW2[p] = 0.015625 * dL_dW2[p];
  }
  dL_db2.fill(0);
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 64; j++) {
      dL_db2[j] += delta_W2[i * 64 + j];
    }
  }
  for (let i = 0; i < 64; i++) {
    dL_db2[i] = 0.015625 * dL_db2[i];
  }
  dL_dW3.fill(0);
  for (let k = 0; k < 64; k++) {
    for (let i = 0; i < 64; i++) {
      const aki_2 = h2[k * 64 + i];
      for (let j = 0; j < 10; j++) {
        dL_dW3[i * 10 + j] += aki_2 * delta_W3[k * 10 + j];
      }
    }
  }
  for (let p = 0; p < 640; p++) {
    dL_dW3[p] = 0.015625 * dL_dW3[p];
  }
  dL_db3.fill(0);
  for (let i = 0; i < 64; i++) {
    for (let j = 0; j < 10; j++) {
      dL_db3[j] += delta_W3[i * 10 + j];
    }
  }
  for (let i = 0; i < 10; i++) {
    dL_db3[i] = 0.015625 * dL_db3[i];
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
  return L;
}
export {
  forward,
  gradient,
  meta,
  step
};
