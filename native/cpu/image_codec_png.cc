// PNG decoding with libpng (image_codec.h): 8-bit and lower depths; palettes expanded to RGB and
// tRNS to an alpha channel (as libvips does, so the channels are sharp's), grey below 8 bits
// scaled to 0..255 (as PIL's unpackers do). 16-bit files are left to sharp. No gamma, sRGB or ICC
// handling: the stored values, as PIL reads them. Errors long-jump out of libpng; a warning (a bad
// CRC in an ancillary chunk, an odd profile) leaves the file to sharp.
#include "image_codec.h"

#include <cstring>
#include <vector>

#ifdef KN_HAVE_PNG
#include <png.h>
#endif

namespace kn {

bool is_png(const uint8_t* b, size_t n) {
  static const uint8_t sig[8] = {0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a};
  return n >= 8 && std::memcmp(b, sig, 8) == 0;
}

#ifndef KN_HAVE_PNG
bool decode_png(const uint8_t*, size_t, int64_t, PixelSink&) { return false; }
#else
namespace {

struct Source {
  const uint8_t* data;
  size_t size;
  size_t at = 0;
  bool warned = false;
};

void on_read(png_structp png, png_bytep out, png_size_t n) {
  auto* src = static_cast<Source*>(png_get_io_ptr(png));
  if (n > src->size - src->at) png_error(png, "truncated");
  std::memcpy(out, src->data + src->at, n);
  src->at += n;
}
void on_error(png_structp png, png_const_charp) { png_longjmp(png, 1); }
void on_warning(png_structp png, png_const_charp) { static_cast<Source*>(png_get_error_ptr(png))->warned = true; }

// The decode proper, after setjmp: false where the file is left to sharp.
bool read(png_structp png, png_infop info, Source& src, int64_t max_pixels, PixelSink& sink, std::vector<png_bytep>& rows) {
  png_read_info(png, info);
  const png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
  const int depth = png_get_bit_depth(png, info), type = png_get_color_type(png, info);
  if (depth > 8 || static_cast<int64_t>(width) * height > max_pixels || src.warned) return false;
  if (type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (type == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const int channels = png_get_channels(png, info);
  if (png_get_bit_depth(png, info) != 8 || channels < 1 || channels > 4 || png_get_rowbytes(png, info) != static_cast<size_t>(width) * channels) return false;
  uint8_t* out = sink.pixels(static_cast<int>(width), static_cast<int>(height), channels);
  if (out == nullptr) return false;
  rows.resize(height);
  for (png_uint_32 y = 0; y < height; y++) rows[y] = out + static_cast<size_t>(y) * width * channels;
  png_read_image(png, rows.data());
  png_read_end(png, nullptr);
  return !src.warned;
}

}  // namespace

bool decode_png(const uint8_t* bytes, size_t size, int64_t max_pixels, PixelSink& sink) {
  if (decode_png_deflate(bytes, size, max_pixels, sink)) return true;
  Source src{bytes, size};
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, on_error, on_warning);
  if (png == nullptr) return false;
  png_infop info = png_create_info_struct(png);
  std::vector<png_bytep> rows;  // outside the setjmp: freed on every path
  bool ok = false;
  if (info != nullptr && setjmp(png_jmpbuf(png)) == 0) {
    png_set_read_fn(png, &src, on_read);
    ok = read(png, info, src, max_pixels, sink, rows);
  }
  png_destroy_read_struct(&png, info != nullptr ? &info : nullptr, nullptr);
  return ok;
}
#endif

}  // namespace kn
