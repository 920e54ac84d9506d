import NIOCore

extension Duration {
    /// Whole nanoseconds, rounded down: the one place a `Duration` becomes an integer count.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    /// Whole milliseconds, rounded down (log fields).
    var milliseconds: Int64 {
        nanoseconds / 1_000_000
    }
}

extension TimeAmount {
    /// A NIO time amount from a Swift `Duration`, rounded down to nanoseconds.
    init(_ duration: Duration) {
        self = .nanoseconds(duration.nanoseconds)
    }
}
