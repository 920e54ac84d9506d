#!/usr/bin/env python3
"""Side-by-side benchmark of health-exporter against nginx and the Go peer.

Run through bench/run, which builds the release binary and starts the
reference servers first. Every figure is measured in this run, on this
machine, and reported with its ratio to the references: the machine is
shared and noisy, so absolute numbers drift and ratios much less.
"""
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time

from benchlib import IDLE_CHECKS, cpu_windows, get_status, wait_up

BINARY = os.environ.get("HEALTH_EXPORTER", ".build-release/release/health-exporter")
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
PEERS = os.environ.get("PEERS_DIR", "/tmp/health-exporter-peers")
NGINX, GO2, GO200 = 18000, 18002, 18003
OURS2, OURS200, OURS_HUNG, OURS_IDLE, GO_IDLE, HUNG_TARGET = 18102, 18103, 18104, 18105, 18005, 18199
STARTUP_PORT, GO_STARTUP_PORT = 18120, 18121
OURS_GRPC, GO_GRPC = 18106, 18007


def log(text):
    print(text, file=sys.stderr, flush=True)


def config(path, port, checks, grpc=None):
    with open(path, "w") as f:
        f.write(f"listen: 127.0.0.1:{port}\ndrain: {{delay: 0s, timeout: 5s}}\n")
        if grpc:
            f.write(f"grpc: {{listen: 127.0.0.1:{grpc}}}\n")
        f.write("checks:\n")
        for line in checks:
            f.write(f"  - {line}\n")


def wrk(port, path, connections=32):
    """requests/s, p50 ms, p99 ms from wrk -t1 (one load thread: the server gets the other core)."""
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{SECONDS}s", "--latency", f"http://127.0.0.1:{port}{path}"],
        check=True, capture_output=True, text=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    if re.search(r"Non-2xx or 3xx responses", out):
        raise SystemExit(f"bench: {port}{path} answered errors under load:\n{out}")
    return rate, percentile(50), percentile(99)


def grpc_load(port):
    """requests/s, p50 ms, p99 ms of grpc.health.v1 Check("readiness"): 32 callers on 4 connections."""
    import json
    out = subprocess.run(
        [f"{PEERS}/grpc-load", "-addr", f"127.0.0.1:{port}", "-service", "readiness", "-conns", "4",
         "-concurrency", "32", "-duration", f"{SECONDS}s"],
        check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    if result["errors"]:
        raise SystemExit(f"bench: gRPC Check on {port}: {result['errors']} errors")
    return result["requests_per_second"], result["p50_ms"], result["p99_ms"]


def wait_grpc(port, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"bench: nothing listening on 127.0.0.1:{port} (gRPC)")


def rss_kb(pid, field="VmRSS"):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(rf"{field}:\s+(\d+)", f.read()).group(1))


def pid_of_port(port):
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    return int(re.search(r"pid=(\d+)", out).group(1))


