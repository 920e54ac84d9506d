import CFuzzerDriver

#if canImport(Glibc)
import Glibc
#endif

/// Runs libFuzzer on `target` and exits with its status.
///
/// SwiftPM names an executable's entry point itself (for testable
/// executables), so libFuzzer's own `main` is never linked: each harness's
/// `main.swift` calls this instead, which runs libFuzzer's driver.
public func runLibFuzzer(_ target: @escaping @Sendable (UnsafeRawPointer, Int) -> CInt) -> Never {
    FuzzTarget.body = target
    var count = CommandLine.argc
    var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    let status = LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let body = FuzzTarget.body else { return 0 }
        // libFuzzer may pass no pointer for an empty input.
        guard let data else {
            var empty: UInt8 = 0
            return body(&empty, 0)
        }
        return body(UnsafeRawPointer(data), size)
    }
    exit(status)
}

/// The target the C callback (which captures nothing) calls.
private enum FuzzTarget {
    // Set once, before the driver starts; libFuzzer runs inputs on this one thread.
    nonisolated(unsafe) static var body: (@Sendable (UnsafeRawPointer, Int) -> CInt)?
}
