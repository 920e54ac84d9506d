#!/usr/bin/env python3
"""The measuring side of bench/drain (see there). Loopback only."""
import argparse, os, re, signal, socket, subprocess, sys, threading, time

from benchlib import start_exporter

CONFIG = """listen: 127.0.0.1:{port}
drain: {{delay: 2s, timeout: 10s}}
checks:
  - {{name: database, kind: simulated}}
"""


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, key, n=1):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + n


def read_response(sock, buf):
    """One response off a keep-alive socket: (status, close?, rest) or raises EOFError."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError(len(buf))
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (l.partition(b":") for l in lines[1:])}
    length = int(headers.get(b"content-length", b"0"))
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise EOFError(len(rest))
        rest += chunk
    return status, headers.get(b"connection", b"").lower() == b"close", rest[length:]


def worker(port, path, tally, stop):
    """Sequential keep-alive requests; reconnects after Connection: close until refused."""
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
    while not stop.is_set():
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            tally.add("refused after close")  # the listener is gone: the drain finished
            return
        buf = b""
        try:
            while not stop.is_set():
                sock.sendall(request)
                try:
                    status, close, buf = read_response(sock, buf)
                except EOFError:
                    tally.add("unanswered")
                    break
                tally.add(f"{path} {status}")
                if close:
                    tally.add("closed with Connection: close")
                    break
        except ConnectionResetError:
            tally.add("reset")
        except socket.timeout:
            tally.add("timeout")
        except BrokenPipeError:
            tally.add("unanswered")
        finally:
            sock.close()


def one_round(binary, index):
    proc, port, config = start_exporter(binary, CONFIG)
    try:
        wrk = subprocess.Popen(["wrk", "-t1", "-c32", "-d8s", "--latency", f"http://127.0.0.1:{port}/livez"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        tally, stop = Tally(), threading.Event()
        threads = [threading.Thread(target=worker, args=(port, path, tally, stop), daemon=True)
                   for path in ["/readyz"] * 8 + ["/livez"] * 8]
        for t in threads:
            t.start()
        time.sleep(2)
        term = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=15)
        exit_ms = (time.monotonic() - term) * 1000
        for t in threads:
            t.join(timeout=5)
        stop.set()
        wrk_out, _ = wrk.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.unlink(config)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", wrk_out)
    wrk_errors = tuple(int(x) for x in errors.groups()) if errors else (0, 0, 0, 0)
    wrk_requests = int(re.search(r"(\d+) requests in", wrk_out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk_out)
    c = tally.counts
    answered = sum(v for k, v in c.items() if k.startswith("/"))
    row = dict(round=index, exit=code, exit_ms=exit_ms, answered=answered,
               ready200=c.get("/readyz 200", 0), ready503=c.get("/readyz 503", 0),
               live200=c.get("/livez 200", 0), live_other=sum(v for k, v in c.items() if k.startswith("/livez") and k != "/livez 200"),
               unanswered=c.get("unanswered", 0), reset=c.get("reset", 0) + c.get("timeout", 0),
               wrk_requests=wrk_requests, wrk_non2xx=int(non2xx.group(1)) if non2xx else 0,
               wrk_read=wrk_errors[1], wrk_write=wrk_errors[2], wrk_timeout=wrk_errors[3], wrk_connect=wrk_errors[0])
    return row


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    columns = ["round", "exit", "exit_ms", "answered", "ready200", "ready503", "live200", "live_other", "unanswered",
               "reset", "wrk_requests", "wrk_non2xx", "wrk_read", "wrk_write", "wrk_timeout", "wrk_connect"]
    print("SIGTERM 2 s into the load; drain.delay 2s, drain.timeout 10s; client: 16 keep-alive connections "
          "(8 /readyz, 8 /livez); wrk -t1 -c32 on /livez alongside")
    print(" ".join(f"{c:>12}" for c in columns))
    ok = True
    for index in range(1, args.rounds + 1):
        row = one_round(args.binary, index)
        print(" ".join(f"{row[c]:>12.0f}" if isinstance(row[c], float) else f"{row[c]:>12}" for c in columns))
        # wrk's write and connect errors are its reconnects once the listener is closed (a
        # non-blocking connect that is refused shows at the first write); a read error or a
        # timeout would be a loss on a live connection. Our own client accounts for every request.
        ok &= (row["exit"] == 0 and row["exit_ms"] < 10000 and row["unanswered"] == 0 and row["reset"] == 0
               and row["live_other"] == 0 and row["ready503"] > 0 and row["wrk_non2xx"] == 0
               and row["wrk_read"] == 0 and row["wrk_timeout"] == 0)
    print("drain without loss:", "PASS" if ok else "FAIL",
          "(wrk_write/wrk_connect: wrk's reconnect attempts after the listener closed, not lost requests)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
