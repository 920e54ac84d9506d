/// The built-in demo: the seed FastAPI app's behaviour, on its port.
///
/// `health-exporter` with no arguments serves this, and
/// `health-exporter print-default-config` prints it as a starting point.
public enum DemoConfiguration {
    /// The name errors and logs use for this configuration's origin.
    public static let source = "<built-in demo>"

    /// The demo as YAML: one source of truth for both printing and serving.
    public static let yaml = """
        # health-exporter built-in demo: the seed app (FastAPI /health, /ready and
        # the /simulate_* routes) on port 8000, with every probe endpoint on top.
        listen: 127.0.0.1:8000
        root: hello              # GET / answers the seed's {"Hello":"World"}; by default it redirects to /statusz
        admin:
          enabled: true          # loopback only; off loopback a tokenFile is required
        checks:
          # Flipped by POST /simulate_db_failure and /simulate_db_recovery,
          # or by POST /admin/checks/database/fail and .../recover.
          - name: database
            kind: simulated
            detail: Database not available
            probes: [readiness]
          # Flipped by POST /simulate_external_service_failure and ..._recovery.
          - name: external-service
            kind: simulated
            detail: External service not available
            probes: [readiness]

        """

    /// The demo, parsed and validated like any file.
    public static func load() throws(ConfigError) -> HealthExporterConfig {
        try ConfigLoader.parse(yaml: yaml, source: source)
    }
}
