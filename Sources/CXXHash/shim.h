// The system xxHash (Debian libxxhash-dev): XXH3-64 names snapshot chunks and XXH32
// checksums LZ4 frame headers. Linked, not inlined: XXH_INLINE_ALL renames the functions
// through macros, which Swift cannot see.
#include <xxhash.h>
