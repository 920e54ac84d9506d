"""Helpers shared by the Python benchmark drivers (bench/drain, bench/soak)."""
import os, socket, subprocess, tempfile, time


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
