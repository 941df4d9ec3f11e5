// The physical-limit row of the benchmark: the same training (plain SGD, minibatches in a shuffled
// order) of a fully connected network in C, float32, compiled with gcc -O3 -march=native
// -ffast-math by bench/lib/c-reference.ts. Loop orders are the ones the compiler vectorizes best:
// X·W and Xᵀ·δ as i-k-j (a scalar times a contiguous row), δ·Wᵀ as contiguous dot products.
//
// usage (built with -DLAYERS={L0,...,Lk}): mlp HIDDEN(sigmoid|relu) HEAD(sigmoid_sse|softmax_ce) BATCH LR N DATA.bin WEIGHTS.bin ORDER.bin L0 L1 ... Lk
// DATA.bin: N rows of L0 float32 inputs, then N rows of Lk float32 one-hot targets.
// WEIGHTS.bin: the initial W1, b1, W2, b2, ... (float32, netc's layout).
// Driven line by line over stdin by bench/lib/c-reference.ts, so the bench interleaves its epochs
// with the other engines' as it does for theirs. It prints {"ready": true}, then answers:
//   "epoch"       reads ORDER.bin (N uint32 row numbers: the epoch's shuffled order, the same the
//                 other engines use), trains one epoch on it and prints
//                 {"epoch": e, "ms": wall ms, "cpuMs": CPU ms, "loss": mean loss}
//   "finish PATH" writes the trained W1, b1, W2, b2, ... (float32) to PATH and prints
//                 {"finished": true, "maxRssKB": peak resident set}, then exits.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define MAXL 8

// The layer widths are compile-time constants (-DLAYERS={784,15,10}), as netc's shapes are, so
// every loop has a known trip count.
#ifndef LAYERS
#define LAYERS {784, 15, 10}
#endif
static const int width[] = LAYERS;
#define L ((int)(sizeof(width) / sizeof(width[0])) - 1)
static float *W[MAXL], *b[MAXL], *gW[MAXL], *gb[MAXL];
static float *A[MAXL + 1], *dZ[MAXL + 1], *Yb;
static int relu_hidden, softmax_head;

