"""Stage timing for the build: wall time, CPU time (children included) and memory per stage.

``Stages`` records, per named stage, the wall seconds, the CPU seconds of this process and of
its finished child processes (the SVG pool's workers), and the peak memory seen while the
stage ran. A stage entered inside another is counted for itself only (exclusive times), and a
stage entered several times adds up. The build always records; recording costs microseconds.

Memory: ``MemorySampler`` sums the proportional set size (PSS) of this process and all of its
descendants every few milliseconds from ``/proc`` (Linux), so a pool's workers count while they
run. PSS splits a page shared by several processes (the renderer's library, mapped by every
worker) among them, so the sum is the memory all of them take together; a sum of resident set
sizes would count such a page once per process.
Without a sampler, the peak is this process's ``ru_maxrss`` plus the largest finished child's.
"""

from __future__ import annotations

import contextlib
import os
import resource
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class StageTime:
    """The cost of one stage, over all the times it was entered."""

    name: str
    wall: float = 0.0
    cpu: float = 0.0
    """CPU seconds of this process and of child processes that finished during the stage."""
    peak_mb: float = 0.0
    """Peak memory of all processes together while the stage ran (see the module docstring)."""


@dataclass
class _Open:
    """A stage being timed: what its inner stages spent, and the peak memory seen so far."""

    inner_wall: float = 0.0
    inner_cpu: float = 0.0
    peak_mb: float = 0.0


@dataclass
class Stages:
    """Records the stages of one build in the order they are first entered."""

    sampler: MemorySampler | None = None
    times: dict[str, StageTime] = field(default_factory=dict)
    _open: list[_Open] = field(default_factory=list)

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        record = self.times.setdefault(name, StageTime(name))
        self._fold_peak()
        if self.sampler is not None:
            self.sampler.reset()
        self._open.append(_Open())
        wall, cpu = time.perf_counter(), _cpu()
        try:
            yield
        finally:
            self._fold_peak()
            done = self._open.pop()
            spent_wall, spent_cpu = time.perf_counter() - wall, _cpu() - cpu
            record.wall += spent_wall - done.inner_wall
            record.cpu += spent_cpu - done.inner_cpu
            record.peak_mb = max(record.peak_mb, done.peak_mb)
            if self._open:
                self._open[-1].inner_wall += spent_wall
                self._open[-1].inner_cpu += spent_cpu

    def _fold_peak(self) -> None:
        """Every open stage has lived through the peak measured since the last reset."""
        peak = self.sampler.peak_mb if self.sampler is not None else max_rss_mb()
        for stage in self._open:
            stage.peak_mb = max(stage.peak_mb, peak)

    @property
    def total_wall(self) -> float:
        return sum(t.wall for t in self.times.values())

    @property
    def total_cpu(self) -> float:
        return sum(t.cpu for t in self.times.values())


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def max_rss_mb() -> float:
    """Peak RSS of this process plus that of the largest finished child (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + child) / 1024


class MemorySampler:
    """A thread that sums the PSS of this process and its descendants every ``interval`` s."""

    def __init__(self, interval: float = 0.1) -> None:
        # reading PSS costs about 3 ms at 800 MB: every 0.1 s that is 3 % of one core
        self.interval = interval
        self.peak_mb = 0.0
        self.overall_mb = 0.0
        self.last_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def reset(self) -> None:
        """Starts a new peak (per stage) from the last sample; ``overall_mb`` keeps the peak
        since the start. No sample is taken here: a stage is entered thousands of times."""
        self.peak_mb = self.last_mb

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        now = self.last_mb = total_pss_mb()
        self.peak_mb = max(self.peak_mb, now)
        self.overall_mb = max(self.overall_mb, now)


def total_pss_mb(pid: int | None = None) -> float:
    """The PSS of a process and all its descendants, in MB, from ``/proc``."""
    pid = os.getpid() if pid is None else pid
    kib, todo = 0, [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError, ValueError):
            kib += _pss_kib(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return kib / 1024


def _pss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0
