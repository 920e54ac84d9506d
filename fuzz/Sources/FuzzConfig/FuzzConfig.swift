import HealthExporter

/// Arbitrary text into the configuration loader: it must refuse bad input
/// with a ``ConfigError`` on one line (the contract of `check-config` and of
/// a refused reload), and never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    do {
        let config = try ConfigLoader.parse(yaml: text, source: "fuzz.yaml")
        // A configuration that loads must also describe itself and plan probes.
        _ = "\(config)"
        _ = KubeletProbePlan(deriving: config)
    } catch {
        let message = error.description
        if message.contains("\n") {
            fatalError("a configuration error spans lines: \(message)")
        }
    }
    return 0
}
