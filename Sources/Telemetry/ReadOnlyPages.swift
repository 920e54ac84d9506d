import CTelemetryShims

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The process's file-backed pages that are never written: the code,
/// constants and loader tables of the program and its shared libraries.
///
/// Start-up touches far more of them than serving does (argument parsing,
/// the configuration reader, the loader's relocation tables), and the kernel
/// maps in 64 KiB around every page touched, so they stay in the resident
/// set for the life of the process. ``release()`` drops them; what serving
/// touches afterwards faults back in from the page cache (no disk read while
/// the file stays cached). For a sidecar in every pod, that is resident
/// memory paid once per pod.
public enum ReadOnlyPages {
    /// Drops every loaded object's never-written, file-backed pages from
    /// the resident set. Pages the loader wrote (relocated data, RELRO) and
    /// objects with text relocations are left alone, so nothing the process
    /// computed is lost: only copies of the files' bytes go.
    /// - Returns: The bytes of address space released (not all of it was resident).
    /// - Throws: ``ReadOnlyPagesError`` with the `madvise` error.
    @discardableResult
    public static func release() throws(ReadOnlyPagesError) -> Int {
        let result = c_telemetry_release_read_only_pages()
        guard result >= 0 else {
            throw ReadOnlyPagesError(errno: Int32(-result))
        }
        return result
    }
}

/// `madvise` refused to release the pages.
public struct ReadOnlyPagesError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The `errno` `madvise` set.
    public let errno: Int32

    public var description: String {
        "cannot release read-only pages: madvise(MADV_DONTNEED) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
