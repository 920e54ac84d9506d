#!/usr/bin/env python3
"""Structural checks for what kubernetes-validate has no schema for here.

The Prometheus Operator CRDs cannot be fetched offline, so the fields this
project uses are checked against the CRD's documented shape, and against the
rest of the manifest: the ServiceMonitor must select the Service and name one
of its ports; the PrometheusRule must hold exactly the groups of the plain
rules file. Usage: check-custom-resources.py RENDERED.yaml RULES.yml
"""
import re
import sys

import yaml


def fail(message):
    print(f"check-custom-resources: {message}", file=sys.stderr)
    sys.exit(1)


def main(rendered_path, rules_path):
    documents = [d for d in yaml.safe_load_all(open(rendered_path)) if d]
    by_kind = {}
    for document in documents:
        by_kind.setdefault(document.get("kind"), []).append(document)
    services = by_kind.get("Service", [])
    monitors = by_kind.get("ServiceMonitor", [])
    rules = by_kind.get("PrometheusRule", [])
    if len(monitors) != 1 or len(rules) != 1 or len(services) != 1:
        fail(f"{rendered_path}: expected one Service, ServiceMonitor and PrometheusRule")

    monitor, service, rule = monitors[0], services[0], rules[0]
    for document in (monitor, rule):
        if document.get("apiVersion") != "monitoring.coreos.com/v1":
            fail(f"{document['kind']} apiVersion must be monitoring.coreos.com/v1")
        allowed_top = {"apiVersion", "kind", "metadata", "spec"}
        if set(document) - allowed_top:
            fail(f"{document['kind']} has unknown top-level fields {set(document) - allowed_top}")

    spec = monitor["spec"]
    if set(spec) - {"selector", "endpoints", "namespaceSelector", "jobLabel"}:
        fail(f"ServiceMonitor spec has unknown fields {set(spec) - {'selector', 'endpoints'}}")
    wanted = spec["selector"]["matchLabels"]
    labels = service["metadata"].get("labels", {})
    if any(labels.get(k) != v for k, v in wanted.items()):
        fail(f"ServiceMonitor selector {wanted} does not select Service labels {labels}")
    port_names = {p.get("name") for p in service["spec"]["ports"]}
    duration = re.compile(r"^([0-9]+(ms|s|m|h))+$")
    for endpoint in spec["endpoints"]:
        if set(endpoint) - {"port", "path", "interval", "scrapeTimeout", "scheme"}:
            fail(f"ServiceMonitor endpoint has unknown fields {endpoint}")
        if endpoint.get("port") not in port_names:
            fail(f"ServiceMonitor endpoint port {endpoint.get('port')!r} is not a Service port {port_names}")
        if not endpoint.get("path", "/metrics").startswith("/"):
            fail("ServiceMonitor endpoint path must start with /")
        for key in ("interval", "scrapeTimeout"):
            if key in endpoint and not duration.match(endpoint[key]):
                fail(f"ServiceMonitor endpoint {key} {endpoint[key]!r} is not a duration")

    plain = yaml.safe_load(open(rules_path))
    if rule["spec"] != plain:
        fail(f"PrometheusRule spec differs from {rules_path}")
    print(f"{rendered_path}: ServiceMonitor selects the Service and its port; PrometheusRule matches {rules_path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
