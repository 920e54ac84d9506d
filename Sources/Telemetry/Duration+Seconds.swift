extension Duration {
    /// The duration in seconds as a `Double`: the one conversion for metric
    /// values, JSON bodies and comparisons with file times.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        // Division, not a multiply by 1e-18 (inexact): 5 ms is exactly the 0.005 bucket bound.
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
