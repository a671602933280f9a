"""Resident memory of a process and all its descendants over time, from Linux /proc.

`TreeSampler(pid)` polls in a thread: every interval it finds the process's descendants
(the reader process `hearth ingest` starts, say) and reads each one's resident set size
(VmRSS, the pages in memory, not the Python heap). Shared pages are counted in every
process that maps them, as `ps` counts them, so the sum is an upper bound.

Also the machine's label for every figure: processor model and load average.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


def processor() -> str:
    """`lscpu`'s model name and the number of cores."""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return f"unknown processor, {os.cpu_count()} cores"
    model = next(
        (line.split(":", 1)[1].strip() for line in out.splitlines() if "Model name" in line),
        "unknown processor",
    )
    flags = Path("/proc/cpuinfo").read_text().split("flags", 1)[-1].split("\n", 1)[0].split()
    vector = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return f"{model}, {os.cpu_count()} cores, {vector}"


def load_average() -> float:
    """The one-minute load average."""
    return os.getloadavg()[0]


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    for task in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{task}/children").read_text()
        except OSError:
            continue
        kids.extend(int(k) for k in text.split())
    return kids


def tree(pid: int) -> list[int]:
    """The process and its descendants (those alive now)."""
    found = [pid]
    index = 0
    while index < len(found):
        found.extend(_children(found[index]))
        index += 1
    return found


def _status(pid: int) -> tuple[str, int] | None:
    """(command name, resident bytes), or None when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    name, rss = "?", 0
    for line in text.splitlines():
        if line.startswith("Name:"):
            name = line.split(None, 1)[1]
        elif line.startswith("VmRSS:"):
            rss = int(line.split()[1]) * 1024
    return name, rss


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@dataclass
class Sample:
    seconds: float  # since the sampler started
    total: int  # bytes, the whole tree
    by_role: dict[str, int]  # "main", "reader", "other" -> bytes


@dataclass
class TreeSampler:
    """Samples a process tree's resident memory every `interval` seconds until stopped."""

    pid: int
    interval: float = 0.25
    samples: list[Sample] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _roles: dict[int, str] = field(default_factory=dict)

    def _role(self, pid: int) -> str:
        if pid not in self._roles:
            command = _cmdline(pid)
            if "reader" in command:
                self._roles[pid] = "reader"
            elif pid == self.pid or "-m desktop " in command:
                self._roles[pid] = "main"
            else:
                self._roles[pid] = "other"
        return self._roles[pid]

    def sample(self) -> Sample | None:
        by_role: dict[str, int] = {}
        for pid in tree(self.pid):
            status = _status(pid)
            if status is None:
                continue
            role = self._role(pid)
            by_role[role] = by_role.get(role, 0) + status[1]
        if not by_role:
            return None
        return Sample(time.monotonic() - self._started, sum(by_role.values()), by_role)

    def _run(self) -> None:
        while not self._stop.is_set():
            sample = self.sample()
            if sample is not None:
                self.samples.append(sample)
            self._stop.wait(self.interval)

    def start(self) -> TreeSampler:
        self._started = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def series(self, step: float = 1.0) -> list[dict[str, float]]:
        """About one sample per `step` seconds: time, total and each role, in MB."""
        rows: list[dict[str, float]] = []
        for sample in self.samples:
            if rows and sample.seconds - rows[-1]["s"] < step:
                continue
            row = {"s": round(sample.seconds, 2), "total": round(mb(sample.total), 1)}
            row.update({role: round(mb(size), 1) for role, size in sample.by_role.items()})
            rows.append(row)
        return rows

    def peak(self, role: str | None = None) -> int:
        """The largest total (or one role's largest) seen, in bytes."""
        if role is None:
            return max((s.total for s in self.samples), default=0)
        return max((s.by_role.get(role, 0) for s in self.samples), default=0)


def mb(size: int) -> float:
    return size / 1e6