def startup_ms(command, port, runs=10):
    """exec to the first 200 on /livez, polled every 0.5 ms."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                if get_status(port) == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None:
                raise SystemExit(f"bench: {command[0]} exited during start-up")
            time.sleep(0.0005)
        samples.append((time.perf_counter() - start) * 1000)
        process.kill()
        process.wait()
    return statistics.median(samples), min(samples), max(samples)


def main():
    work = tempfile.mkdtemp(prefix="bench-run-")
    processes = []

    def start(args):
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(p)
        return p

    hung = socket.socket()
    hung.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    hung.bind(("127.0.0.1", HUNG_TARGET))
    hung.listen(1024)  # accepted by the kernel, never answered: a hung dependency
    try:
        simulated2 = ["{name: dep0, kind: simulated}", "{name: dep1, kind: simulated}"]
        # gRPC compiled in and serving on its own port, so RSS and the HTTP rows include its cost.
        config(f"{work}/two.yaml", OURS2, simulated2, grpc=OURS_GRPC)
        config(f"{work}/200.yaml", OURS200, [f"{{name: dep{i}, kind: simulated}}" for i in range(200)])
        config(f"{work}/hung.yaml", OURS_HUNG, simulated2 + [
            f"{{name: upstream, kind: http, url: 'http://127.0.0.1:{HUNG_TARGET}/', interval: 1s, timeout: 2s, critical: false}}"])
        config(f"{work}/idle.yaml", OURS_IDLE, IDLE_CHECKS)
        ours = {}
        for name, port in (("two", OURS2), ("200", OURS200), ("hung", OURS_HUNG), ("idle", OURS_IDLE)):
            ours[name] = start([BINARY, "--config", f"{work}/{name}.yaml", "--log-level", "error"])
            wait_up(port)
        go_idle = start([f"{PEERS}/go-peer", "-addr", f"127.0.0.1:{GO_IDLE}", "-deps", "50"])
        wait_up(GO_IDLE)
        start([f"{PEERS}/grpc-peer", "-addr", f"127.0.0.1:{GO_GRPC}"])
        wait_grpc(GO_GRPC)
        wait_grpc(OURS_GRPC)
        go2_pid = pid_of_port(GO2)

        rows = []  # (case, server, rate, p50, p99)
        cases = [
            ("/livez, 32 conns", [("nginx", NGINX, "/livez"), ("go", GO2, "/livez"), ("health-exporter", OURS2, "/livez")]),
            ("/readyz, 32 conns", [("nginx", NGINX, "/readyz"), ("go", GO2, "/readyz"), ("health-exporter", OURS2, "/readyz")]),
            ("/readyz?verbose", [("go", GO2, "/readyz?verbose"), ("health-exporter", OURS2, "/readyz?verbose")]),
            ("/metrics, 2 checks", [("go", GO2, "/metrics"), ("health-exporter", OURS2, "/metrics")]),
            ("/metrics, 200 checks", [("go", GO200, "/metrics"), ("health-exporter", OURS200, "/metrics")]),
            ("/readyz, dependency hung", [("health-exporter healthy", OURS2, "/readyz"), ("health-exporter hung", OURS_HUNG, "/readyz")]),
            # The Go reference here is grpc-go's health server (bench/grpc-peer), not the HTTP peer.
            ("gRPC Check readiness, 32 callers", [("go", GO_GRPC, "grpc"), ("health-exporter", OURS_GRPC, "grpc")]),
        ]
        for case, servers in cases:
            results = {name: [] for name, _, _ in servers}
            for round_ in range(ROUNDS):
                # Alternate the order, so drift in the machine's load hits every server.
                order = servers if round_ % 2 == 0 else list(reversed(servers))
                for name, port, path in order:
                    connections = 4 if path == "/metrics" else 32
                    log(f"bench: {case}: {name} round {round_ + 1}/{ROUNDS}")
                    results[name].append(grpc_load(port) if path == "grpc" else wrk(port, path, connections))
            for name, _, _ in servers:
                samples = results[name]
                rows.append((case, name, statistics.mean(s[0] for s in samples),
                             statistics.mean(s[1] for s in samples), statistics.mean(s[2] for s in samples)))
        rss = {"go": rss_kb(go2_pid), "health-exporter": rss_kb(ours["two"].pid)}
        # Every resident kB of ours, by module and section kind (needs root for pagemap).
        breakdown = subprocess.run(
            [sys.executable, "bench/rss-breakdown.py", str(ours["two"].pid), "--binary", BINARY, "--top", "8"],
            capture_output=True, text=True).stdout.strip() or "(bench/rss-breakdown.py needs root)"
        go_maps = mapping_totals(go2_pid)
        # Private memory, without the binary's mapped code (file pages the page cache shares).
        anon = {"go": rss_kb(go2_pid, "RssAnon"), "health-exporter": rss_kb(ours["two"].pid, "RssAnon")}

        log("bench: idle CPU, 50 checks at 1 s")
        time.sleep(3)
        idle_pids = {"go": go_idle.pid, "health-exporter": ours["idle"].pid}
        # The median of three 10 s windows, both servers sampled in the same ones: a single window
        # caught Go's periodic GC or a neighbour's burst and moved the ratio by 3x between runs.
        idle_cpu = {k: statistics.median(v) for k, v in cpu_windows(idle_pids, 3, 10).items()}

        log("bench: start-up, 10 runs each")
        config(f"{work}/startup.yaml", STARTUP_PORT, simulated2)
        startup = {
            "health-exporter": startup_ms([BINARY, "--config", f"{work}/startup.yaml", "--log-level", "error"], STARTUP_PORT),
            "go": startup_ms([f"{PEERS}/go-peer", "-addr", f"127.0.0.1:{GO_STARTUP_PORT}", "-deps", "2"], GO_STARTUP_PORT),
        }
    finally:
        for p in processes:
            p.kill()
            p.wait()
        hung.close()

    report(rows, rss, anon, idle_cpu, startup, breakdown, go_maps, image_sizes())


def mapping_totals(pid):
    """Resident kB of a process by kind: its binary, shared libraries, anonymous."""
    totals = {"binary": 0, "libraries": 0, "anonymous": 0}
    exe = os.path.realpath(f"/proc/{pid}/exe")
    path = ""
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            match = re.match(r"^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$", line)
            if match:
                path = match.group(1)
            elif line.startswith("Rss:"):
                kind = "binary" if path == exe else "libraries" if path.startswith("/") else "anonymous"
                totals[kind] += int(line.split()[1])
    return totals


def image_sizes():
    """{image: (unpacked bytes, gzipped bytes)} from bench/image-sizes, when it ran."""
    path = os.environ.get("IMAGE_SIZES")
    if not path or not os.path.getsize(path):
        return {}
    sizes = {}
    for line in open(path):
        name, unpacked, gzipped = line.split()
        sizes["go" if name.startswith("go-peer") else "health-exporter"] = (int(unpacked), int(gzipped))
    return sizes


def report(rows, rss, anon, idle_cpu, startup, breakdown, go_maps, images):
    by = {(case, name): (rate, p50, p99) for case, name, rate, p50, p99 in rows}
    lines = ["| case | server | requests/s | p50 ms | p99 ms | vs go (req/s) | vs nginx (req/s) |", "|---|---|---:|---:|---:|---:|---:|"]
    for case, name, rate, p50, p99 in rows:
        go = by.get((case, "go"))
        nginx = by.get((case, "nginx"))
        vs_go = f"{rate / go[0]:.2f}x" if go and name != "go" else ""
        vs_nginx = f"{rate / nginx[0]:.2f}x" if nginx and name != "nginx" else ""
        lines.append(f"| {case} | {name} | {rate:,.0f} | {p50:.3f} | {p99:.3f} | {vs_go} | {vs_nginx} |")
    lines += ["", "| measure | go | health-exporter | ratio |", "|---|---:|---:|---:|"]
    lines.append(f"| RSS after the load (kB) | {rss['go']:,} | {rss['health-exporter']:,} | {rss['health-exporter'] / rss['go']:.2f}x |")
    lines.append(f"| of which anonymous (heap, stacks; RssAnon, kB) | {anon['go']:,} | {anon['health-exporter']:,} | {anon['health-exporter'] / anon['go']:.2f}x |")
    lines.append(f"| idle CPU, 50 checks at 1 s (CPU ms per s, median of three 10 s windows) | {idle_cpu['go']:.2f} | {idle_cpu['health-exporter']:.2f} | "
                 + (f"{idle_cpu['health-exporter'] / idle_cpu['go']:.2f}x |" if idle_cpu["go"] else "n/a |"))
    go_s, he_s = startup["go"], startup["health-exporter"]
    lines.append(f"| exec to first 200 on /livez, median of 10 (ms) | {go_s[0]:.1f} ({go_s[1]:.1f}-{go_s[2]:.1f}) | "
                 f"{he_s[0]:.1f} ({he_s[1]:.1f}-{he_s[2]:.1f}) | {he_s[0] / go_s[0]:.2f}x |")

    if images:
        go_image, he_image = images["go"], images["health-exporter"]
        lines.append(f"| image, unpacked (MB) | {go_image[0] / 1e6:.1f} | {he_image[0] / 1e6:.1f} | {he_image[0] / go_image[0]:.2f}x |")
        lines.append(f"| image, gzipped layers (MB) | {go_image[1] / 1e6:.1f} | {he_image[1] / 1e6:.1f} | {he_image[1] / go_image[1]:.2f}x |")

    targets = []

    def target(what, ok, detail):
        targets.append(f"- [{'x' if ok else ' '}] {what}: {detail}")
    for case in ("/livez, 32 conns", "/readyz, 32 conns"):
        he, go, nginx = by[(case, "health-exporter")], by[(case, "go")], by[(case, "nginx")]
        target(f"{case.split(',')[0]} >= 1.2x go", he[0] >= 1.2 * go[0], f"{he[0] / go[0]:.2f}x")
        target(f"{case.split(',')[0]} >= 0.7x nginx", he[0] >= 0.7 * nginx[0], f"{he[0] / nginx[0]:.2f}x")
        target(f"{case.split(',')[0]} p99 <= go's", he[2] <= go[2], f"{he[2]:.3f} ms vs {go[2]:.3f} ms")
    m = by[("/metrics, 200 checks", "health-exporter")][0] / by[("/metrics, 200 checks", "go")][0]
    target("/metrics with 200 checks >= 2x go", m >= 2, f"{m:.2f}x")
    target("RSS after load <= go's", rss["health-exporter"] <= rss["go"], f"{rss['health-exporter']:,} kB vs {rss['go']:,} kB")
    if idle_cpu["go"]:
        ratio = idle_cpu["health-exporter"] / idle_cpu["go"]
        target("idle CPU with 50 checks at 1 s <= 3x go's", ratio <= 3, f"{ratio:.2f}x")
    ratio = startup["health-exporter"][0] / startup["go"][0]
    target("exec to first 200 on /livez <= 2x go's", ratio <= 2, f"{ratio:.2f}x")
    if images:
        ratio = images["health-exporter"][1] / images["go"][1]
        target("gzipped image <= 3x the Go peer's", ratio <= 3, f"{ratio:.2f}x")
    hung, healthy = by[("/readyz, dependency hung", "health-exporter hung")], by[("/readyz, dependency hung", "health-exporter healthy")]
    target("/readyz p99 with a hung dependency <= 1.5x healthy", hung[2] <= 1.5 * healthy[2], f"{hung[2] / healthy[2]:.2f}x")

    cpu = open("/proc/cpuinfo").read()
    model = re.search(r"model name\s*:\s*(.*)", cpu)
    machine = f"{os.cpu_count()} cores ({model.group(1) if model else platform.machine()}), {platform.system()} {platform.release()}"
    text = "\n".join([
        "# bench/run results",
        "",
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {machine}.",
        f"`wrk -t1`, {SECONDS} s per run, {ROUNDS} alternating rounds per server (means); 32 connections for probes, 4 for /metrics.",
        "References: nginx `return 200` (18000), Go net/http + client_golang peer (18002 with 2 checks, 18003 with 200, one with 50 for idle CPU);",
        "for gRPC, grpc-go's health server (bench/grpc-peer), both loaded by bench/grpc-load (grpc-go client, 32 callers on 4 connections, unary Check).",
        "health-exporter runs with gRPC on (`grpc.listen`) in every row, so its RSS includes the gRPC server.",
        "",
        *lines,
        "",
        "Targets:",
        *targets,
        "",
        "Where the RSS is (after the load; `bench/rss-breakdown.py`: each resident page of the binary charged to the module",
        "owning most of its bytes, by section kind). The Go peer, for comparison: "
        + ", ".join(f"{kind} {kB:,} kB" for kind, kB in go_maps.items()) + ".",
        "",
        "```",
        breakdown,
        "```",
        "",
    ])
    print(text)
    # Sections below the marker (soak, drain, fuzzing) come from other scripts: keep them.
    marker = "<!-- other benchmarks: kept by bench/run -->"
    try:
        with open("bench/RESULTS.md") as f:
            previous = f.read()
        kept = previous[previous.index(marker):] if marker in previous else marker + "\n"
    except FileNotFoundError:
        kept = marker + "\n"
    with open("bench/RESULTS.md", "w") as f:
        f.write(text + "\n" + kept)


if __name__ == "__main__":
    main()
