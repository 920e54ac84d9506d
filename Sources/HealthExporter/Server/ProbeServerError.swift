/// The server could not start or stopped unexpectedly.
public struct ProbeServerError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
