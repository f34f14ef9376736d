"""Stage 7, svg: every chart rendered to SVG (and PNG) offline, cached by a hash of its spec.

Reads the charts' Vega-Lite specs; draws each one's SVG (and PNG) into a cache folder, named by
the spec's digest. vl-convert renders each spec with no access to any URL (a spec that needs a
data file fails instead of drawing an empty chart); a worker compiles each form of chart to Vega
once and fills in the data of the others (``vega.Forms``). An unchanged chart is never drawn
twice; new ones are drawn by worker processes, as many as the machine has cores, in the
background while the build writes the pages and audits them. The workers write the files
themselves: the drawings never pass through the build's own process, which links them from the
cache into the site. The cache only ever replaces a drawing whole (a new file renamed over the
old one), so a site keeps what it linked; a drawing whose bytes no longer match the sums the
worker wrote beside it is drawn again.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import vl_convert

from generator import incremental, vega

if TYPE_CHECKING:  # the pool's workers import this module: keep them free of pandas
    from generator.model import Chart

VL_VERSION = "6.4"
"""The Vega-Lite version of the SVGs and of the browser script: one engine for both."""
PNG_SCALE = 1.5
"""A chart's PNG is one and a half times the size of its SVG: sharp enough for slides."""
SCRIPT_FILE = "assets/vega/vega.js"
BROWSER_GLOBALS = "window.vegaEmbed = vegaEmbed;"
"""What the browser script exposes: ``assets/charts.js`` needs only vega-embed."""
PARALLEL_FROM = 40
"""Below this many charts to render, a pool costs more (start-up) than it saves."""
BATCH = 8
"""Charts per task of the pool."""
WAITING_BYTES = 64 * 2**20
"""Charts handed to the pool and not yet drawn, compressed, at most: the build runs ahead of
the drawing (the shipped site's 2,291 charts are 3 MB so, at 10x 32 MB) and audits the site
while the pool draws, but never holds more than this waiting."""


def cache_folder(root: Path) -> Path:
    """The SVG cache under a build cache: one folder per renderer version."""
    return root / f"svg-{metadata.version('vl-convert-python')}-vl{VL_VERSION}"


@dataclass(frozen=True)
class Job:
    """One chart to draw: its spec, and whether the site also offers it as PNG."""

    digest: str
    spec_json: str
    png: bool


Task = tuple[bytes, bool, str]
"""One chart as a worker gets it: its spec (JSON, compressed: the maps go to one worker as one
task, and at 10x their GeoJSON is 113 MB), whether to make a PNG too, and the SVG's path."""


Drawn = tuple[str, bool]
"""A drawing in the cache: the chart's digest, and whether its PNG is there too."""


def task(job: Job, cache: Path) -> Task:
    return zlib.compress(job.spec_json.encode(), 1), job.png, str(svg_file(cache, job.digest))


def svg_file(cache: Path, digest: str) -> Path:
    return cache / f"{digest}.svg"


def png_file(cache: Path, digest: str) -> Path:
    return cache / f"{digest}.png"


def svgs(charts: Iterable[Chart], cache: Path, engine: list[float] | None = None) -> dict[str, str]:
    """Reads charts; returns each one's SVG by spec digest, rendering only uncached specs."""
    jobs = [Job(chart.digest, chart.spec_json, False) for chart in charts]
    with Drawer(cache, engine) as drawer:
        for job in jobs:
            drawer.submit(job)
        drawer.finish()
    return {job.digest: svg_file(cache, job.digest).read_text() for job in jobs}


class _Lane:
    """One worker, as a pool of one process: the drawer can stop one worker (and so free its
    memory) while the others draw on. Its batches are drawn in the order they came."""

    def __init__(self) -> None:
        # spawn, not fork: a forked worker inherits vl-convert's threads from an earlier
        # render in this process and can deadlock.
        spawn = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(max_workers=1, mp_context=spawn)
        self.batches: deque[Future[list[float]]] = deque()

    def load(self) -> int:
        """Batches handed to this worker and not yet drawn."""
        while self.batches and self.batches[0].done():
            self.batches.popleft()
        return len(self.batches)

    def hand(self, batch: list[Task]) -> Future[list[float]]:
        future = self.pool.submit(draw_all, batch)
        self.batches.append(future)
        return future

    def take_back(self) -> list[Future[list[float]]]:
        """Cancels the batches the worker has not started (the pool holds the next one ready:
        that one stays); returns them."""
        taken = [future for future in self.batches if future.cancel()]
        self.batches = deque(future for future in self.batches if not future.cancelled())
        return taken


