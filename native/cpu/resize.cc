// Image resizing, NHWC float32 (tfjs's ResizeBilinear and ResizeNearestNeighbor, and their
// gradients with respect to the images):
//
//   resize(x, out, shape [n, h, w, c], outH, outW, rows, cols)
//   resizeGrad(dy, dx, shape [n, h, w, c], outH, outW, rows, cols)
//
// rows (3·outH doubles) holds, for each output row, the two input rows it reads and the weight of
// the second: out = top + (bottom - top)·frac, as tfjs-backend-cpu interpolates; cols the same
// across. The caller computes them from alignCorners / halfPixelCenters (nearest: both rows the
// same, frac 0). The gradient scatters dy through the same taps, so it is the forward's exact
// adjoint (tfjs-backend-cpu's gradient kernels ignore halfPixelCenters; this one does not).
#include <cstring>
#include <vector>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

struct Tap {
  int64_t lo, hi;
  double frac;
};

std::vector<Tap> taps(Call& c, size_t i, const char* name, int64_t count, int64_t size) {
  const double* t = c.f64(i, name, 3 * count);
  std::vector<Tap> out(count);
  for (int64_t k = 0; k < count; k++) {
    out[k] = {static_cast<int64_t>(t[3 * k]), static_cast<int64_t>(t[3 * k + 1]), t[3 * k + 2]};
    if (out[k].lo < 0 || out[k].lo >= size || out[k].hi < 0 || out[k].hi >= size) c.fail(std::string("`") + name + "` reads outside the image.");
  }
  return out;
}

struct Geometry {
  int64_t n, h, w, ch, oh, ow;
};

Geometry geometry(Call& c) {
  auto shape = c.ints(2, "shape", 4, 4, 0, kMaxElements);
  const int64_t oh = c.integer(3, "outH", 0, kMaxElements), ow = c.integer(4, "outW", 0, kMaxElements);
  checked_size({shape[0], oh, ow, shape[3]}, c.fn(), "out");
  return {shape[0], shape[1], shape[2], shape[3], oh, ow};
}

napi_value js_resize(Call& c) {
  const Geometry g = geometry(c);
  const float* x = c.f32(0, "x", checked_size({g.n, g.h, g.w, g.ch}, c.fn(), "x"));
  float* out = c.f32(1, "out", g.n * g.oh * g.ow * g.ch);
  if (g.n * g.oh * g.ow * g.ch == 0) return undefined(c.env());
  const auto rows = taps(c, 5, "rows", g.oh, g.h), cols = taps(c, 6, "cols", g.ow, g.w);
#pragma omp parallel for if (g.n * g.oh * g.ow * g.ch >= kParallelMin)
  for (int64_t br = 0; br < g.n * g.oh; br++) {
    const int64_t b = br / g.oh;
    const Tap& r = rows[br % g.oh];
    const float* top = x + (b * g.h + r.lo) * g.w * g.ch;
    const float* bottom = x + (b * g.h + r.hi) * g.w * g.ch;
    float* o = out + br * g.ow * g.ch;
    for (int64_t j = 0; j < g.ow; j++) {
      const Tap& col = cols[j];
      for (int64_t d = 0; d < g.ch; d++) {
        const double tl = top[col.lo * g.ch + d], tr = top[col.hi * g.ch + d];
        const double bl = bottom[col.lo * g.ch + d], brr = bottom[col.hi * g.ch + d];
        const double t = tl + (tr - tl) * col.frac, u = bl + (brr - bl) * col.frac;
        o[j * g.ch + d] = static_cast<float>(t + (u - t) * r.frac);
      }
    }
  }
  return undefined(c.env());
}

napi_value js_resize_grad(Call& c) {
  const Geometry g = geometry(c);
  const float* dy = c.f32(0, "dy", g.n * g.oh * g.ow * g.ch);
  float* dx = c.f32(1, "dx", checked_size({g.n, g.h, g.w, g.ch}, c.fn(), "dx"));
  std::memset(dx, 0, sizeof(float) * g.n * g.h * g.w * g.ch);
  if (g.n * g.oh * g.ow * g.ch == 0) return undefined(c.env());
  const auto rows = taps(c, 5, "rows", g.oh, g.h), cols = taps(c, 6, "cols", g.ow, g.w);
  // Output rows of one image scatter into shared input rows: images run in parallel, rows in order.
#pragma omp parallel for if (g.n > 1 && g.n * g.oh * g.ow * g.ch >= kParallelMin)
  for (int64_t b = 0; b < g.n; b++) {
    for (int64_t i = 0; i < g.oh; i++) {
      const Tap& r = rows[i];
      float* top = dx + (b * g.h + r.lo) * g.w * g.ch;
      float* bottom = dx + (b * g.h + r.hi) * g.w * g.ch;
      const float* d_out = dy + (b * g.oh + i) * g.ow * g.ch;
      for (int64_t j = 0; j < g.ow; j++) {
        const Tap& col = cols[j];
        const double wt = 1 - r.frac, wb = r.frac, wl = 1 - col.frac, wr = col.frac;
        for (int64_t d = 0; d < g.ch; d++) {
          const double v = d_out[j * g.ch + d];
          top[col.lo * g.ch + d] += static_cast<float>(v * wt * wl);
          top[col.hi * g.ch + d] += static_cast<float>(v * wt * wr);
          bottom[col.lo * g.ch + d] += static_cast<float>(v * wb * wl);
          bottom[col.hi * g.ch + d] += static_cast<float>(v * wb * wr);
        }
      }
    }
  }
  return undefined(c.env());
}

}  // namespace

void register_resize(napi_env env, napi_value exports) {
  export_function(env, exports, "resize", js_resize);
  export_function(env, exports, "resizeGrad", js_resize_grad);
}

}  // namespace kn
