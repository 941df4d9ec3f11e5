// Model sources for the compile-time scaling benchmark: dense networks of N layers and the long
// scalar chain y_i = 1.0001*y_{i-1} + sin(y_{i-1}).

/** N dense sigmoid layers of width 16 on a batch of 8, sum-of-squares loss. */
export function denseSource(layers: number): string {
  const lines = [`model dense_${layers}`, "dim B = 8", "input x: [B, 16]", "target y: [B, 16]"];
  for (let l = 1; l <= layers; l++) lines.push(`param W${l}: [16, 16] = xavier`, `param b${l}: [16] = zeros`);
  for (let l = 1; l <= layers; l++) lines.push(`h${l} = sigmoid(${l === 1 ? "x" : `h${l - 1}`} @ W${l} + b${l})`);
  lines.push(`loss L = mean(sum((h${layers} - y)^2, 1))`);
  return lines.join("\n") + "\n";
}

/** `n` chained scalar bindings from input y0, and the derivative of the last w.r.t. y0. */
export function chainSource(n: number): string {
  const lines = [`model chain_${n}`, "input y0"];
  for (let i = 1; i <= n; i++) lines.push(`y${i} = 1.0001*y${i - 1} + sin(y${i - 1})`);
  lines.push(`grad y${n} wrt y0`);
  return lines.join("\n") + "\n";
}
