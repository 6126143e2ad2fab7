// Image files decoded and resized for the dataset loader and loadImg (src/utils/image/native_codec.ts),
// JPEG and PNG only (image_codec.h; the rest goes through sharp):
//
//   imageCodecs()                          the formats compiled in: e.g. ['jpeg', 'png'], or []
//   decodeImage(bytes, maxPixels)          { width, height, channels, data: Uint8Array } decoded
//                                          straight into the new array, or null (left to sharp)
//   loadImages(paths, out, offsets, spec)  for each path (paths: one Uint8Array of 0-terminated
//                                          UTF-8 paths): read, decode, convert to spec's channels
//                                          as PIL's convert, resize as TensorFlow's half-pixel
//                                          tf.image.resize, bilinear or nearest (after smart_resize's
//                                          crop or Keras's pad_to_aspect_ratio), to float32 [h, w, c]
//                                          in `out` from offsets[i]; returns a Uint8Array, 1 where
//                                          done and 0 where the file is left to the JavaScript path
//   spec = [channels (1 | 3 | 4), height, width, crop (0 | 1), pad (0 | 1), maxPixels, nearest (0 | 1)]
//
// The arithmetic is src/utils/image/keras_image.ts's convert and tf_resize.ts's resizeBilinearBytes
// and resizeNearestBytes, operation for operation in doubles (built with -ffp-contract=off), so the
// floats are the same bits. Scratch memory is per thread: image workers call this at once, each on
// its own thread.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "call.h"
#include "image_codec.h"

