#ifndef C_TELEMETRY_SHIMS_H
#define C_TELEMETRY_SHIMS_H

#include <stddef.h>

/// A sealed memfd holding `size` bytes of `data` (what journald accepts for
/// an entry too large for a datagram), or -errno.
int c_telemetry_sealed_memfd(const char *name, const void *data, size_t size);

#endif
