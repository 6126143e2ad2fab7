// Images read at arbitrary points, the sampler under the geometric ops (src/ops/image_sampling.ts's
// samplePoints: affine and displacement transforms), and its gradient with respect to the images,
// NHWC float32; xs and ys hold the input point of each output pixel (n·h·w doubles, row-major):
//
//   imageSample(images, out, shape [n, h, w, c], xs, ys, bilinear, fillMode, fillValue)
//   imageSampleGrad(dy, dx, shape, xs, ys, bilinear, fillMode)
//
// Same arithmetic as the sampler's tfjs path, so results agree to the last bit there: tap
// weights rounded to float32, each tap's product in float32, the taps summed in double in tap
// order, the fill weight accumulated in float32 and added last.
#include <cmath>
#include <cstring>

#include "call.h"
#include "ops.h"

namespace kn {
namespace {

// The in-image index that integer coordinate i reads (JavaScript's % semantics), or -1 for the fill value.
int64_t map_index(double i, int64_t size, int mode) {
  if (i >= 0 && i < static_cast<double>(size)) return static_cast<int64_t>(i);
  const double s = static_cast<double>(size);
  double m;
  switch (mode) {
    case FILL_NEAREST: return i < 0 ? 0 : size - 1;
    case FILL_WRAP: m = std::fmod(std::fmod(i, s) + s, s); break;
    case FILL_REFLECT:
      m = std::fmod(std::fmod(i, 2 * s) + 2 * s, 2 * s);
      if (m >= s) m = 2 * s - 1 - m;
      break;
    default: return -1;
  }
  return std::isfinite(m) && m >= 0 && m < s ? static_cast<int64_t>(m) : -1;
}

struct Taps {
  int count = 0;
  int64_t index[4];  // pixel (y * w + x) within the image, or -1 for the fill value
  float weight[4];   // 0 where the fill value is read
  float fill = 0.f;  // the total weight of the fill value
};

struct Sampler {
  int64_t n, h, w, c;
  const double* xs;
  const double* ys;
  bool bilinear;
  int mode;

  // Output pixel p of the batch: where it reads, as the sampler's samples() computes it.
  Taps taps(int64_t p) const {
    const double xin = xs[p], yin = ys[p];
    Taps r;
    auto put = [&](double yi, double xi, double wt) {
      const int64_t py = map_index(yi, h, mode), px = map_index(xi, w, mode);
      const int i = r.count++;
      if (py < 0 || px < 0) {
        r.index[i] = -1;
        r.weight[i] = 0.f;
        r.fill = static_cast<float>(static_cast<double>(r.fill) + wt);
      } else {
        r.index[i] = py * w + px;
        r.weight[i] = static_cast<float>(wt);
      }
    };
    if (!bilinear) {
      put(std::floor(yin + 0.5), std::floor(xin + 0.5), 1);
      return r;
    }
    const double y0 = std::floor(yin), x0 = std::floor(xin);
    const double dy = yin - y0, dx = xin - x0;
    put(y0, x0, (1 - dy) * (1 - dx));
    put(y0, x0 + 1, (1 - dy) * dx);
    put(y0 + 1, x0, dy * (1 - dx));
    put(y0 + 1, x0 + 1, dy * dx);
    return r;
  }
};

Sampler read_sampler(Call& c, size_t i) {
  auto shape = c.ints(i, "shape", 4, 4, 0, kMaxElements);
  checked_size(shape, c.fn(), "images");
  const int64_t points = shape[0] * shape[1] * shape[2];
  Sampler s{shape[0], shape[1], shape[2], shape[3], c.f64(i + 1, "xs", points), c.f64(i + 2, "ys", points), false, 0};
  s.bilinear = c.flag(i + 3, "bilinear");
  s.mode = static_cast<int>(c.integer(i + 4, "fillMode", 0, FillMode_LAST));
  return s;
}

napi_value js_image_sample(Call& c) {
  Sampler t = read_sampler(c, 2);
  const float fill_value = static_cast<float>(c.number(7, "fillValue"));
  const int64_t size = t.n * t.h * t.w * t.c;
  const float* x = c.f32(0, "images", size);
  float* out = c.f32(1, "out", size);
  const int64_t rows = t.n * t.h, cc = t.c;
#pragma omp parallel for if (size >= kParallelMin)
  for (int64_t r = 0; r < rows; r++) {
    const int64_t b = r / t.h;
    const float* image = x + b * t.h * t.w * cc;
    for (int64_t px = 0; px < t.w; px++) {
      const Taps s = t.taps(r * t.w + px);
      float* o = out + (r * t.w + px) * cc;
      const float fill = fill_value != 0.f ? s.fill * fill_value : 0.f;
      for (int64_t ch = 0; ch < cc; ch++) {
        double sum = 0;
        for (int k = 0; k < s.count; k++) sum += s.index[k] < 0 ? 0.f : s.weight[k] * image[s.index[k] * cc + ch];
        o[ch] = fill_value != 0.f ? static_cast<float>(sum) + fill : static_cast<float>(sum);
      }
    }
  }
  return undefined(c.env());
}

// The images' gradient: each output pixel's dy, times each tap's weight, added to the pixel the tap read.
napi_value js_image_sample_grad(Call& c) {
  Sampler t = read_sampler(c, 2);
  const int64_t size = t.n * t.h * t.w * t.c;
  const float* dy = c.f32(0, "dy", size);
  float* dx = c.f32(1, "dx", size);
  const int64_t image_size = t.h * t.w * t.c, cc = t.c;
  std::memset(dx, 0, sizeof(float) * size);
  // An image's taps read only that image: the images are independent.
#pragma omp parallel for if (size >= kParallelMin && t.n > 1)
  for (int64_t b = 0; b < t.n; b++) {
    float* d = dx + b * image_size;
    for (int64_t y = 0; y < t.h; y++) {
      for (int64_t px = 0; px < t.w; px++) {
        const Taps s = t.taps((b * t.h + y) * t.w + px);
        const float* g = dy + b * image_size + (y * t.w + px) * cc;
        for (int k = 0; k < s.count; k++) {
          if (s.index[k] < 0) continue;
          float* to = d + s.index[k] * cc;
          for (int64_t ch = 0; ch < cc; ch++) to[ch] += s.weight[k] * g[ch];
        }
      }
    }
  }
  return undefined(c.env());
}

}  // namespace

void register_image_sample(napi_env env, napi_value exports) {
  export_function(env, exports, "imageSample", js_image_sample);
  export_function(env, exports, "imageSampleGrad", js_image_sample_grad);
}

}  // namespace kn
