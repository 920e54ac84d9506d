import ArgumentParser
import HealthExporter
import Logging
import Telemetry

extension LogFormat: ExpressibleByArgument {}
extension KubeletProbePlan.Transport: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}
