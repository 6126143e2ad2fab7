// JPEG decoding with libjpeg-turbo's libjpeg API (image_codec.h): the library Debian's Pillow
// uses, with its defaults (integer IDCT, fancy upsampling), so the pixels are PIL's exactly.
// Errors long-jump out of libjpeg; any warning (a truncated or corrupt stream) refuses the file.
#include "image_codec.h"

#include <cstring>

#ifdef KN_HAVE_JPEG
#include <csetjmp>
#include <cstdio>

#include <jpeglib.h>
#endif

namespace kn {

bool is_jpeg(const uint8_t* b, size_t n) { return n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff; }

#ifndef KN_HAVE_JPEG
bool decode_jpeg(const uint8_t*, size_t, int64_t, PixelSink&) { return false; }
#else
namespace {

struct ErrorManager {
  jpeg_error_mgr pub;
  jmp_buf jump;
  bool warned = false;
};

void on_error(j_common_ptr cinfo) { longjmp(reinterpret_cast<ErrorManager*>(cinfo->err)->jump, 1); }
void on_message(j_common_ptr cinfo, int level) {
  if (level < 0) reinterpret_cast<ErrorManager*>(cinfo->err)->warned = true;
}
void no_output(j_common_ptr) {}

// The decode proper, after setjmp: false where the file is left to sharp.
bool read(jpeg_decompress_struct& cinfo, ErrorManager& err, int64_t max_pixels, PixelSink& sink) {
  jpeg_read_header(&cinfo, TRUE);
  if (err.warned) return false;
  if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) return false;  // libvips and PIL differ here; sharp decides
  const int channels = cinfo.num_components == 1 ? 1 : 3;
  cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  if (static_cast<int64_t>(cinfo.image_width) * cinfo.image_height > max_pixels) return false;
  jpeg_start_decompress(&cinfo);
  if (static_cast<int>(cinfo.output_components) != channels) return false;
  uint8_t* out = sink.pixels(cinfo.output_width, cinfo.output_height, channels);
  if (out == nullptr) return false;
  const size_t stride = static_cast<size_t>(cinfo.output_width) * channels;
  JSAMPROW rows[16];
  while (cinfo.output_scanline < cinfo.output_height) {
    const JDIMENSION at = cinfo.output_scanline;
    JDIMENSION unneeded = 0;  // rows from `at` the sink does not read: skipped (jpeg_skip_scanlines)
    while (at + unneeded < cinfo.output_height && !sink.needs_row(static_cast<int>(at + unneeded))) unneeded++;
    if (unneeded > 0) {
      if (jpeg_skip_scanlines(&cinfo, unneeded) != unneeded || err.warned) return false;
      continue;
    }
    JDIMENSION want = 1;
    while (want < 16 && at + want < cinfo.output_height && sink.needs_row(static_cast<int>(at + want))) want++;
    for (JDIMENSION r = 0; r < want; r++) rows[r] = out + (at + r) * stride;
    if (jpeg_read_scanlines(&cinfo, rows, want) == 0) return false;
    if (err.warned) return false;
  }
  jpeg_finish_decompress(&cinfo);
  return !err.warned;
}

}  // namespace

bool decode_jpeg(const uint8_t* bytes, size_t size, int64_t max_pixels, PixelSink& sink) {
  jpeg_decompress_struct cinfo;
  ErrorManager err;
  cinfo.err = jpeg_std_error(&err.pub);
  err.pub.error_exit = on_error;
  err.pub.emit_message = on_message;
  err.pub.output_message = no_output;
  jpeg_create_decompress(&cinfo);
  bool ok = false;
  if (setjmp(err.jump) == 0) {
    jpeg_mem_src(&cinfo, bytes, static_cast<unsigned long>(size));
    ok = read(cinfo, err, max_pixels, sink);
  }
  jpeg_destroy_decompress(&cinfo);
  return ok;
}
#endif

}  // namespace kn