class Drawer:
    """Draws charts into the cache folder in the background, as the build hands them over.

    Each chart's SVG (and PNG, when its job asks) lands in the cache as ``<digest>.svg`` and
    ``<digest>.png``: the workers write them, so no drawing passes through the build's process.
    A chart already in the cache, or handed over before, is not drawn again. The first few are
    kept back: a build with fewer than ``PARALLEL_FROM`` to draw draws them itself in
    ``finish``, as starting a pool would cost more than it saves. Use it as a context manager:
    leaving the block stops the workers.
    """

    def __init__(self, cache: Path, engine: list[float] | None = None) -> None:
        self.cache, self.engine = cache, engine  # engine: the renderer's seconds per chart
        self.seen: set[tuple[str, bool]] = set()
        self.waiting: list[Task] = []
        self.pooled = False
        self.lanes: list[_Lane] = []
        self.width = workers()
        self.batches: dict[Future[list[float]], list[Task]] = {}
        self.waiting_bytes = 0  # of the batches handed to the workers and not yet drawn
        self.seconds: list[float] = []  # the renderer's, of the batches already drawn
        self.drawn: list[Drawn] = []  # in the cache, not yet reported by ``finish``
        cache.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> Drawer:
        return self

    def __exit__(self, *exc: object) -> None:
        for lane in self.lanes:
            lane.pool.shutdown(cancel_futures=True)

    def submit(self, job: Job) -> None:
        """Hands a chart over; it is drawn unless the cache has it."""
        if self._keep(job) and self._pooled() and len(self.waiting) >= BATCH:
            self._send()

    def submit_together(self, jobs: Iterable[Job]) -> None:
        """Hands charts over as one task: a single worker draws them while the build goes on,
        and no second worker starts before more work comes. For the maps, drawn during the
        suppression, when the build's own process needs the memory."""
        for job in jobs:
            self._keep(job)
        if self._pooled():
            self._send()

    def narrow(self) -> None:
        """Stops all workers but one, for a stage that needs a core and memory of its own (the
        audit): the others finish the batch they draw and the one they hold ready, and the
        rest of their batches go to the one left. ``widen`` starts them again."""
        self.width = 1
        stopped, self.lanes = self.lanes[1:], self.lanes[:1]
        for lane in stopped:
            self._hand_again(lane.take_back())
            lane.pool.shutdown()  # its CPU time is counted from here

    def widen(self) -> None:
        """Starts the workers ``narrow`` stopped again, as far as there is work for them."""
        self.width = workers()
        self._spread()

    def _keep(self, job: Job) -> bool:
        """Queues a chart unless the cache has it or it was handed over before."""
        if (job.digest, job.png) in self.seen:
            return False
        self.seen.add((job.digest, job.png))
        if _cached(job, self.cache):
            self.drawn.append((job.digest, job.png))
            return False
        self.waiting.append(task(job, self.cache))
        return True

    def _pooled(self) -> bool:
        """Whether charts go to the workers: from the first time enough wait (a worker starts
        for each batch handed over while the others are busy, up to ``workers()``)."""
        if not self.pooled and len(self.waiting) >= PARALLEL_FROM and workers() > 1:
            self.pooled = True
        return self.pooled

    def _send(self) -> None:
        if self.pooled and self.waiting:
            self._hand(self.waiting)
            self.waiting = []
        while self.waiting_bytes > WAITING_BYTES:
            # the build makes charts much faster than the workers draw them: wait, rather than
            # hold every chart not yet drawn in memory
            self._collect(wait(self.batches, return_when=FIRST_COMPLETED).done)

    def _hand(self, batch: list[Task]) -> None:
        """Gives a batch to the least busy worker; starts another while each has work and
        fewer than ``width`` run."""
        loads = [lane.load() for lane in self.lanes]
        if len(self.lanes) < self.width and all(loads):
            self.lanes.append(_Lane())
            loads.append(0)
        lane = self.lanes[loads.index(min(loads))]
        self.batches[lane.hand(batch)] = batch
        self.waiting_bytes += _size(batch)

    def _hand_again(self, futures: list[Future[list[float]]]) -> None:
        """Hands batches taken back from a worker to the least busy ones."""
        for future in futures:
            batch = self.batches.pop(future)
            self.waiting_bytes -= _size(batch)
            self._hand(batch)

    def _spread(self) -> None:
        """Shares the batches not yet started out again over the workers (starting new ones up
        to ``width``): after ``narrow``, and when one runs out of work before the others."""
        order = {future: number for number, future in enumerate(self.batches)}
        taken = [future for lane in self.lanes for future in lane.take_back()]
        self._hand_again(sorted(taken, key=order.__getitem__))  # the oldest first, as before

    def _collect(self, done: Iterable[Future[list[float]]]) -> None:
        for future in done:
            batch = self.batches.pop(future, None)
            if batch is not None and not future.cancelled():
                self.seconds += future.result()
                self.waiting_bytes -= _size(batch)
                self.drawn += [_drawn(chart) for chart in batch]

    def finish(self, each: Callable[[list[Drawn]], object] | None = None) -> None:
        """Waits until every chart handed over is in the cache; hands ``each`` the drawings as
        they get there (all, the ones there before included, once)."""
        self._send()
        self._report(each)
        while self.batches:
            self._collect(wait(self.batches, return_when=FIRST_COMPLETED).done)
            self._report(each)
            loads = [lane.load() for lane in self.lanes]
            if loads and min(loads) == 0 and max(loads) > 2:  # one idles while another has
                self._spread()  # work it has not started
        seconds = self.seconds + draw_all(self.waiting)
        self.drawn += [_drawn(chart) for chart in self.waiting]
        self._report(each)
        self.waiting, self.seconds = [], []
        for lane in self.lanes:
            lane.pool.shutdown()  # the workers' CPU time is counted from here
        self.lanes, self.pooled = [], False
        if self.engine is not None:
            self.engine.extend(seconds)

    def _report(self, each: Callable[[list[Drawn]], object] | None) -> None:
        if each is not None and self.drawn:
            each(self.drawn)
        self.drawn = []


