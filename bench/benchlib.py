"""Helpers shared by the Python benchmark drivers (bench/run, bench/idle-cpu, bench/drain, bench/soak)."""
import os, socket, subprocess, tempfile, time


# The idle-CPU workload, one definition so bench/run and bench/idle-cpu measure the same thing:
# 50 disk checks on / at 1 s (the Go peer's counterpart is `-deps 50`).
IDLE_CHECKS = [f"{{name: disk{i}, kind: disk, path: /, interval: 1s}}" for i in range(50)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_exporter(binary, config_template):
    """Writes `config_template` (with {port}) to a file and starts the binary on a free
    loopback port; returns (process, port, config path) once the port accepts."""
    port = free_port()
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(config_template.format(port=port))
        config = f.name
    proc = subprocess.Popen([binary, "--config", config, "--log-format", "logfmt"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port, config
        except OSError:
            time.sleep(0.025)
    proc.kill()
    os.unlink(config)
    raise RuntimeError(f"{binary} did not listen on 127.0.0.1:{port}")


def get_status(port, path="/livez"):
    with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        head = s.recv(64).decode(errors="replace")
    return int(head.split(" ")[1])


def wait_up(port, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if get_status(port) == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"bench: nothing answered 200 on 127.0.0.1:{port}/livez")


def cpu_ns(pid):
    """CPU time of every thread, in ns (schedstat: finer than the 10 ms ticks of /proc/PID/stat)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except FileNotFoundError:
            pass  # a thread that just ended
    return total


def cpu_windows(pids, windows, seconds):
    """CPU ms per second of each process in `pids` ({label: pid}), over `windows` windows of
    `seconds` each, every process sampled in the same windows: {label: [ms/s per window]}."""
    samples = {label: [] for label in pids}
    for _ in range(windows):
        before = {label: cpu_ns(pid) for label, pid in pids.items()}
        time.sleep(seconds)
        for label, pid in pids.items():
            samples[label].append((cpu_ns(pid) - before[label]) / 1e6 / seconds)
    return samples