static double clock_ms(clockid_t id) {
  struct timespec t;
  clock_gettime(id, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static float *alloc(size_t n) {
  float *p = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
  memset(p, 0, n * sizeof(float));
  return p;
}

// Columns of a product are computed in blocks of up to JB held in registers (a local array of
// constant size), while the sum over k runs: the loop order that keeps the accumulators out of memory.
#define JB 32

// C[r, jb:jb+w] = Σ_p A(r, p) · B[p, jb:jb+w] (+ bias) for one row r, A(r, p) = A[r·sa + p·sp]
static inline void row_block(float *restrict c, const float *restrict a, int sa_p, const float *restrict bm, int n, int kdim, int jb, const int w, const float *restrict bias) {
  float acc[JB];
  for (int j = 0; j < w; j++) acc[j] = bias ? bias[jb + j] : 0;
  for (int p = 0; p < kdim; p++) {
    const float av = a[(size_t)p * sa_p];
    const float *restrict bp = bm + (size_t)p * n + jb;
    for (int j = 0; j < w; j++) acc[j] += av * bp[j];
  }
  for (int j = 0; j < w; j++) c[jb + j] = acc[j];
}

static inline void row_product(float *restrict c, const float *restrict a, int sa_p, const float *restrict bm, int n, int kdim, const float *restrict bias) {
  int jb = 0;
  for (; jb + JB <= n; jb += JB) row_block(c, a, sa_p, bm, n, kdim, jb, JB, bias);
  if (n % JB) row_block(c, a, sa_p, bm, n, kdim, jb, n % JB, bias);
}

// Z[B, n] = X[B, k] · W[k, n] + b, then the activation, in place
static void forward_layer(int l, int B, int last) {
  const int k = width[l], n = width[l + 1];
  for (int i = 0; i < B; i++) {
    float *restrict z = A[l + 1] + (size_t)i * n;
    if (n <= JB) row_product(z, A[l] + (size_t)i * k, 1, W[l], n, k, b[l]);
    else {
      // wide rows: W's rows streamed in order, the row of Z accumulated in place (faster here)
      for (int j = 0; j < n; j++) z[j] = b[l][j];
      for (int p = 0; p < k; p++) {
        const float a = A[l][(size_t)i * k + p];
        const float *restrict w = W[l] + (size_t)p * n;
        for (int j = 0; j < n; j++) z[j] += a * w[j];
      }
    }
    if (!last) {
      if (relu_hidden) for (int j = 0; j < n; j++) z[j] = z[j] > 0 ? z[j] : 0;
      else for (int j = 0; j < n; j++) z[j] = 1 / (1 + expf(-z[j]));
    }
  }
}

// the loss and dZ of the last layer
static float head(const float *restrict Y, int B) {
  const int n = width[L];
  float *restrict Z = A[L], *restrict d = dZ[L];
  float loss = 0;
  for (int i = 0; i < B; i++) {
    float *z = Z + (size_t)i * n, *dz = d + (size_t)i * n;
    const float *y = Y + (size_t)i * n;
    if (softmax_head) {
      float m = z[0];
      for (int j = 1; j < n; j++) m = z[j] > m ? z[j] : m;
      float s = 0;
      for (int j = 0; j < n; j++) s += expf(z[j] - m);
      const float lse = m + logf(s);
      for (int j = 0; j < n; j++) {
        loss -= y[j] * (z[j] - lse);
        dz[j] = (expf(z[j] - lse) - y[j]) / B;
      }
    } else {
      for (int j = 0; j < n; j++) {
        const float o = 1 / (1 + expf(-z[j]));
        const float e = o - y[j];
        loss += e * e;
        dz[j] = 2 * e * o * (1 - o) / B;
      }
    }
  }
  return loss / B;
}

// gW = Xᵀ · dZ (narrow: register blocks; wide: row i of dZ times X[i, p] added to row p of gW), gb = Σ rows of dZ; then dZ of the layer
// below = (dZ · Wᵀ) ⊙ act'
static void backward_layer(int l, int B) {
  const int k = width[l], n = width[l + 1];
  const float *restrict X = A[l], *restrict d = dZ[l + 1], *restrict Wl = W[l];
  float *restrict gbl = gb[l];
  float *restrict g = gW[l];
  if (n <= JB)
    for (int p = 0; p < k; p++) row_product(g + (size_t)p * n, X + p, k, d, n, B, 0);
  else memset(g, 0, sizeof(float) * k * n);
  for (int i = 0; i < B && n > JB; i++) {
    const float *restrict di = d + (size_t)i * n;
    for (int p = 0; p < k; p++) {
      const float a = X[(size_t)i * k + p];
      float *restrict gp = g + (size_t)p * n;
      for (int j = 0; j < n; j++) gp[j] += a * di[j];
    }
  }
  for (int j = 0; j < n; j++) gbl[j] = 0;
  for (int i = 0; i < B; i++)
    for (int j = 0; j < n; j++) gbl[j] += d[(size_t)i * n + j];
  if (l == 0) return;
  float *restrict dprev = dZ[l];
  for (int i = 0; i < B; i++) {
    const float *restrict di = d + (size_t)i * n;
    for (int p = 0; p < k; p++) {
      const float *restrict w = Wl + (size_t)p * n;
      float s = 0;
      for (int j = 0; j < n; j++) s += di[j] * w[j];
      const float h = X[(size_t)i * k + p];
      dprev[(size_t)i * k + p] = relu_hidden ? (h > 0 ? s : 0) : s * h * (1 - h);
    }
  }
}

static void update(float lr) {
  for (int l = 0; l < L; l++) {
    const size_t nw = (size_t)width[l] * width[l + 1];
    float *restrict w = W[l], *restrict g = gW[l];
    for (size_t p = 0; p < nw; p++) w[p] -= lr * g[p];
    for (int j = 0; j < width[l + 1]; j++) b[l][j] -= lr * gb[l][j];
  }
}

static int read_floats(float *dst, size_t n, FILE *f) { return fread(dst, sizeof(float), n, f) == n; }

int main(int argc, char **argv) {
  if (argc < 12) {
    fprintf(stderr, "usage: mlp HIDDEN HEAD BATCH LR N DATA.bin WEIGHTS.bin ORDER.bin L0 L1 ... Lk\n");
    return 2;
  }
  relu_hidden = strcmp(argv[1], "relu") == 0;
  softmax_head = strcmp(argv[2], "softmax_ce") == 0;
  const int B = atoi(argv[3]);
  const float lr = (float)atof(argv[4]);
  const int N = atoi(argv[5]);
  const char *order_path = argv[8];
  if (argc - 9 != L + 1) return 2;
  for (int l = 0; l <= L; l++)
    if (atoi(argv[9 + l]) != width[l]) return 2;
  const int nin = width[0], nout = width[L];
  float *xs = alloc((size_t)N * nin), *ys = alloc((size_t)N * nout);
  FILE *f = fopen(argv[6], "rb");
  if (!f || !read_floats(xs, (size_t)N * nin, f) || !read_floats(ys, (size_t)N * nout, f)) return 3;
  fclose(f);
  f = fopen(argv[7], "rb");
  if (!f) return 3;
  for (int l = 0; l < L; l++) {
    W[l] = alloc((size_t)width[l] * width[l + 1]);
    b[l] = alloc(width[l + 1]);
    gW[l] = alloc((size_t)width[l] * width[l + 1]);
    gb[l] = alloc(width[l + 1]);
    if (!read_floats(W[l], (size_t)width[l] * width[l + 1], f) || !read_floats(b[l], width[l + 1], f)) return 3;
  }
  fclose(f);
  for (int l = 0; l <= L; l++) {
    A[l] = alloc((size_t)B * width[l]);
    dZ[l] = alloc((size_t)B * width[l]);
  }
  Yb = alloc((size_t)B * nout);
  unsigned *order = malloc(sizeof(unsigned) * N);
  const int steps = N / B;
  printf("{\"ready\": true}\n");
  fflush(stdout);
  char line[4096];
  for (int e = 0; fgets(line, sizeof line, stdin); e++) {
    line[strcspn(line, "\n")] = 0;
    if (strncmp(line, "finish ", 7) == 0) {
      FILE *out = fopen(line + 7, "wb");
      if (!out) return 4;
      for (int l = 0; l < L; l++) {
        fwrite(W[l], sizeof(float), (size_t)width[l] * width[l + 1], out);
        fwrite(b[l], sizeof(float), width[l + 1], out);
      }
      fclose(out);
      struct rusage ru;
      getrusage(RUSAGE_SELF, &ru);
      printf("{\"finished\": true, \"maxRssKB\": %ld}\n", ru.ru_maxrss);
      fflush(stdout);
      return 0;
    }
    if (strcmp(line, "epoch") != 0) return 5;
    FILE *o = fopen(order_path, "rb");
    if (!o || fread(order, sizeof(unsigned), N, o) != (size_t)N) return 3;
    fclose(o);
    for (int i = 0; i < N; i++)
      if (order[i] >= (unsigned)N) return 3;
    const double t0 = clock_ms(CLOCK_MONOTONIC), c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    double loss = 0;
    for (int st = 0; st < steps; st++) {
      // the batch gathered into the input buffer, as every engine does
      for (int i = 0; i < B; i++) {
        memcpy(A[0] + (size_t)i * nin, xs + (size_t)order[st * B + i] * nin, sizeof(float) * nin);
        memcpy(Yb + (size_t)i * nout, ys + (size_t)order[st * B + i] * nout, sizeof(float) * nout);
      }
      for (int l = 0; l < L; l++) forward_layer(l, B, l == L - 1);
      loss += head(Yb, B);
      for (int l = L - 1; l >= 0; l--) backward_layer(l, B);
      update(lr);
    }
    printf("{\"epoch\": %d, \"ms\": %.3f, \"cpuMs\": %.3f, \"loss\": %.6f}\n", e, clock_ms(CLOCK_MONOTONIC) - t0, clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0, loss / steps);
    fflush(stdout);
  }
  return 0;
}
