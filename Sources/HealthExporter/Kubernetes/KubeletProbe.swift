/// One kubelet probe stanza (`httpGet` on the exporter's port, or `grpc`
/// on its `grpc.listen` port), as a value.
public struct KubeletProbe: Sendable, Equatable {
    /// The `httpGet` path; unused when ``grpcService`` is set.
    public var path: String
    public var port: Int
    /// When set, the kubelet asks `grpc.health.v1.Health/Check` for this
    /// service (`liveness`, `readiness`, `startup`) instead of an HTTP GET.
    public var grpcService: String?
    public var periodSeconds: Int
    public var timeoutSeconds: Int
    public var successThreshold: Int
    public var failureThreshold: Int

    public init(
        path: String, port: Int, grpcService: String? = nil, periodSeconds: Int, timeoutSeconds: Int, successThreshold: Int = 1, failureThreshold: Int
    ) {
        self.path = path
        self.port = port
        self.grpcService = grpcService
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
            \(pad)  \(action)
            \(pad)  periodSeconds: \(periodSeconds)
            \(pad)  timeoutSeconds: \(timeoutSeconds)
            \(pad)  successThreshold: \(successThreshold)
            \(pad)  failureThreshold: \(failureThreshold)

            """
    }

    private var action: String {
        if let grpcService { return "grpc: {port: \(port), service: \(grpcService)}" }
        return "httpGet: {path: \(path), port: \(port)}"
    }
}
