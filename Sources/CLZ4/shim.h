// The system liblz4 (Debian liblz4-dev): the block API for speed, the frame API for
// interoperability with the lz4 command-line tool.
#include <lz4.h>
#include <lz4frame.h>