namespace kn {
namespace {

struct Raw {
  int width = 0, height = 0, channels = 0;
  const uint8_t* data = nullptr;
};

// Decodes into a growing per-thread buffer.
struct ScratchSink : PixelSink {
  std::vector<uint8_t>& buffer;
  Raw raw;
  explicit ScratchSink(std::vector<uint8_t>& b) : buffer(b) {}
  uint8_t* pixels(int w, int h, int c) override {
    buffer.resize(static_cast<size_t>(w) * h * c);
    raw = {w, h, c, buffer.data()};
    return buffer.data();
  }
};

// Decodes into a new JavaScript ArrayBuffer.
struct ArraySink : PixelSink {
  napi_env env;
  napi_value array = nullptr;
  int width = 0, height = 0, channels = 0;
  explicit ArraySink(napi_env e) : env(e) {}
  uint8_t* pixels(int w, int h, int c) override {
    void* data = nullptr;
    const size_t n = static_cast<size_t>(w) * h * c;
    napi_value buffer;
    if (napi_create_arraybuffer(env, n, &data, &buffer) != napi_ok) return nullptr;
    napi_create_typedarray(env, napi_uint8_array, n, buffer, 0, &array);
    width = w, height = h, channels = c;
    return static_cast<uint8_t*>(data);
  }
};

bool decode(const uint8_t* bytes, size_t size, int64_t max_pixels, PixelSink& sink) {
  if (is_jpeg(bytes, size)) return decode_jpeg(bytes, size, max_pixels, sink);
  if (is_png(bytes, size)) return decode_png(bytes, size, max_pixels, sink);
  return false;
}

// keras_image.ts's convert: PIL's L24 luma for grey from colour, alpha dropped or 255 added.
void convert(const Raw& in, int cout, std::vector<uint8_t>& out) {
  const int cin = in.channels;
  const size_t n = static_cast<size_t>(in.width) * in.height;
  out.resize(n * cout);
  const uint8_t* s = in.data;
  uint8_t* d = out.data();
  const bool colour = cin >= 3, alpha_in = cin == 2 || cin == 4;
  for (size_t i = 0; i < n; i++, s += cin, d += cout) {
    const uint8_t alpha = alpha_in ? s[cin - 1] : 255;
    if (cout <= 2) {
      d[0] = colour ? static_cast<uint8_t>((s[0] * 19595u + s[1] * 38470u + s[2] * 7471u + 0x8000u) >> 16) : s[0];
    } else if (colour) {
      d[0] = s[0], d[1] = s[1], d[2] = s[2];
    } else {
      d[0] = d[1] = d[2] = s[0];
    }
    if (cout == 2 || cout == 4) d[cout - 1] = alpha;
  }
}

// tf_resize.ts's ResizeRegion: a window of the image, or the image inside black borders (negative top/left).
struct Region {
  int64_t top, left, height, width;
};

Region smart_crop(int64_t h, int64_t w, int64_t th, int64_t tw) {
  const int64_t ch = std::max<int64_t>(std::min(h, (w * th) / tw), 1), cw = std::max<int64_t>(std::min(w, (h * tw) / th), 1);
  return {(h - ch) / 2, (w - cw) / 2, ch, cw};
}

Region pad_region(int64_t h, int64_t w, int64_t th, int64_t tw) {
  const int64_t top = (std::max(h, (w * th) / tw) - h) / 2, left = (std::max(w, (h * tw) / th) - w) / 2;
  return {-top, -left, h + 2 * top, w + 2 * left};
}

// tf_resize.ts's axis(): per output index, the two source indices (-1: a black border) and the second's weight.
struct Axis {
  std::vector<int64_t> lo, hi;
  std::vector<double> t;
  bool border = false;
};

Axis axis(int64_t out_size, int64_t region, int64_t start, int64_t size) {
  Axis a;
  a.lo.resize(out_size), a.hi.resize(out_size), a.t.resize(out_size);
  const double scale = static_cast<double>(region) / static_cast<double>(out_size);
  auto at = [&](double v) -> int64_t {
    const int64_t i = static_cast<int64_t>(v) + start;
    if (i >= 0 && i < size) return i;
    a.border = true;
    return -1;
  };
  for (int64_t o = 0; o < out_size; o++) {
    const double v = (static_cast<double>(o) + 0.5) * scale - 0.5;
    const double f = std::floor(v);
    a.lo[o] = at(std::max(f, 0.0));
    a.hi[o] = at(std::min(std::ceil(v), static_cast<double>(region - 1)));
    a.t[o] = v - f;
  }
  return a;
}

// tf_resize.ts's resizeBilinearBytes, the same operations in doubles, rounded once to float32.
void resize_bilinear(const uint8_t* src, int64_t height, int64_t width, int64_t c, int64_t out_h, int64_t out_w, const Region& r, float* out) {
  const Axis ys = axis(out_h, r.height, r.top, height), xs = axis(out_w, r.width, r.left, width);
  const int64_t row = width * c;
  const bool border = ys.border || xs.border;
  static const uint8_t zeros[4] = {0, 0, 0, 0};
  float* o = out;
  for (int64_t y = 0; y < out_h; y++) {
    const int64_t r0 = ys.lo[y], r1 = ys.hi[y];
    const double ty = ys.t[y];
    for (int64_t x = 0; x < out_w; x++) {
      const int64_t c0 = xs.lo[x], c1 = xs.hi[x];
      const double tx = xs.t[x];
      const uint8_t* a = src + r0 * row + c0 * c;
      const uint8_t* b = src + r0 * row + c1 * c;
      const uint8_t* cc = src + r1 * row + c0 * c;
      const uint8_t* d = src + r1 * row + c1 * c;
      if (border) {
        if (r0 < 0 || c0 < 0) a = zeros;
        if (r0 < 0 || c1 < 0) b = zeros;
        if (r1 < 0 || c0 < 0) cc = zeros;
        if (r1 < 0 || c1 < 0) d = zeros;
      }
      for (int64_t ch = 0; ch < c; ch++) {
        const double tl = a[ch], tr = b[ch], bl = cc[ch], br = d[ch];
        const double top = tl + (tr - tl) * tx;
        *o++ = static_cast<float>(top + (bl + (br - bl) * tx - top) * ty);
      }
    }
  }
}

// tf_resize.ts's resizeNearestBytes: per output index the source index (-1: a black border).
std::vector<int64_t> nearest_axis(int64_t out_size, int64_t region, int64_t start, int64_t size) {
  std::vector<int64_t> index(out_size);
  const double ratio = static_cast<double>(region) / static_cast<double>(out_size);
  for (int64_t o = 0; o < out_size; o++) {
    const int64_t i = std::max<int64_t>(0, std::min<int64_t>(region - 1, static_cast<int64_t>(std::floor(ratio * (static_cast<double>(o) + 0.5))))) + start;
    index[o] = i >= 0 && i < size ? i : -1;
  }
  return index;
}

void resize_nearest(const uint8_t* src, int64_t height, int64_t width, int64_t c, int64_t out_h, int64_t out_w, const Region& r, float* out) {
  const std::vector<int64_t> ys = nearest_axis(out_h, r.height, r.top, height), xs = nearest_axis(out_w, r.width, r.left, width);
  float* o = out;
  for (int64_t y = 0; y < out_h; y++) {
    for (int64_t x = 0; x < out_w; x++) {
      const bool inside = ys[y] >= 0 && xs[x] >= 0;
      const uint8_t* p = inside ? src + (ys[y] * width + xs[x]) * c : nullptr;
      for (int64_t ch = 0; ch < c; ch++) *o++ = inside ? static_cast<float>(p[ch]) : 0.f;
    }
  }
}

// The whole file into `bytes`; false when it cannot be read (the JavaScript path says why).
bool read_file(const std::string& path, std::vector<uint8_t>& bytes) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (ok) {
    bytes.resize(static_cast<size_t>(st.st_size));
    size_t got = 0;
    while (got < bytes.size()) {
      const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    ok = got == bytes.size();
  }
  close(fd);
  return ok;
}

napi_value js_image_codecs(Call& c) {
  napi_env env = c.env();
  napi_value list;
  napi_create_array(env, &list);
  uint32_t n = 0;
  auto add = [&](const char* name) {
    napi_value s;
    napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &s);
    napi_set_element(env, list, n++, s);
  };
#ifdef KN_HAVE_JPEG
  add("jpeg");
#endif
#ifdef KN_HAVE_PNG
  add("png");
#endif
  (void)add;
  return list;
}

napi_value js_decode_image(Call& c) {
  const Array bytes = c.array(0, "bytes");
  if (bytes.dtype != DType::U8) c.fail("`bytes` must be a Uint8Array.");
  const double max_pixels = c.number(1, "maxPixels");
  ArraySink sink(c.env());
  napi_value result;
  if (!decode(bytes.u8(), static_cast<size_t>(bytes.length), static_cast<int64_t>(max_pixels), sink) || sink.array == nullptr) {
    napi_get_null(c.env(), &result);
    return result;
  }
  napi_create_object(c.env(), &result);
  napi_set_named_property(c.env(), result, "width", number(c.env(), sink.width));
  napi_set_named_property(c.env(), result, "height", number(c.env(), sink.height));
  napi_set_named_property(c.env(), result, "channels", number(c.env(), sink.channels));
  napi_set_named_property(c.env(), result, "data", sink.array);
  return result;
}

// loadImages's region of an image: smart_resize's crop, Keras's padding, or the whole image.
Region region_of(const std::vector<int64_t>& spec, int64_t height, int64_t width) {
  if (spec[3] != 0) return smart_crop(height, width, spec[1], spec[2]);
  if (spec[4] != 0) return pad_region(height, width, spec[1], spec[2]);
  return Region{0, 0, height, width};
}

// Decodes into per-thread scratch and tells the decoder the rows the resize reads.
struct ResizeSink : ScratchSink {
  const std::vector<int64_t>& spec;
  std::vector<uint8_t>& needed;
  ResizeSink(std::vector<uint8_t>& b, const std::vector<int64_t>& s, std::vector<uint8_t>& n) : ScratchSink(b), spec(s), needed(n) {}
  uint8_t* pixels(int w, int h, int c) override {
    const Region r = region_of(spec, h, w);
    needed.assign(static_cast<size_t>(h), 0);
    if (spec[6] != 0) {
      for (int64_t y : nearest_axis(spec[1], r.height, r.top, h)) if (y >= 0) needed[y] = 1;
    } else {
      const Axis ys = axis(spec[1], r.height, r.top, h);
      for (size_t i = 0; i < ys.lo.size(); i++) {
        if (ys.lo[i] >= 0) needed[ys.lo[i]] = 1;
        if (ys.hi[i] >= 0) needed[ys.hi[i]] = 1;
      }
    }
    return ScratchSink::pixels(w, h, c);
  }
  bool needs_row(int y) const override { return needed[y] != 0; }
};

// One file of loadImages: read, decoded, converted and resized into `out`; false where it is left to JavaScript.
bool load_one(const std::string& path, const std::vector<int64_t>& spec, float* out) {
  thread_local std::vector<uint8_t> bytes, decoded, converted, needed;
  const int64_t channels = spec[0], out_h = spec[1], out_w = spec[2];
  if (!read_file(path, bytes)) return false;
  ResizeSink sink(decoded, spec, needed);
  if (!decode(bytes.data(), bytes.size(), spec[5], sink)) return false;
  Raw img = sink.raw;
  if (img.channels != channels) {
    convert(img, static_cast<int>(channels), converted);
    img = {img.width, img.height, static_cast<int>(channels), converted.data()};
  }
  const auto resize = spec[6] != 0 ? resize_nearest : resize_bilinear;
  resize(img.data, img.height, img.width, channels, out_h, out_w, region_of(spec, img.height, img.width), out);
  return true;
}

// loadImages(paths, out, offsets, spec): paths is one Uint8Array of UTF-8 paths, each ended by a 0 byte.
napi_value js_load_images(Call& c) {
  const Array paths = c.array(0, "paths");
  if (paths.dtype != DType::U8) c.fail("`paths` must be a Uint8Array of 0-terminated UTF-8 paths.");
  const Array out = c.array(1, "out");
  if (out.dtype != DType::F32) c.fail("`out` must be a Float32Array.");
  const std::vector<int64_t> spec = c.ints(3, "spec", 7, 7, 0, INT64_C(1) << 52);
  const int64_t channels = spec[0], per_image = spec[1] * spec[2] * spec[0];
  if (channels != 1 && channels != 3 && channels != 4) c.fail("spec[0] (channels) must be 1, 3 or 4, got " + std::to_string(channels) + ".");
  if (spec[1] < 1 || spec[2] < 1 || per_image > out.length) c.fail("spec's height and width must be positive and one image must fit in `out`.");
  if (spec[3] != 0 && spec[4] != 0) c.fail("spec's crop and pad cannot both be set.");
  const std::vector<int64_t> offsets = c.ints(2, "offsets", 0, 1 << 24, 0, out.length - per_image);
  std::vector<std::string> files;
  const char* p = reinterpret_cast<const char*>(paths.u8());
  for (int64_t at = 0, start = 0; at < paths.length; at++) {
    if (p[at] == 0) files.emplace_back(p + start, p + at), start = at + 1;
  }
  if (files.size() != offsets.size()) c.fail(std::to_string(files.size()) + " paths for " + std::to_string(offsets.size()) + " offsets.");
  napi_value status_buffer, status;
  void* data = nullptr;
  napi_create_arraybuffer(c.env(), files.size(), &data, &status_buffer);
  napi_create_typedarray(c.env(), napi_uint8_array, files.size(), status_buffer, 0, &status);
  auto* done = static_cast<uint8_t*>(data);
  for (size_t i = 0; i < files.size(); i++) done[i] = load_one(files[i], spec, out.f32() + offsets[i]) ? 1 : 0;
  return status;
}

}  // namespace

void register_image_codec(napi_env env, napi_value exports) {
  export_function(env, exports, "imageCodecs", js_image_codecs);
  export_function(env, exports, "decodeImage", js_decode_image);
  export_function(env, exports, "loadImages", js_load_images);
}

}  // namespace kn
