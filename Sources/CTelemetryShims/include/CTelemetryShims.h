#ifndef C_TELEMETRY_SHIMS_H
#define C_TELEMETRY_SHIMS_H

#include <stddef.h>

/// A sealed memfd holding `size` bytes of `data` (what journald accepts for
/// an entry too large for a datagram), or -errno.
int c_telemetry_sealed_memfd(const char *name, const void *data, size_t size);

/// Drops from this process's resident set the pages of every loaded object
/// (the program, its shared libraries) that are mapped from the file and
/// never written: code, constants, the loader's tables. Later reads fault
/// them back from the page cache. Segments the loader writes (relocated
/// data, RELRO) and objects with text relocations are left alone.
/// Returns the bytes released, or -errno.
long c_telemetry_release_read_only_pages(void);

#endif
