// The native image decoders behind image_codec.cc: JPEG (libjpeg-turbo's libjpeg API) and PNG
// (libpng; the common 8-bit kinds with libdeflate first), each compiled only where
// native/cpu/build.js found its headers (KN_HAVE_JPEG, KN_HAVE_PNG, KN_HAVE_DEFLATE). A decoder writes 8-bit pixels, the values stored in the file as PIL's Image.open
// reads them (no ICC, gamma or EXIF handling), into memory the caller hands out once the header is
// read. It answers false for anything it leaves to the JavaScript path (sharp), which then decodes
// the file or says why it cannot: another format, a CMYK JPEG, a 16-bit PNG, more pixels than
// max_pixels, and any file libjpeg or libpng refuses or warns about (truncated, corrupt).
#pragma once
#include <cstddef>
#include <cstdint>

namespace kn {

// Where a decoder writes: width x height x channels bytes, row-major; nullptr refuses the image.
// A sink may say which rows it will read (after pixels()): the JPEG decoder skips the others'
// inverse DCT and colour conversion (still decoding the whole stream, so a truncated file is seen);
// their bytes are left as they were.
struct PixelSink {
  virtual uint8_t* pixels(int width, int height, int channels) = 0;
  virtual bool needs_row(int) const { return true; }
  virtual ~PixelSink() = default;
};

bool is_jpeg(const uint8_t* bytes, size_t size);
bool is_png(const uint8_t* bytes, size_t size);

// Channels out: JPEG 1 (grey) or 3 (RGB); PNG 1, 2, 3 or 4 (palette and tRNS expanded, as libvips does).
bool decode_jpeg(const uint8_t* bytes, size_t size, int64_t max_pixels, PixelSink& sink);
bool decode_png(const uint8_t* bytes, size_t size, int64_t max_pixels, PixelSink& sink);
// The common 8-bit PNG with libdeflate (KN_HAVE_DEFLATE), tried first by decode_png; false: libpng's turn.
bool decode_png_deflate(const uint8_t* bytes, size_t size, int64_t max_pixels, PixelSink& sink);

}  // namespace kn
