"""Stage timing for the build: wall time, CPU time (children included) and memory per stage.

``Stages`` records, per named stage, the wall seconds, the CPU seconds of this process and of
its finished child processes (the SVG pool's workers), and the peak memory seen while the
stage ran. A stage entered inside another is counted for itself only (exclusive times), and a
stage entered several times adds up. The build always records; recording costs microseconds.

Memory: ``MemorySampler`` follows the proportional set size (PSS) of this process and all of
its descendants from ``/proc`` (Linux), so a pool's workers count while they run. PSS splits a
page shared by several processes (the renderer's library, mapped by every worker) among them,
so the sum is the memory all of them take together; a sum of resident set sizes would count
such a page once per process.
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
    """A thread that follows the PSS of this process and its descendants every ``interval`` s.

    Reading PSS walks every resident page (about 18 ms at 1.3 GB and 7.7 ms at 350 MB, charged
    to this process's CPU), so read every 0.1 s it took about a tenth of a core from a 1x build
    and a fifth from a 10x one: the benchmark slowed the larger build more. So each tick reads
    the resident sizes (a counter per process) and estimates PSS as the last one read plus the
    growth since; PSS is read again when the estimate passes the peak (at most ``climb`` of a
    core) and at least every so often (at most ``duty`` of a core). Resident growth counts a
    newly touched shared page whole, so between reads the estimate errs high, never low for
    private memory.
    """

    def __init__(self, interval: float = 0.1, duty: float = 0.01, climb: float = 0.1) -> None:
        self.interval, self.duty, self.climb = interval, duty, climb
        self.peak_mb = 0.0
        self.overall_mb = 0.0
        self.last_mb = 0.0
        self.reads = 0
        """PSS read from ``/proc`` this many times."""
        self.seconds = 0.0
        """CPU seconds the sampler took (its thread's), counted in this process's CPU."""
        self._read_at = -float("inf")
        self._read_cost = 0.0
        self._pss_mb = 0.0
        self._rss_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._sample(exact=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample(exact=True)

    def reset(self) -> None:
        """Starts a new peak (per stage) from the last sample; ``overall_mb`` keeps the peak
        since the start. No sample is taken here: a stage is entered thousands of times."""
        self.peak_mb = self.last_mb

    def _run(self) -> None:
        start = time.thread_time()
        while not self._stop.wait(self.interval):
            self._sample()
        self.seconds += time.thread_time() - start

    def _sample(self, exact: bool = False) -> None:
        pids = process_tree()
        rss = total_rss_mb(pids)
        estimate = self._pss_mb + rss - self._rss_mb
        since = time.perf_counter() - self._read_at
        if (
            exact
            or since >= self._read_cost / self.duty
            or (estimate > self.overall_mb and since >= self._read_cost / self.climb)
        ):
            begun = time.perf_counter()
            estimate = self._pss_mb = pss_mb(pids)
            self._rss_mb, self._read_at = rss, begun
            self._read_cost = time.perf_counter() - begun
            self.reads += 1
        now = self.last_mb = estimate
        self.peak_mb = max(self.peak_mb, now)
        self.overall_mb = max(self.overall_mb, now)


def process_tree(pid: int | None = None) -> list[int]:
    """A process and all its descendants (Linux: from ``/proc``)."""
    found, todo = [], [os.getpid() if pid is None else pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError, ValueError):
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return found


def total_pss_mb(pid: int | None = None) -> float:
    """The PSS of a process and all its descendants, in MB, from ``/proc``."""
    return pss_mb(process_tree(pid))


def pss_mb(pids: list[int]) -> float:
    """The PSS of these processes, summed, in MB (a walk over every resident page of each)."""
    return sum(_pss_kib(pid) for pid in pids) / 1024


def total_rss_mb(pids: list[int]) -> float:
    """The resident size of these processes, summed, in MB (cheap: one counter each)."""
    pages = 0
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            pages += int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return pages * PAGE_SIZE / 2**20


PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _pss_kib(pid: int) -> int:
    """A process's PSS in KiB; 0 for one that has ended meanwhile."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0
