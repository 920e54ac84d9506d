import Telemetry

/// The two times the monitor needs: wall-clock time to show people, and
/// monotonic uptime to measure staleness (immune to clock steps).
public struct MonitorTime: Sendable, Hashable {
    public var wall: WallClockTimestamp
    public var uptime: Duration

    public init(wall: WallClockTimestamp, uptime: Duration) {
        self.wall = wall
        self.uptime = uptime
    }
}
