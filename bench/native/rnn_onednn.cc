// oneDNN's own LSTM primitives (lstm_forward in training mode, then lstm_backward) on one layer's
// sequence, timed, for bench/rnn_kernel.ts, which times keras-ts's native/cpu/rnn.cc doing the same
// work (the input projection, the loop, BPTT, the weight and input gradients) and prints both.
// Built and run by bench/rnn_kernel.ts:  g++ -O2 -fopenmp rnn_onednn.cc -ldnnl; ./a.out T B F U REPS
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <dnnl.hpp>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

int main(int argc, char** argv) {
  const memory::dim T = atoi(argv[1]), B = atoi(argv[2]), F = atoi(argv[3]), U = atoi(argv[4]);
  const int reps = atoi(argv[5]);
  engine eng(engine::kind::cpu, 0);
  stream s(eng);
  auto md = [](memory::dims d, tag t) { return memory::desc(d, dt::f32, t); };
  // User layouts: x time-major [T, B, F]; weights as Keras keeps them ([F, 4U], [U, 4U]: ldigo).
  auto src = md({T, B, F}, tag::tnc), dst = md({T, B, U}, tag::tnc);
  auto iter = md({1, 1, B, U}, tag::ldnc);
  auto wl_user = md({1, 1, F, 4, U}, tag::ldigo), wi_user = md({1, 1, U, 4, U}, tag::ldigo), bias = md({1, 1, 4, U}, tag::ldgo);
  auto wl_any = md({1, 1, F, 4, U}, tag::any), wi_any = md({1, 1, U, 4, U}, tag::any);
  const auto dir = rnn_direction::unidirectional_left2right;
  lstm_forward::desc fd(prop_kind::forward_training, dir, src, iter, iter, wl_any, wi_any, bias, dst, iter, iter);
  lstm_forward::primitive_desc fpd(fd, eng);
  lstm_backward::desc bd(prop_kind::backward, dir, src, iter, iter, wl_any, wi_any, bias, dst, iter, iter, src, iter, iter, wl_any, wi_any, bias, dst,
                         iter, iter);
  lstm_backward::primitive_desc bpd(bd, eng, fpd);
  auto fill = [&](const memory::desc& d, float v) {
    memory m(d, eng);
    float* p = static_cast<float*>(m.get_data_handle());
    std::fill(p, p + d.get_size() / sizeof(float), v);
    return m;
  };
  memory x = fill(src, 0.1f), h0 = fill(iter, 0.f), c0 = fill(iter, 0.f), y = fill(dst, 0.f), hT = fill(iter, 0.f), cT = fill(iter, 0.f);
  memory wl = fill(wl_user, 0.01f), wi = fill(wi_user, 0.01f), b = fill(bias, 0.f);
  memory wl_f(fpd.weights_layer_desc(), eng), wi_f(fpd.weights_iter_desc(), eng), ws(fpd.workspace_desc(), eng);
  memory wl_b(bpd.weights_layer_desc(), eng), wi_b(bpd.weights_iter_desc(), eng);
  memory dwl_b(bpd.diff_weights_layer_desc(), eng), dwi_b(bpd.diff_weights_iter_desc(), eng);
  memory dwl = fill(wl_user, 0.f), dwi = fill(wi_user, 0.f), db = fill(bias, 0.f), dx = fill(src, 0.f), dh0 = fill(iter, 0.f), dc0 = fill(iter, 0.f);
  memory dy = fill(dst, 0.01f), dhT = fill(iter, 0.f), dcT = fill(iter, 0.f);
  lstm_forward fwd(fpd);
  lstm_backward bwd(bpd);
  std::vector<double> f_ms, b_ms;
  for (int r = 0; r < reps + 2; r++) {
    auto t0 = std::chrono::steady_clock::now();
    // Weights change every training step: reorder them into oneDNN's layout each time (part of the cost).
    reorder(wl, wl_f).execute(s, wl, wl_f);
    reorder(wi, wi_f).execute(s, wi, wi_f);
    fwd.execute(s, {{DNNL_ARG_SRC_LAYER, x}, {DNNL_ARG_SRC_ITER, h0}, {DNNL_ARG_SRC_ITER_C, c0}, {DNNL_ARG_WEIGHTS_LAYER, wl_f},
                    {DNNL_ARG_WEIGHTS_ITER, wi_f}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST_LAYER, y}, {DNNL_ARG_DST_ITER, hT},
                    {DNNL_ARG_DST_ITER_C, cT}, {DNNL_ARG_WORKSPACE, ws}});
    s.wait();
    auto t1 = std::chrono::steady_clock::now();
    reorder(wl, wl_b).execute(s, wl, wl_b);
    reorder(wi, wi_b).execute(s, wi, wi_b);
    bwd.execute(s, {{DNNL_ARG_SRC_LAYER, x}, {DNNL_ARG_SRC_ITER, h0}, {DNNL_ARG_SRC_ITER_C, c0}, {DNNL_ARG_WEIGHTS_LAYER, wl_b},
                    {DNNL_ARG_WEIGHTS_ITER, wi_b}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST_LAYER, y}, {DNNL_ARG_DST_ITER, hT},
                    {DNNL_ARG_DST_ITER_C, cT}, {DNNL_ARG_WORKSPACE, ws}, {DNNL_ARG_DIFF_SRC_LAYER, dx}, {DNNL_ARG_DIFF_SRC_ITER, dh0},
                    {DNNL_ARG_DIFF_SRC_ITER_C, dc0}, {DNNL_ARG_DIFF_WEIGHTS_LAYER, dwl_b}, {DNNL_ARG_DIFF_WEIGHTS_ITER, dwi_b},
                    {DNNL_ARG_DIFF_BIAS, db}, {DNNL_ARG_DIFF_DST_LAYER, dy}, {DNNL_ARG_DIFF_DST_ITER, dhT}, {DNNL_ARG_DIFF_DST_ITER_C, dcT}});
    reorder(dwl_b, dwl).execute(s, dwl_b, dwl);
    reorder(dwi_b, dwi).execute(s, dwi_b, dwi);
    s.wait();
    auto t2 = std::chrono::steady_clock::now();
    if (r >= 2) {
      f_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      b_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
  }
  std::sort(f_ms.begin(), f_ms.end());
  std::sort(b_ms.begin(), b_ms.end());
  std::printf("{\"threads\": %d, \"forwardMs\": %.3f, \"backwardMs\": %.3f, \"forwardMinMs\": %.3f, \"backwardMinMs\": %.3f}\n", omp_get_max_threads(),
              f_ms[f_ms.size() / 2], b_ms[b_ms.size() / 2], f_ms[0], b_ms[0]);
  return 0;
}
