/// The version this library and binary report (`/`, `--version`, build info).
public enum HealthExporterVersion {
    public static let current = "0.1.0"
}
