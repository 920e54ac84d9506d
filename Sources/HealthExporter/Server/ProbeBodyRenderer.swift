import Telemetry

/// Renders a ``ProbeVerdict`` as `application/health+json` or as
/// Kubernetes-style text.
///
/// JSON follows the health-check draft (`{"status":"pass"}`); `verbose` adds
/// per-check detail in configuration order. Text follows the kube-apiserver
/// `healthz` format: `ok`, or `[+]name ok` / `[-]name failed: reason` lines
/// and a closing `<probe> check passed|failed`.
enum ProbeBodyRenderer {
    static func json(_ verdict: ProbeVerdict, verbose: Bool) -> String {
        var out = "{\"status\":\"\(verdict.status)\""
        guard verbose else { return out + "}" }
        out += ",\"probe\":\"\(verdict.probe.endpoint)\""
        if let reason = verdict.reason {
            out += ",\"reason\":\"\(reason)\""
        }
        out += ",\"checks\":{"
        for (index, check) in verdict.checks.enumerated() {
            if index > 0 { out += "," }
            JSONText.appendQuoted(check.name, to: &out)
            out += ":"
            appendCheck(check, to: &out)
        }
        out += "}"
        if !verdict.excluded.isEmpty {
            out += ",\"excluded\":" + jsonArray(verdict.excluded)
        }
        if !verdict.unknownExclusions.isEmpty {
            out += ",\"unknownExclusions\":" + jsonArray(verdict.unknownExclusions)
        }
        return out + "}"
    }

    /// `?verbose` for a peer that may not see detail: check names and
    /// pass/fail only, like the kube-apiserver's "reason withheld".
    static func jsonWithheld(_ verdict: ProbeVerdict) -> String {
        var out = "{\"status\":\"\(verdict.status)\",\"probe\":\"\(verdict.probe.endpoint)\",\"checks\":{"
        for (index, check) in verdict.checks.enumerated() {
            if index > 0 { out += "," }
            JSONText.appendQuoted(check.name, to: &out)
            out += ":{\"status\":\"\(check.status)\"}"
        }
        return out + "},\"details\":\"withheld\"}"
    }

    /// The text form of ``jsonWithheld(_:)``: `[-]name failed: reason withheld`.
    static func textWithheld(_ verdict: ProbeVerdict) -> String {
        var lines = verdict.checks.map { check in
            switch check.status {
            case .pass: "[+]\(check.name) ok"
            case .warn: "[!]\(check.name) warn: reason withheld"
            case .fail: "[-]\(check.name) failed: reason withheld"
            }
        }
        lines.append("\(verdict.probe.endpoint) check \(verdict.status.isHealthy ? "passed" : "failed")")
        return lines.joined(separator: "\n") + "\n"
    }

    private static func appendCheck(_ check: CheckSnapshot, to out: inout String) {
        out += "{\"status\":\"\(check.status)\",\"kind\":"
        JSONText.appendQuoted(check.kind, to: &out)
        out += ",\"critical\":\(check.critical)"
        if let reason = check.reason, !check.isUp || check.isDegraded {
            out += ",\"reason\":\"\(reason)\""
        }
        if let output = check.output {
            out += ",\"output\":"
            JSONText.appendQuoted(output, to: &out)
        }
        if let duration = check.lastDuration {
            out += ",\"durationSeconds\":\(seconds(duration))"
        }
        if let lastSuccess = check.lastSuccess {
            out += ",\"lastSuccess\":\"\(lastSuccess.rfc3339)\""
        }
        if let notAfter = check.certificateNotAfter {
            out += ",\"certificateNotAfter\":\"\(notAfter.rfc3339)\""
        }
        out += ",\"consecutiveFailures\":\(check.consecutiveFailures)}"
    }

    static func text(_ verdict: ProbeVerdict, verbose: Bool) -> String {
        guard verbose || !verdict.status.isHealthy else { return "ok" }
        var lines: [String] = []
        if let reason = verdict.reason {
            lines.append("[-]\(verdict.probe.endpoint) failed: \(reason)")
        }
        lines.append(contentsOf: verdict.checks.map(textLine))
        lines.append(contentsOf: verdict.excluded.map { "[+]\($0) excluded: ok" })
        if !verdict.unknownExclusions.isEmpty {
            let names = verdict.unknownExclusions.map { JSONText.quoted($0) }.joined(separator: ", ")
            lines.append("warn: some health checks cannot be excluded: no matches for \(names)")
        }
        lines.append("\(verdict.probe.endpoint) check \(verdict.status.isHealthy ? "passed" : "failed")")
        return lines.joined(separator: "\n") + "\n"
    }

    /// One check alone (`/readyz/NAME`) as text: `ok`, or its failure line.
    static func singleCheckText(_ verdict: ProbeVerdict) -> String {
        guard let check = verdict.checks.first, check.status != .pass else { return "ok" }
        return textLine(check) + "\n"
    }

    private static func textLine(_ check: CheckSnapshot) -> String {
        switch check.status {
        case .pass: return "[+]\(check.name) ok"
        case .warn: return "[!]\(check.name) warn: \(check.reason?.rawValue ?? "error")"
        case .fail: return "[-]\(check.name) failed: \(check.reason?.rawValue ?? "error")"
        }
    }

    private static func jsonArray(_ values: [String]) -> String {
        "[" + values.map { JSONText.quoted($0) }.joined(separator: ",") + "]"
    }

    static func seconds(_ duration: Duration) -> String {
        String(duration.inSeconds)
    }
}
