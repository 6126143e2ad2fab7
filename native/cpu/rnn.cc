// The LSTM and GRU (reset_after) sequence kernels: a whole recurrent layer's loop over time in one
// call, forward and backward (backpropagation through time), for src/ops/recurrent_native.ts.
//
// The input projection of every step (x·W + b) is one matmul before the call; it arrives as xw
// [T, B, G] (time-major) or [B, T, G] (batch-major, as the layer's input is, so no transpose is
// needed), G = 4u for LSTM in Keras's gate order i, f, c, o; 3u for GRU: z, r, h; with go_backwards
// the steps read it from the end (no reverse needed). Each step is one matmul h·U (oneDNN, [B, u]·[u, G],
// with GRU's recurrent bias fused) and one pass over the gates with tanh and sigmoid; a mask (laid out
// as xw) of 0/1 keeps a row's states where 0. The outputs are the states after every step in
// processing order, stacked: h [T, B, u] then the final c [1, B, u] for LSTM (src/ops/recurrent.ts's
// layout), or batch-major [B, T (+1), u]. With a workspace, the forward keeps what the backward
// needs: per step the gates (LSTM i, f, g, o, c_prev, tanh(c); GRU z, r, hh, h·U_h + b_h) and the
// h the step started from, so the backward recomputes nothing.
//
// The backward walks the steps in reverse: the gates' derivatives, one matmul dz·Uᵀ per step for
// the gradient reaching the previous h, and dU (one matmul hprevᵀ·dz over all steps) at the end.
//
// tanh and sigmoid use exp_fast (a Cephes polynomial, within 2 ulp of expf), written so that GCC
// vectorizes the gate loops; the layers' tests hold these against tfjs's kernels and PyTorch.
// no-trapping-math lets GCC turn the clamps into vector selects (with it, the gate loops ran scalar
// and the forward took 5x the backward's time); this file reads no floating-point exception flags.
#pragma GCC optimize("no-trapping-math")
#include <cstring>

#include "call.h"
#include "matmul.h"
#include "memory.h"
#include "ops.h"

