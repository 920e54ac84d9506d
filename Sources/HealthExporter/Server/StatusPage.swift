import Telemetry

/// The small HTML page at `/statusz` (the Kubernetes z-page name): every
/// probe and check at a glance, with links.
///
/// Check names are constrained, but outputs and reasons pass through
/// ``escape(_:)`` anyway, as everything shown in HTML must.
enum StatusPage {
    static func render(_ snapshot: HealthSnapshot, version: String) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>health-exporter</title>
            <style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.pass{color:#070}.warn{color:#a60}.fail{color:#b00}</style>
            </head><body>
            <h1>health-exporter</h1>
            <p>Version \(escape(version)).</p>
            <h2>Probes</h2>
            <table><tr><th>probe</th><th>status</th><th>links</th></tr>

            """
        for probe in Probe.allCases {
            let verdict = snapshot.verdict(for: probe)
            let path = Route.probe(probe, check: nil).path
            html += "<tr><td>\(probe.endpoint)</td><td class=\"\(verdict.status)\">\(verdict.status)"
            if let reason = verdict.reason { html += " (\(escape(reason.rawValue)))" }
            html += "</td><td><a href=\"\(path)?verbose\">\(path)?verbose</a></td></tr>\n"
        }
        html += "</table>\n<h2>Checks</h2>\n"
        if snapshot.checks.isEmpty {
            html += "<p>No checks are configured.</p>\n"
        } else {
            html += "<table><tr><th>check</th><th>kind</th><th>probes</th><th>status</th><th>reason</th><th>output</th><th>last success</th></tr>\n"
            for check in snapshot.checks {
                let probes = check.probes.sorted().map(\.rawValue).joined(separator: ", ")
                html += "<tr><td>\(escape(check.name))</td><td>\(escape(check.kind))</td><td>\(probes)</td>"
                html += "<td class=\"\(check.status)\">\(check.status)</td>"
                html += "<td>\(escape(check.status == .pass ? "" : check.reason?.rawValue ?? ""))</td>"
                html += "<td>\(escape(check.output ?? ""))</td>"
                html += "<td>\(check.lastSuccess?.rfc3339 ?? "never")</td></tr>\n"
            }
            html += "</table>\n"
        }
        html += """
            <h2>Endpoints</h2>
            <ul><li><a href="/livez">/livez</a>, <a href="/readyz">/readyz</a>, <a href="/startupz">/startupz</a> (add <code>?verbose</code>, <code>?exclude=NAME</code>, or <code>Accept: text/plain</code>)</li>
            <li><a href="/health">/health</a>, <a href="/ready">/ready</a> (the seed app's routes)</li>
            <li><a href="/metrics">/metrics</a> (Prometheus text; OpenMetrics when <code>Accept</code> asks)</li>
            <li><a href="/statusz">/statusz</a> (this page)</li></ul>
            </body></html>

            """
        return html
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
