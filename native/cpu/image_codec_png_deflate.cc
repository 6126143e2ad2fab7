// The common PNG decoded without libpng (image_codec.h's decode_png tries this first): 8-bit grey,
// grey + alpha, RGB or RGBA, not interlaced, no tRNS chunk. libdeflate inflates the joined IDAT
// data in one call (about twice zlib's speed, and the inflate is most of a PNG's decode), the rows
// are unfiltered here (PNG's five filters), every chunk's CRC and the zlib Adler-32 are checked. Any
// other PNG, and anything unexpected in this one (a bad CRC, a short or long stream, a missing
// IEND), answers false and goes to libpng, which decodes it or refuses it as before.
#include <cstdlib>
#include <cstring>
#include <vector>

#include "image_codec.h"

#ifdef KN_HAVE_DEFLATE
#include <libdeflate.h>
#endif

namespace kn {

#ifndef KN_HAVE_DEFLATE
bool decode_png_deflate(const uint8_t*, size_t, int64_t, PixelSink&) { return false; }
#else
namespace {

uint32_t be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }

// One filtered row (PNG's filter `type`) into `out`, given the previous unfiltered row (zeros for the first).
bool unfilter(int type, const uint8_t* in, const uint8_t* prev, uint8_t* out, size_t n, size_t bpp) {
  switch (type) {
    case 0: std::memcpy(out, in, n); return true;
    case 1:
      for (size_t i = 0; i < n; i++) out[i] = static_cast<uint8_t>(in[i] + (i >= bpp ? out[i - bpp] : 0));
      return true;
    case 2:
      for (size_t i = 0; i < n; i++) out[i] = static_cast<uint8_t>(in[i] + prev[i]);
      return true;
    case 3:
      for (size_t i = 0; i < n; i++) out[i] = static_cast<uint8_t>(in[i] + (((i >= bpp ? out[i - bpp] : 0) + prev[i]) >> 1));
      return true;
    case 4:
      for (size_t i = 0; i < n; i++) {
        const int a = i >= bpp ? out[i - bpp] : 0, b = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
        const int pa = std::abs(b - c), pb = std::abs(a - c), pc = std::abs(a + b - 2 * c);
        out[i] = static_cast<uint8_t>(in[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c));
      }
      return true;
    default: return false;
  }
}

// A thread's decompressor, freed with the thread.
struct Inflater {
  libdeflate_decompressor* d = libdeflate_alloc_decompressor();
  ~Inflater() { libdeflate_free_decompressor(d); }
};

}  // namespace

bool decode_png_deflate(const uint8_t* bytes, size_t size, int64_t max_pixels, PixelSink& sink) {
  thread_local std::vector<uint8_t> idat, raw;
  static const int kChannels[7] = {1, 0, 3, 0, 2, 0, 4};  // by colour type: 0 grey, 2 RGB, 4 grey + alpha, 6 RGBA
  if (!is_png(bytes, size) || size < 8 + 25 || be32(bytes + 8) != 13 || std::memcmp(bytes + 12, "IHDR", 4) != 0) return false;
  const uint8_t* ihdr = bytes + 16;
  const uint32_t width = be32(ihdr), height = be32(ihdr + 4);
  const int depth = ihdr[8], type = ihdr[9];
  if (depth != 8 || type > 6 || kChannels[type] == 0 || ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] != 0) return false;
  if (width == 0 || height == 0 || width > (1u << 24) || height > (1u << 24) || static_cast<int64_t>(width) * height > max_pixels) return false;
  idat.clear();
  bool ended = false;
  for (size_t at = 8; at + 12 <= size;) {
    const uint32_t length = be32(bytes + at);
    if (length > size - at - 12) return false;
    const uint8_t* name = bytes + at + 4;
    if (libdeflate_crc32(0, name, length + 4) != be32(bytes + at + 8 + length)) return false;
    if (std::memcmp(name, "tRNS", 4) == 0 || (std::memcmp(name, "PLTE", 4) == 0 && type != 2 && type != 6)) return false;
    if (std::memcmp(name, "IDAT", 4) == 0) idat.insert(idat.end(), name + 4, name + 4 + length);
    at += 12 + length;
    if (std::memcmp(name, "IEND", 4) == 0) {
      ended = true;
      break;
    }
  }
  if (!ended || idat.empty()) return false;
  const size_t channels = kChannels[type], stride = width * channels;
  raw.resize((stride + 1) * height);
  thread_local Inflater inflater;
  if (inflater.d == nullptr || libdeflate_zlib_decompress(inflater.d, idat.data(), idat.size(), raw.data(), raw.size(), nullptr) != LIBDEFLATE_SUCCESS) return false;
  uint8_t* out = sink.pixels(static_cast<int>(width), static_cast<int>(height), static_cast<int>(channels));
  if (out == nullptr) return false;
  thread_local std::vector<uint8_t> zeros;
  zeros.assign(stride, 0);
  for (uint32_t y = 0; y < height; y++) {
    const uint8_t* row = raw.data() + y * (stride + 1);
    if (!unfilter(row[0], row + 1, y == 0 ? zeros.data() : out + (y - 1) * stride, out + y * stride, stride, channels)) return false;
  }
  return true;
}
#endif

}  // namespace kn
