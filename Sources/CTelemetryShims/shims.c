#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <sys/auxv.h>
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

struct release_context {
    long released;
    int error;
};

/* Whether the loader writes into this object's read-only segments. */
static int has_text_relocations(const struct dl_phdr_info *info) {
    for (ElfW(Half) index = 0; index < info->dlpi_phnum; index++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[index];
        if (header->p_type != PT_DYNAMIC) {
            continue;
        }
        for (const ElfW(Dyn) *entry = (const ElfW(Dyn) *)(info->dlpi_addr + header->p_vaddr); entry->d_tag != DT_NULL; entry++) {
            if (entry->d_tag == DT_TEXTREL || (entry->d_tag == DT_FLAGS && (entry->d_un.d_val & DF_TEXTREL))) {
                return 1;
            }
        }
    }
    return 0;
}

static int release_object(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    struct release_context *context = data;
    /* The vDSO is the kernel's, not a file mapping. */
    if (info->dlpi_addr != 0 && info->dlpi_addr == (ElfW(Addr))getauxval(AT_SYSINFO_EHDR)) {
        return 0;
    }
    if (has_text_relocations(info)) {
        return 0;
    }
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    for (ElfW(Half) index = 0; index < info->dlpi_phnum; index++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[index];
        if (header->p_type != PT_LOAD || (header->p_flags & PF_W)) {
            continue;
        }
        /* Whole pages inside the segment only: a page shared with a writable neighbour is kept. */
        uintptr_t start = (info->dlpi_addr + header->p_vaddr + page - 1) & ~(page - 1);
        uintptr_t end = (info->dlpi_addr + header->p_vaddr + header->p_filesz) & ~(page - 1);
        if (end <= start) {
            continue;
        }
        if (madvise((void *)start, end - start, MADV_DONTNEED) != 0) {
            context->error = errno;
            return 1;
        }
        context->released += (long)(end - start);
    }
    return 0;
}

long c_telemetry_release_read_only_pages(void) {
    struct release_context context = {0, 0};
    dl_iterate_phdr(release_object, &context);
    return context.error != 0 ? -(long)context.error : context.released;
}
