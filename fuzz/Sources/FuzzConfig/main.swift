import CFuzzerDriver

#if canImport(Glibc)
import Glibc
#endif

// SwiftPM names an executable's entry point itself (for testable
// executables), so libFuzzer's own main is never linked: run its driver
// from this one.
var arguments = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
let status = LLVMFuzzerRunDriver(&arguments, &argv) { data, size in
    // libFuzzer may pass no pointer for an empty input.
    guard let data else {
        var empty: UInt8 = 0
        return fuzz(&empty, 0)
    }
    return fuzz(UnsafeRawPointer(data), size)
}
exit(status)
