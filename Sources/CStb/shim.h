// The parts of Debian's libstb (libstb-dev) Glassbox uses: stb_image to decode
// PNG/JPEG/BMP/GIF from memory, stb_image_write to encode PNG into memory, and
// stb_easy_font to draw panel captions. stb_easy_font is header-only (static
// functions, compiled into each importing module); the other two link libstb.
#ifndef GLASSBOX_CSTB_SHIM_H
#define GLASSBOX_CSTB_SHIM_H
#include <stb/stb_image.h>
#include <stb/stb_image_write.h>
#include <stb/stb_easy_font.h>
#endif
