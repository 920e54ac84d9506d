#!/usr/bin/env python3
"""The driving side of bench/soak (see there). Loopback only, bounded in time."""
import argparse, http.client, os, re, signal, subprocess, sys, threading, time

from benchlib import start_exporter

BASE = """listen: 127.0.0.1:{port}
admin: {{enabled: true}}
drain: {{delay: 0s, timeout: 5s}}
checks:
  - {{name: database, kind: simulated, detail: Database not available}}
  - {{name: external-service, kind: simulated, detail: External service not available}}
  - {{name: disk, kind: disk, path: /tmp, minFree: 1MiB, interval: 1s, probes: [liveness, readiness]}}
"""
EXTRA = "  - {{name: cache-extra, kind: tcp, address: \"127.0.0.1:{port}\", interval: 1s}}\n"


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--minutes", type=float, default=10)
    args = parser.parse_args()
    seconds = int(args.minutes * 60)
    proc, port, config_path = start_exporter(args.binary, BASE)
    stop = threading.Event()
    errors = []
    try:

        def scrape_and_flip():
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            tick = 0
            while not stop.is_set():
                try:
                    conn.request("GET", "/metrics")
                    r = conn.getresponse(); r.read()
                    if r.status != 200:
                        errors.append(f"/metrics {r.status}")
                    conn.request("POST", f"/admin/checks/database/{'fail' if tick % 2 == 0 else 'recover'}", body=b"")
                    r = conn.getresponse(); r.read()
                    if r.status != 200:
                        errors.append(f"flip {r.status}")
                except (OSError, http.client.HTTPException) as e:
                    errors.append(f"scrape/flip: {e!r}")
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                tick += 1
                stop.wait(1)

        def reload():
            n = 0
            while not stop.wait(30):
                n += 1
                with open(config_path, "w") as f:
                    f.write(BASE.format(port=port) + (EXTRA.format(port=port) if n % 2 else ""))
                proc.send_signal(signal.SIGHUP)

        helpers = [threading.Thread(target=scrape_and_flip, daemon=True), threading.Thread(target=reload, daemon=True)]
        for t in helpers:
            t.start()
        wrks = [subprocess.Popen(["wrk", "-t1", "-c16", f"-d{seconds}s", f"http://127.0.0.1:{port}{path}"],
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                for path in ("/readyz", "/livez")]
        samples = []
        start = time.monotonic()
        print(f"soak: {args.minutes:g} min; wrk -t1 -c16 on /readyz and /livez; /metrics + a flip every 1 s; SIGHUP every 30 s")
        print(f"{'t_s':>6} {'rss_kB':>8} {'fds':>5}")
        while True:
            t = time.monotonic() - start
            samples.append((t, rss_kb(proc.pid), fds(proc.pid)))
            print(f"{t:6.0f} {samples[-1][1]:8d} {samples[-1][2]:5d}", flush=True)
            if t >= seconds:
                break
            time.sleep(min(30, max(0.1, seconds - t)))
        outputs = [w.communicate(timeout=60)[0] for w in wrks]
        stop.set()
    finally:
        stop.set()
        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill(); code = "killed"
        os.unlink(config_path)

    total, socket_errors = 0, 0
    for path, out in zip(("/readyz", "/livez"), outputs):
        requests = int(re.search(r"(\d+) requests in", out).group(1))
        rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
        m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
        errs = sum(int(x) for x in m.groups()) if m else 0
        total += requests
        socket_errors += errs
        print(f"wrk {path}: {requests} requests, {rate} req/s, socket errors {errs}")
    after = [s for s in samples if s[0] >= 60] or samples[-1:]
    growth = after[-1][1] - after[0][1]
    fd_spread = max(s[2] for s in after) - min(s[2] for s in after)
    ok = growth < 1024 and fd_spread <= 2 and socket_errors == 0 and not errors and code == 0
    print(f"RSS after the first minute: {after[0][1]} -> {after[-1][1]} kB ({growth:+d} kB, target < 1024); "
          f"fds {min(s[2] for s in after)}..{max(s[2] for s in after)} (target flat); "
          f"wrk socket errors {socket_errors}; scrape/flip errors {len(errors)}; exit {code}")
    if errors:
        print("first errors:", errors[:5])
    print("soak:", "PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
