import ArgumentParser
import Logging
import Telemetry

extension LogFormat: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}
