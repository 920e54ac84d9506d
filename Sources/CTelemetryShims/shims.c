#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "CTelemetryShims.h"

int c_telemetry_sealed_memfd(const char *name, const void *data, size_t size) {
    int fd = memfd_create(name, MFD_ALLOW_SEALING | MFD_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    const char *bytes = data;
    size_t written = 0;
    while (written < size) {
        ssize_t count = write(fd, bytes + written, size - written);
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count <= 0) {
            int error = count < 0 ? errno : EIO;
            close(fd);
            return -error;
        }
        written += (size_t)count;
    }
    /* journald maps a sealed memfd directly: it must know the entry cannot change under it. */
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
        int error = errno;
        close(fd);
        return -error;
    }
    return fd;
}
