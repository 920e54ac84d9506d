/// One kubelet probe stanza (`httpGet` on the exporter's port), as a value.
public struct KubeletProbe: Sendable, Equatable {
    public var path: String
    public var port: Int
    public var periodSeconds: Int
    public var timeoutSeconds: Int
    public var successThreshold: Int
    public var failureThreshold: Int

    public init(path: String, port: Int, periodSeconds: Int, timeoutSeconds: Int, successThreshold: Int = 1, failureThreshold: Int) {
        self.path = path
        self.port = port
        self.periodSeconds = periodSeconds
        self.timeoutSeconds = timeoutSeconds
        self.successThreshold = successThreshold
        self.failureThreshold = failureThreshold
    }

    /// Seconds of consecutive failures before the kubelet acts.
    public var failureWindowSeconds: Int {
        periodSeconds * failureThreshold
    }

    /// The stanza as container-level YAML, indented by `indent` spaces.
    func yaml(named name: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        return """
            \(pad)\(name):
            \(pad)  httpGet: {path: \(path), port: \(port)}
            \(pad)  periodSeconds: \(periodSeconds)
            \(pad)  timeoutSeconds: \(timeoutSeconds)
            \(pad)  successThreshold: \(successThreshold)
            \(pad)  failureThreshold: \(failureThreshold)

            """
    }
}
