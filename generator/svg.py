"""Stage 7, svg: every chart rendered to SVG (and PNG) offline, cached by a hash of its spec.

Reads the charts' Vega-Lite specs; draws each one's SVG (and PNG) into a cache folder, named by
the spec's digest. vl-convert renders each spec with no access to any URL (a spec that needs a
data file fails instead of drawing an empty chart); a worker compiles each form of chart to Vega
once and fills in the data of the others (``vega.Forms``). An unchanged chart is never drawn
twice; new ones are drawn over a process pool sized to the machine, in the background while the
build writes the pages, and the workers write the files themselves: the drawings never pass
through the build's own process, which links them from the cache into the site. The cache only
ever replaces a drawing whole (a new file renamed over the old one), so a site keeps what it
linked; a drawing whose bytes no longer match the sums the worker wrote beside it is drawn
again.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
import zlib
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import vl_convert

from generator import vega

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
IN_FLIGHT = 4
"""Batches per worker handed to the pool and not yet drawn, at most: enough to keep the
workers busy, few enough that the charts waiting to be drawn take little memory."""


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


class Drawer:
    """Draws charts into the cache folder in the background, as the build hands them over.

    Each chart's SVG (and PNG, when its job asks) lands in the cache as ``<digest>.svg`` and
    ``<digest>.png``: the workers write them, so no drawing passes through the build's process.
    A chart already in the cache, or handed over before, is not drawn again. The first few are
    kept back: a build with fewer than ``PARALLEL_FROM`` to draw draws them itself in
    ``finish``, as starting a pool would cost more than it saves. Use it as a context manager:
    leaving the block stops the pool.
    """

    def __init__(self, cache: Path, engine: list[float] | None = None) -> None:
        self.cache, self.engine = cache, engine  # engine: the renderer's seconds per chart
        self.seen: set[tuple[str, bool]] = set()
        self.waiting: list[Task] = []
        self.pending: list[Future[list[float]]] = []
        self.seconds: list[float] = []  # the renderer's, of the batches already drawn
        self.pool: ProcessPoolExecutor | None = None
        cache.mkdir(parents=True, exist_ok=True)

    def __enter__(self) -> Drawer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def submit(self, job: Job) -> None:
        """Hands a chart over; it is drawn unless the cache has it."""
        if self._keep(job) and self._pooled() and len(self.waiting) >= BATCH:
            self._send()

    def submit_together(self, jobs: Iterable[Job]) -> None:
        """Hands charts over as one task: a single worker draws them while the build goes on,
        and the pool starts no second worker before more work comes. For the maps, drawn
        during the suppression, when the build's own process needs the memory."""
        for job in jobs:
            self._keep(job)
        if self._pooled():
            self._send()

    def _keep(self, job: Job) -> bool:
        """Queues a chart unless the cache has it or it was handed over before."""
        if (job.digest, job.png) in self.seen or _cached(job, self.cache):
            return False
        self.seen.add((job.digest, job.png))
        self.waiting.append(task(job, self.cache))
        return True

    def _pooled(self) -> bool:
        """Whether charts go to the pool: it starts once enough wait (its workers start one
        per task sent while the others are busy, up to ``workers()``)."""
        if self.pool is None and len(self.waiting) >= PARALLEL_FROM and workers() > 1:
            # spawn, not fork: a forked worker inherits vl-convert's threads from an earlier
            # render in this process and can deadlock.
            spawn = multiprocessing.get_context("spawn")
            self.pool = ProcessPoolExecutor(max_workers=workers(), mp_context=spawn)
        return self.pool is not None

    def _send(self) -> None:
        if self.pool is not None and self.waiting:
            self.pending.append(self.pool.submit(draw_all, self.waiting))
            self.waiting = []
        if len(self.pending) > IN_FLIGHT * workers():
            # the build makes charts faster than the pool draws them: wait, rather than hold
            # every chart not yet drawn in memory
            done, waiting = wait(self.pending, return_when=FIRST_COMPLETED)
            self.seconds += [s for future in done for s in future.result()]
            self.pending = [future for future in self.pending if future in waiting]

    def finish(self) -> None:
        """Waits until every chart handed over is in the cache."""
        self._send()
        seconds = self.seconds + [s for future in self.pending for s in future.result()]
        seconds += draw_all(self.waiting)
        self.pending, self.waiting, self.seconds = [], [], []
        if self.pool is not None:
            self.pool.shutdown()  # the workers' CPU time is counted from here
            self.pool = None
        if self.engine is not None:
            self.engine.extend(seconds)


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
        _replace(where, data)
    sums = "".join(f"{hashlib.sha256(d).hexdigest()}  {w.name}\n" for w, d in files.items())
    _replace(_sums_path(path.parent, path.stem), sums.encode("ascii"))


def _replace(path: Path, data: bytes) -> None:
    """Writes a cache file whole or not at all (a stopped build never leaves half a drawing)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


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
