"""A gunicorn server to measure, and a small load generator for it (standard library only, no Django).

``GunicornServer`` starts ``gunicorn config.wsgi`` on 127.0.0.1 and a free port, in its own session (so that it and
its workers can be stopped by the master's process id), with output to a log file, and waits until it answers.

``drive`` sends requests from ``clients`` threads at once (they start together at a barrier), each over its own
``http.client`` connection. Each thread sends ``requests`` requests back to back (a closed loop: a new request as soon
as the previous answer is read), cycling through the paths it is given from its own starting point, so concurrent
clients do not ask the same thing at the same moment. A request's latency runs from sending it to having read the
whole answer. Throughput is all requests divided by the wall-clock time from the barrier to the last answer.
Every answer is checked by a callback (after its latency is taken; an exception in it counts as the answer's error);
a connection that fails counts as an error and is opened again.

Percentiles are interpolated linearly between the two nearest ranks (numpy's default, Excel's PERCENTILE.INC).

``OtherLoad`` tells how busy the machine was with *other* work while a run went on (Linux ``/proc``): the CPU time
that processes the caller does not call its own used meanwhile, per second of the run. A test suite started beside a
benchmark shows up there. Processes are compared between two snapshots, so a process that ends during the run is
missed (as is the kernel's own time): this errs on the side of a quiet machine. The whole machine's time less ours
would miss nothing, but it would also count PostgreSQL's parallel workers, which live for one query, as others.
"""

import http.client
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Check = Callable[[str, int, bytes], str | None]  # path, status, body -> an error message or None


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0–100) of ``values``, interpolated linearly between the nearest ranks; NaN if empty."""
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {p}")
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = p / 100 * (len(ordered) - 1)
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Run:
    """What one configuration (an endpoint, a number of clients) measured."""

    endpoint: str
    clients: int
    seconds: float = 0.0  # wall clock, first request sent to last answer read
    latencies: list[float] = field(default_factory=list)  # seconds, one per request answered
    other_cpus: float | None = None  # CPUs other processes kept busy meanwhile (OtherLoad)
    by_path: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else math.nan

    def ms(self, p: float) -> float:
        return 1000 * percentile(self.latencies, p)


def drive(*, endpoint: str, port: int, paths: Sequence[str], clients: int, requests: int, check: Check) -> Run:
    """Send ``requests`` requests from each of ``clients`` concurrent clients; see the module docstring."""
    run = Run(endpoint=endpoint, clients=clients)
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def client(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        start = number * len(paths) // clients
        mine: list[tuple[str, float]] = []
        errors: list[str] = []
        barrier.wait()
        for index in range(requests):
            path = paths[(start + index) % len(paths)]
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept": "application/json"})
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{path}: {type(exc).__name__}: {exc}")
                connection.close()
                continue
            mine.append((path, time.perf_counter() - started))
            if response.will_close:  # a sync worker answers "Connection: close"; http.client reconnects
                connection.close()
            try:
                problem = check(path, response.status, body)
            except Exception as exc:  # an answer the check cannot read (not JSON, no "count" …) is an error too
                problem = f"{path}: HTTP {response.status}, unreadable answer ({type(exc).__name__}: {exc})"
            if problem:
                errors.append(problem)
        connection.close()
        with lock:
            for path, seconds in mine:
                run.latencies.append(seconds)
                run.by_path.setdefault(path, []).append(seconds)
            run.errors.extend(errors)

    threads = [threading.Thread(target=client, args=(number,), daemon=True) for number in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    return run


def _processes() -> dict[int, tuple[int, str, float]]:
    """Every process: parent id, command line and CPU seconds used so far (its threads included)."""
    ticks = os.sysconf("SC_CLK_TCK")
    result = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # it ended meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) ": state, ppid, … utime (12th), stime
        result[int(entry.name)] = (int(fields[1]), command, (int(fields[11]) + int(fields[12])) / ticks)
    return result


class OtherLoad:
    """CPUs kept busy by other processes during a ``with`` block; ``cpus`` is None without ``/proc``."""

    def __init__(self, is_ours: Callable[[int, int, str], bool]) -> None:
        self.is_ours = is_ours  # (pid, parent pid, command line) -> whether the process works for the benchmark
        self.cpus: float | None = None

    def _others(self) -> dict[int, float]:
        return {pid: cpu for pid, (ppid, command, cpu) in _processes().items() if not self.is_ours(pid, ppid, command)}

    def __enter__(self) -> "OtherLoad":
        self.cpus = None
        try:
            self._start = (time.perf_counter(), self._others())
        except (OSError, ValueError):
            self._start = None
        return self

    def __exit__(self, *exc_info) -> None:
        if self._start is None:
            return
        started, before = self._start
        seconds = time.perf_counter() - started
        used = sum(cpu - before.get(pid, 0.0) for pid, cpu in self._others().items())
        self.cpus = used / seconds if seconds else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class GunicornServer:
    """``gunicorn config.wsgi`` with the given settings module, as a context manager."""

    def __init__(
        self, *, root: Path, settings: str, workers: int, threads: int, log: Path, env: dict | None = None
    ) -> None:
        self.root, self.settings, self.workers, self.threads, self.log = root, settings, workers, threads, log
        self.env = env or {}
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def describe(self) -> str:
        kind = f"gthread, {self.threads} threads each" if self.threads else "sync"
        return f"gunicorn, {self.workers} workers ({kind}), 127.0.0.1:{self.port}"

    def __enter__(self) -> "GunicornServer":
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            f"--chdir={self.root}",
            "--timeout=120",
            "--no-control-socket",  # gunicorn 27's control socket is one path per user: two servers would share it
        ]
        if self.threads:
            command += ["--worker-class=gthread", f"--threads={self.threads}"]
        environment = {
            **os.environ,
            **self.env,
            "DJANGO_SETTINGS_MODULE": self.settings,
            "PYTHONPATH": str(self.root),
        }
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                command, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
            )
        return self

    def wait_until_ready(self, path: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped (exit {self.process.returncode}):\n{self.log_tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", path)
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer {path} with 200 within {seconds:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def __exit__(self, *exc_info) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only this gunicorn and its workers
            self.process.wait()