def _drawn(chart: Task) -> Drawn:
    _, with_png, target = chart
    return Path(target).stem, with_png


def _size(batch: list[Task]) -> int:
    return sum(len(packed) for packed, _, _ in batch)


def drawn_sums(cache: Path, digest: str) -> dict[str, str]:
    """The sha256 of a chart's drawings by file name, as the worker wrote them beside the
    drawings (``<digest>.sha256``, ``sha256sum`` lines); empty when there are none."""
    try:
        lines = _sums_path(cache, digest).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    return {name: sha for sha, _, name in (line.partition("  ") for line in lines)}


def _sums_path(cache: Path, digest: str) -> Path:
    return cache / f"{digest}.sha256"


def _cached(job: Job, cache: Path) -> bool:
    """Whether the cache holds the job's drawings as they were drawn: the site links them, so
    one edited in place through the site is drawn again rather than published again."""
    sums = drawn_sums(cache, job.digest)
    needed = [svg_file(cache, job.digest), *([png_file(cache, job.digest)] if job.png else [])]
    return all(path.name in sums and _sha256(path) == sums[path.name] for path in needed)


def _sha256(path: Path) -> str | None:
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


FORMS = vega.Forms(VL_VERSION)
"""The forms of chart this process has compiled (each worker keeps its own)."""


def draw_all(tasks: list[Task]) -> list[float]:
    """Draws a batch of charts (one task for the pool: less to and fro than one per chart)."""
    return [draw(chart, FORMS) for chart in tasks]


def draw(chart: Task, forms: vega.Forms | None = None) -> float:
    """Draws one chart into the cache: its SVG, and its PNG when asked; returns the renderer's
    CPU seconds (all threads of this process: a worker that waits for a core is not working).
    """
    packed, with_png, target = chart
    spec_json = zlib.decompress(packed).decode()
    start = time.process_time()
    drawn = render(spec_json, forms)
    image = png(drawn) if with_png else None
    seconds = time.process_time() - start
    store(Path(target), drawn.encode("utf-8"), image)
    return seconds


def store(path: Path, drawn: bytes, image: bytes | None) -> None:
    """Writes one chart's SVG to ``path``, its PNG beside it when it has one, and last the
    sums of both (a drawing counts as drawn only once its sums are there)."""
    files = {path: drawn}
    if image is not None:
        files[path.with_suffix(".png")] = image
    for where, data in files.items():
        incremental.write_whole(where, data)
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {w.name}\n" for w, d in files.items())
    incremental.write_whole(_sums_path(path.parent, path.stem), sums.encode("ascii"))


def workers() -> int:
    """The pool's size: the cores this process may use (not more than 8)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def render(spec_json: str, forms: vega.Forms | None = None) -> str:
    """One Vega-Lite spec (JSON text) as SVG, with no URL allowed; compiled to Vega through
    ``forms`` (once per form of chart) when given, else on its own."""
    if forms is None:
        drawn = vl_convert.vegalite_to_svg(spec_json, vl_version=VL_VERSION, allowed_base_urls=[])
    else:
        drawn = vl_convert.vega_to_svg(forms.vega(spec_json), allowed_base_urls=[])
    return str(drawn)


def png(svg: str) -> bytes:
    """One SVG as PNG at ``PNG_SCALE`` times its size."""
    return bytes(vl_convert.svg_to_png(svg, scale=PNG_SCALE))


def script(cache: Path) -> str:
    """Vega, Vega-Lite and vega-embed as one browser script, made offline and cached."""
    path = cache / "vega.js"  # the cache folder is already one per renderer version
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        path.write_text(vl_convert.javascript_bundle(BROWSER_GLOBALS, vl_version=VL_VERSION))
    return path.read_text()