namespace kn {
namespace {

constexpr int kLstm = 0;
constexpr int kGru = 1;

inline float exp_fast(float x) {
  x = x > -87.0f ? x : -87.0f;
  x = x < 88.0f ? x : 88.0f;
  const float t = x * 1.44269504088896341f;
  const float n = (t + 12582912.f) - 12582912.f;  // t rounded to the nearest integer (1.5 * 2^23)
  float r = x - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const int bits = (static_cast<int>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

inline float sigmoid_fast(float x) { return 1.f / (1.f + exp_fast(-x)); }
inline float tanh_fast(float x) { return 1.f - 2.f / (1.f + exp_fast(2.f * x)); }

// The widths (in units) of one step's saved gates, per batch row.
int64_t saved_width(int cell) { return cell == kLstm ? 6 : 4; }
int64_t gate_count(int cell) { return cell == kLstm ? 4 : 3; }

// The sizes, and where step t (in processing order) of sequence b is in the tensors: time-major
// ([T, B, ·]) or batch-major ([B, T, ·]), and for xw, dxw and the mask, read from the end when
// reverse (go_backwards). The states (out, dy) are always in processing order, with LSTM's final c
// as one more step (index T).
struct Shapes {
  int cell;
  int64_t steps, batch, units;
  bool batch_major, reverse;
  int64_t extra() const { return cell == 0 ? 1 : 0; }
  int64_t src_row(int64_t t, int64_t b) const {
    const int64_t at = reverse ? steps - 1 - t : t;
    return batch_major ? b * steps + at : at * batch + b;
  }
  int64_t out_row(int64_t t, int64_t b) const { return batch_major ? b * (steps + extra()) + t : t * batch + b; }
};

// y = act(a + b) over n elements, sigmoid or tanh: loops simple enough for GCC to vectorize.
inline void sigmoid_sum(const float* __restrict a, const float* __restrict b, float* __restrict y, int64_t n) {
  for (int64_t j = 0; j < n; j++) y[j] = sigmoid_fast(a[j] + b[j]);
}
inline void tanh_sum(const float* __restrict a, const float* __restrict b, float* __restrict y, int64_t n) {
  for (int64_t j = 0; j < n; j++) y[j] = tanh_fast(a[j] + b[j]);
}

// One LSTM step's gates for one batch row: z = xw + rec; writes h, c (unmasked) and the saved gates
// (i, f, g, o, c_prev, tanh(c)). The gates first, each in a loop of its own (one loop over all of
// it did not vectorize).
KN_HOT void lstm_row(const float* __restrict xw, const float* __restrict rec, const float* __restrict c_prev, float* __restrict h,
                     float* __restrict c, float* __restrict s, int64_t u) {
  sigmoid_sum(xw, rec, s, 2 * u);
  tanh_sum(xw + 2 * u, rec + 2 * u, s + 2 * u, u);
  sigmoid_sum(xw + 3 * u, rec + 3 * u, s + 3 * u, u);
  const float *i = s, *f = s + u, *g = s + 2 * u, *o = s + 3 * u;
  float *saved_c = s + 4 * u, *saved_ac = s + 5 * u;
  for (int64_t j = 0; j < u; j++) {
    const float cn = f[j] * c_prev[j] + i[j] * g[j];
    const float ac = tanh_fast(cn);
    c[j] = cn;
    h[j] = o[j] * ac;
    saved_c[j] = c_prev[j];
    saved_ac[j] = ac;
  }
}

// One GRU (reset_after) step for one batch row: rec = h·U + b_rec; hh = tanh(xw_h + r · rec_h); h' = hh + z (h - hh).
KN_HOT void gru_row(const float* __restrict xw, const float* __restrict rec, const float* __restrict h_prev, float* __restrict h,
                    float* __restrict s, int64_t u) {
  for (int64_t j = 0; j < u; j++) {
    const float z = sigmoid_fast(xw[j] + rec[j]);
    const float r = sigmoid_fast(xw[u + j] + rec[u + j]);
    const float rh = rec[2 * u + j];
    const float hh = tanh_fast(xw[2 * u + j] + r * rh);
    h[j] = hh + z * (h_prev[j] - hh);
    s[j] = z;
    s[u + j] = r;
    s[2 * u + j] = hh;
    s[3 * u + j] = rh;
  }
}

// A masked row keeps its previous states: x = prev + m (x - prev), m 0 or 1.
inline void keep_where_masked(float* x, const float* prev, float m, int64_t u) {
  if (m == 1.f) return;
  for (int64_t j = 0; j < u; j++) x[j] = prev[j] + m * (x[j] - prev[j]);
}

struct Forward {
  Shapes s;
  const float *xw, *u, *rec_bias, *h0, *c0, *mask;
  float *out, *work;  // work: [T, B, saved_width·u] then the starting h of each step [T, B, u]; may be null
};

void forward(const Forward& p) {
  const Shapes& sh = p.s;
  const int64_t T = sh.steps, B = sh.batch, U = sh.units, G = gate_count(sh.cell) * U, S = saved_width(sh.cell) * U;
  const bool lstm = sh.cell == kLstm;
  Buffer rec(B * G * sizeof(float)), states(4 * B * U * sizeof(float)), scratch(p.work ? 0 : B * S * sizeof(float));
  float* c_cur = states.f32();
  float* c_next = c_cur + B * U;
  float* h_bufs = c_next + B * U;  // two [B, U] blocks, alternating: the GEMM reads h contiguous
  if (lstm) std::memcpy(c_cur, p.c0, B * U * sizeof(float));
  const float* h_prev = p.h0;
  for (int64_t t = 0; t < T; t++) {
    float* h = h_bufs + (t % 2) * B * U;
    float* saved = p.work ? p.work + t * B * S : scratch.f32();
    if (p.work) std::memcpy(p.work + T * B * S + t * B * U, h_prev, B * U * sizeof(float));
    matmul({h_prev, p.u, rec.f32(), p.rec_bias, 1, 1, B, G, U, false, false, ACT_LINEAR, 0.f});
    for (int64_t b = 0; b < B; b++) {
      const float* xw_row = p.xw + sh.src_row(t, b) * G;
      const float* rec_row = rec.f32() + b * G;
      if (lstm) lstm_row(xw_row, rec_row, c_cur + b * U, h + b * U, c_next + b * U, saved + b * S, U);
      else gru_row(xw_row, rec_row, h_prev + b * U, h + b * U, saved + b * S, U);
      if (p.mask) {
        const float m = p.mask[sh.src_row(t, b)];
        keep_where_masked(h + b * U, h_prev + b * U, m, U);
        if (lstm) keep_where_masked(c_next + b * U, c_cur + b * U, m, U);
      }
      std::memcpy(p.out + sh.out_row(t, b) * U, h + b * U, U * sizeof(float));
    }
    if (lstm) std::swap(c_cur, c_next);
    h_prev = h;
  }
  if (lstm) for (int64_t b = 0; b < B; b++) std::memcpy(p.out + sh.out_row(T, b) * U, c_cur + b * U, U * sizeof(float));
}

// One LSTM step back for one batch row: from dh, dc of the new states (masked already), dz and dc_prev.
KN_HOT void lstm_row_back(const float* __restrict dh, const float* __restrict dc, const float* __restrict s, float* __restrict dz,
                          float* __restrict dc_prev, int64_t u) {
  for (int64_t j = 0; j < u; j++) {
    const float i = s[j], f = s[u + j], g = s[2 * u + j], o = s[3 * u + j], cp = s[4 * u + j], ac = s[5 * u + j];
    const float dct = dc[j] + dh[j] * o * (1.f - ac * ac);
    dz[j] = dct * g * (i * (1.f - i));
    dz[u + j] = dct * cp * (f * (1.f - f));
    dz[2 * u + j] = dct * i * (1.f - g * g);
    dz[3 * u + j] = dh[j] * ac * (o * (1.f - o));
    dc_prev[j] = dct * f;
  }
}

// One GRU step back for one batch row: dxw = [dz_z, dz_r, da], drec = [dz_z, dz_r, da·r], and dh's direct path dh·z.
KN_HOT void gru_row_back(const float* __restrict dh, const float* __restrict h_prev, const float* __restrict s, float* __restrict dxw,
                         float* __restrict drec, float* __restrict dh_direct, int64_t u) {
  for (int64_t j = 0; j < u; j++) {
    const float z = s[j], r = s[u + j], hh = s[2 * u + j], rh = s[3 * u + j];
    const float dzz = dh[j] * (h_prev[j] - hh) * (z * (1.f - z));
    const float da = dh[j] * (1.f - z) * (1.f - hh * hh);
    const float dzr = da * rh * (r * (1.f - r));
    dxw[j] = dzz;
    dxw[u + j] = dzr;
    dxw[2 * u + j] = da;
    drec[j] = dzz;
    drec[u + j] = dzr;
    drec[2 * u + j] = da * r;
    dh_direct[j] = dh[j] * z;
  }
}

struct Backward {
  Shapes s;
  const float *dy, *work, *u, *mask;
  float *dxw, *du, *dbias, *dh0, *dc0;  // dbias (the recurrent bias's, GRU) may be null
};

void backward(const Backward& p) {
  const Shapes& sh = p.s;
  const int64_t T = sh.steps, B = sh.batch, U = sh.units, G = gate_count(sh.cell) * U, S = saved_width(sh.cell) * U;
  const bool lstm = sh.cell == kLstm;
  const float* hprev = p.work + T * B * S;
  // drec: the gradient of each step's h·U (+ b), in processing order, contiguous per step (the GEMMs
  // read it); for LSTM it equals dxw, copied to dxw's rows (its layout may differ).
  Buffer drec_buf(T * B * G * sizeof(float)), state(5 * B * U * sizeof(float));
  float* drec = drec_buf.f32();
  float* dh = state.f32();          // dL/dh of the carried h after step t
  float* dc = dh + B * U;           // dL/dc of the carried c after step t
  float* dh_new = dc + B * U;       // the same, masked (what the cell's new states get)
  float* dc_new = dh_new + B * U;
  float* other = dc_new + B * U;    // dc_prev (LSTM) or dh's direct path (GRU)
  for (int64_t b = 0; b < B; b++) {
    std::memcpy(dh + b * U, p.dy + sh.out_row(T - 1, b) * U, U * sizeof(float));
    if (lstm) std::memcpy(dc + b * U, p.dy + sh.out_row(T, b) * U, U * sizeof(float));
  }
  for (int64_t t = T - 1; t >= 0; t--) {
    for (int64_t b = 0; b < B; b++) {
      const float mb = p.mask ? p.mask[sh.src_row(t, b)] : 1.f;
      for (int64_t j = 0; j < U; j++) dh_new[b * U + j] = dh[b * U + j] * mb;
      if (lstm) for (int64_t j = 0; j < U; j++) dc_new[b * U + j] = dc[b * U + j] * mb;
      const float* s = p.work + (t * B + b) * S;
      float* dxw = p.dxw + sh.src_row(t, b) * G;
      float* dz = drec + (t * B + b) * G;
      if (lstm) {
        lstm_row_back(dh_new + b * U, dc_new + b * U, s, dz, other + b * U, U);
        std::memcpy(dxw, dz, G * sizeof(float));
      } else {
        gru_row_back(dh_new + b * U, hprev + (t * B + b) * U, s, dxw, dz, other + b * U, U);
      }
    }
    // The gradient reaching the previous h: through h·U, plus the cell's direct path (GRU), plus the
    // carried value where masked, plus the output at t - 1.
    float* dh_prev = dh_new;  // dh_new is no longer needed
    matmul({drec + t * B * G, p.u, dh_prev, nullptr, 1, 1, B, U, G, false, true, ACT_LINEAR, 0.f});
    for (int64_t b = 0; b < B; b++) {
      const float keep = p.mask ? 1.f - p.mask[sh.src_row(t, b)] : 0.f;
      const float* dy_prev = t > 0 ? p.dy + sh.out_row(t - 1, b) * U : nullptr;
      for (int64_t j = 0; j < U; j++) {
        float v = dh_prev[b * U + j] + keep * dh[b * U + j];
        if (!lstm) v += other[b * U + j];
        if (dy_prev) v += dy_prev[j];
        dh_prev[b * U + j] = v;
      }
      if (lstm) for (int64_t j = 0; j < U; j++) dc[b * U + j] = other[b * U + j] + keep * dc[b * U + j];
    }
    std::memcpy(dh, dh_prev, B * U * sizeof(float));
  }
  std::memcpy(p.dh0, dh, B * U * sizeof(float));
  if (lstm) std::memcpy(p.dc0, dc, B * U * sizeof(float));
  matmul({hprev, drec, p.du, nullptr, 1, 1, U, G, T * B, true, false, ACT_LINEAR, 0.f});
  if (p.dbias) column_sums(drec, p.dbias, T * B, G);
}

Shapes shapes_of(Call& c, size_t at) {
  Shapes s;
  s.cell = static_cast<int>(c.integer(at, "cell", kLstm, kGru));
  s.steps = c.integer(at + 1, "steps", 1, kMaxElements);
  s.batch = c.integer(at + 2, "batch", 1, kMaxElements);
  s.units = c.integer(at + 3, "units", 1, kMaxElements);
  const int64_t layout = c.integer(at + 4, "layout", 0, 3);
  s.batch_major = (layout & 1) != 0;
  s.reverse = (layout & 2) != 0;
  return s;
}

// rnnForward(xw, u, recBias|null, h0, c0|null, mask|null, out, work|null, cell, steps, batch, units, layout)
// layout: bit 0 batch-major xw, mask and out; bit 1 xw and mask read from the end (Shapes).
napi_value js_rnn_forward(Call& c) {
  Forward p;
  p.s = shapes_of(c, 8);
  const int64_t T = p.s.steps, B = p.s.batch, U = p.s.units;
  const int64_t G = gate_count(p.s.cell) * U;
  const bool lstm = p.s.cell == kLstm;
  p.xw = c.f32(0, "xw", checked_size({T, B, G}, c.fn(), "xw"));
  p.u = c.f32(1, "recurrentKernel", checked_size({U, G}, c.fn(), "recurrentKernel"));
  p.rec_bias = c.optional_f32(2, "recurrentBias", G);
  p.h0 = c.f32(3, "h0", B * U);
  p.c0 = lstm ? c.f32(4, "c0", B * U) : nullptr;
  p.mask = c.optional_f32(5, "mask", T * B);
  p.out = c.f32(6, "out", checked_size({T + (lstm ? 1 : 0), B, U}, c.fn(), "out"));
  p.work = c.optional_f32(7, "work", checked_size({T, B, (saved_width(p.s.cell) + 1) * U}, c.fn(), "work"));
  forward(p);
  return undefined(c.env());
}

// rnnBackward(dy, work, u, mask|null, dxw, du, dRecBias|null, dh0, dc0|null, cell, steps, batch, units, layout)
napi_value js_rnn_backward(Call& c) {
  Backward p;
  p.s = shapes_of(c, 9);
  const int64_t T = p.s.steps, B = p.s.batch, U = p.s.units;
  const int64_t G = gate_count(p.s.cell) * U;
  const bool lstm = p.s.cell == kLstm;
  p.dy = c.f32(0, "dy", checked_size({T + (lstm ? 1 : 0), B, U}, c.fn(), "dy"));
  p.work = c.f32(1, "work", checked_size({T, B, (saved_width(p.s.cell) + 1) * U}, c.fn(), "work"));
  p.u = c.f32(2, "recurrentKernel", U * G);
  p.mask = c.optional_f32(3, "mask", T * B);
  p.dxw = c.f32(4, "dxw", T * B * G);
  p.du = c.f32(5, "dRecurrentKernel", U * G);
  p.dbias = c.optional_f32(6, "dRecurrentBias", G);
  p.dh0 = c.f32(7, "dh0", B * U);
  p.dc0 = lstm ? c.f32(8, "dc0", B * U) : nullptr;
  backward(p);
  return undefined(c.env());
}

}  // namespace

void register_rnn(napi_env env, napi_value exports) {
  export_function(env, exports, "rnnForward", js_rnn_forward);
  export_function(env, exports, "rnnBackward", js_rnn_backward);
}

}  // namespace kn
