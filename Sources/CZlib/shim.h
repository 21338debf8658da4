// The system zlib (Debian zlib1g-dev): inflate for `.gz` traces. inflateInit2 is a macro
// (it passes the library version and the stream's size), so it is wrapped here.
#include <zlib.h>

// windowBits 15 + 32: a gzip or zlib header, detected from the first bytes.
static inline int czlib_inflate_init(z_stream *stream) {
    return inflateInit2(stream, 15 + 32);
}
