"""The benchmark: ``python -m generator bench``.

Builds the shipped site (a copy of ``--data``) in a temporary folder:

1. cold (empty cache), with the cost of every stage, the SVG renderer's own time per chart and
   the peak memory of all processes together (``timing.MemorySampler``);
2. again with nothing changed (median of ``--runs``), in this process and once as the command
   (``python -m generator build``: interpreter start and imports included);
3. after a change of one number in one data package (which pages are made again);
4. the naive way (``naive.py``): a new Altair chart per chart with shorthand encodings and
   default validation, its SVG and PNG each drawn from its Vega-Lite as Altair's ``save`` does,
   one process, no cache,
   from the changed data, and whether it made the same site as the real build, byte for byte
   (``--naive-runs``: pairs of a cold and a naive build, in turn, and the median ratio);
5. a synthetic site with ``--scale`` times the entities (``tools/make_demo_data.py``) against
   the shipped data without its ledger (``_scaled``), each in a fresh process; ``--scale-runs``
   pairs, built in turn, and their median (``--scale-only`` measures only these).

The *floor* is what no build can avoid: the renderer's seconds over all charts and maps (each
one's SVG, and each chart's PNG: vl-convert makes both), plus the template render and the file
writes, spread over the cores. The targets are in the issue and
in the README's performance section.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from generator import build, config, incremental, ledger, naive, svg, timing

STAGES = (
    "load",
    "derive",
    "tables",
    "cells",
    "suppression",
    "pages",
    "charts",
    "svg",
    "cache",
    "render",
    "downloads",
    "write",
    "audit",
)
"""The stages in build order (``pages`` is the site plan without the charts it makes)."""

CHANGED_PACKAGE = "leerlingen-cluster-1-2"


@dataclass
class Measured:
    """One build: its report, wall time, peak memory and the renderer's seconds per chart."""

    report: build.BuildReport
    wall: float
    peak_mb: float
    engine: list[float] = field(default_factory=list)
    sampler: tuple[int, float] = (0, 0.0)
    """The memory sampler's own cost: PSS reads, CPU seconds (counted in the build's CPU)."""


def measure(work: Callable[[timing.Stages, list[float]], build.BuildReport]) -> Measured:
    """Runs one build with stage timing and memory sampling."""
    engine: list[float] = []
    with timing.MemorySampler() as sampler:
        stages = timing.Stages(sampler)
        start = time.perf_counter()
        report = work(stages, engine)
        wall = time.perf_counter() - start
    return Measured(report, wall, sampler.overall_mb, engine, (sampler.reads, sampler.seconds))


def run(
    data: Path,
    runs: int,
    scale: int,
    naive_runs: int = 1,
    scale_runs: int = 1,
    scale_only: bool = False,
) -> int:
    """Runs the benchmark on a copy of ``data``; prints every figure; returns the exit code."""
    print(f"Machine: {os.cpu_count()} kernen, pool van {svg.workers()}; belasting {_load()}")
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        root = Path(folder)
        if not scale_only:
            _shipped(root, data, runs, naive_runs)
        if scale > 1:
            _scaled(root, data, scale, scale_runs)
    print(f"\nBelasting van de machine aan het eind: {_load()}")
    return 0


def _shipped(root: Path, data: Path, runs: int, naive_runs: int) -> None:
    """The shipped site cold, with nothing changed, after one changed number, and naive (then
    ``naive_runs - 1`` more pairs of a cold and a naive build)."""
    copy = Path(shutil.copytree(data, root / "data"))
    site = root / "site"

    def incremental(stages: timing.Stages, engine: list[float]) -> build.BuildReport:
        return build.build(copy, site, stages=stages, engine=engine)

    cold = measure(incremental)
    _table("Koude build (lege cache)", cold)
    report = cold.report
    print(f"  {report.published} cellen gepubliceerd, {report.suppressed} afgeschermd; audit:")
    for line in report.audit.summary:
        print(f"    {line}")
    kept = [measure(incremental) for _ in range(runs)]
    command = _command_seconds(copy, site)
    _kept(kept, command)
    _change_one_number(copy / CHANGED_PACKAGE)
    changed = measure(incremental)
    _table(f"Na een wijziging van één getal in {CHANGED_PACKAGE}", changed)
    floor = _floor(cold)
    naive_run = None
    if naive_runs:  # from the changed data, so it should make the site the last build made
        naive_run = _naive(copy, root / "naief")
        _table("Naïef: Altair per grafiek, verkorte codering, save per formaat", naive_run)
        _compare_sites(site, root / "naief")
    _ratios(cold, floor, naive_run)
    if naive_run is not None and naive_runs > 1:
        _naive_pairs(root, copy, naive_run.wall / cold.wall, naive_runs)


def _naive(data: Path, site: Path) -> Measured:
    return measure(lambda s, e: naive.build(data, site, s))


def _naive_pairs(root: Path, data: Path, first: float, runs: int) -> None:
    """Builds ``runs - 1`` more pairs of a cold build (a fresh process, an empty cache) and the
    naive build, in turn; prints each one's ratio and the median with the first pair's: the
    machine's speed moves either build by several per cent from run to run."""
    ratios = [first]
    for run in range(2, runs + 1):
        site, cache, naive_site = (root / f"{name}-{run}" for name in ("site", "cache", "naief"))
        cold = _cold(data, site, cache)
        naive_run = _naive(data, naive_site)
        ratios.append(naive_run.wall / cold.wall)
        print(
            f"Paar {run}: naïef {naive_run.wall:.1f} s / koude build {cold.wall:.1f} s "
            f"= {ratios[-1]:.2f}"
        )
        _compare_sites(site, naive_site)
        for folder in (site, cache, naive_site):
            shutil.rmtree(folder)
    print(
        f"Naïef / koude build, mediaan van {runs} paren: {statistics.median(ratios):.2f} "
        f"(doel ≥ 3; paren {', '.join(f'{r:.2f}' for r in ratios)})"
    )


def _compare_sites(site: Path, naive_site: Path) -> None:
    """Prints whether the naive build made the real build's site, byte for byte."""
    real, naive_files = incremental.site_files(site), incremental.site_files(naive_site)
    paths = real.keys() | naive_files.keys()
    differ = sorted(p for p in paths if real.get(p) != naive_files.get(p))
    if differ:
        print(f"  Naïeve site wijkt af in {len(differ)} bestanden, o.a. {', '.join(differ[:3])}")
    else:
        print(f"  Naïeve site byte-gelijk aan de echte: {len(real)} bestanden")


def _load() -> str:
    """The load averages (1, 5, 15 minutes): other work on the machine skews every figure."""
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def _table(title: str, measured: Measured) -> None:
    report = measured.report
    print(f"\n{title}: {measured.wall:.2f} s, {report.pages} pagina's", end="")
    print(f" ({report.rendered} gemaakt), piek {measured.peak_mb:.0f} MB", end="")
    reads, seconds = measured.sampler
    print(f" (geheugenmeting: {reads} keer PSS gelezen, {seconds:.1f} s CPU)")
    print(f"  {'fase':<12} {'wand s':>8} {'CPU s':>8} {'piek MB':>8} {'pagina/s':>9}")
    for name in STAGES:
        stage = report.stages.get(name)
        if stage is None or (stage.wall < 0.0005 and stage.cpu < 0.0005):
            continue
        rate = report.pages / stage.wall if stage.wall else float("inf")
        print(
            f"  {name:<12} {stage.wall:>8.2f} {stage.cpu:>8.2f} {stage.peak_mb:>8.0f} {rate:>9.0f}"
        )
    total_wall = sum(s.wall for s in report.stages.values())
    total_cpu = sum(s.cpu for s in report.stages.values())
    rate = report.pages / measured.wall
    print(f"  {'totaal':<12} {total_wall:>8.2f} {total_cpu:>8.2f}", end=" ")
    print(f"{measured.peak_mb:>8.0f} {rate:>9.0f}")


def _kept(kept: list[Measured], command: tuple[float, float]) -> None:
    seconds = statistics.median(m.wall for m in kept)
    peak = max(m.peak_mb for m in kept)
    unchanged = all(m.report.unchanged for m in kept)
    print(
        f"\nNiets veranderd: {seconds:.2f} s (mediaan van {len(kept)}, in dit proces); "
        f"als commando {command[0]:.2f} s, {command[1]:.2f} s CPU (start van Python en imports "
        f"meegeteld); piek {peak:.0f} MB; site behouden: {'ja' if unchanged else 'NEE'} "
        "(doel < 2 s)"
    )


def _command_seconds(data: Path, site: Path) -> tuple[float, float]:
    """Wall and CPU seconds of ``python -m generator build`` as a user runs it."""
    stages = timing.Stages()
    with stages.stage("command"):
        subprocess.run(
            [sys.executable, "-m", "generator", "build", "--data", str(data), "--out", str(site)],
            cwd=config.ROOT,
            check=True,
            capture_output=True,
        )
    return stages.times["command"].wall, stages.times["command"].cpu


def _change_one_number(package: Path) -> None:
    """Adds one pupil to the first count of at least 20 in the package's first CSV."""
    path = sorted(package.glob("*.csv"))[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines[1:], start=1):
        head, _, last = line.rstrip("\n").rpartition(",")
        if last.isdigit() and int(last) >= 20:
            lines[i] = f"{head},{int(last) + 1}\n"
            break
    path.write_text("".join(lines), encoding="utf-8")


@dataclass(frozen=True)
class Floor:
    """What no build can avoid, from the cold build's own measurements."""

    engine: float
    charts: int
    render: float
    write: float
    cores: int

    @property
    def seconds(self) -> float:
        return (self.engine + self.render + self.write) / self.cores


def _floor(cold: Measured) -> Floor:
    stages = cold.report.stages
    floor = Floor(
        sum(cold.engine),
        len(cold.engine),
        stages["render"].cpu,
        stages["write"].cpu,
        svg.workers(),
    )
    per_chart = floor.engine / max(1, floor.charts) * 1000
    print(
        f"\nVloer: renderer {floor.engine:.2f} s CPU ({floor.charts} grafieken en kaarten, SVG "
        f"en PNG, {per_chart:.0f} ms per stuk) + templates {floor.render:.2f} s + schrijven "
        f"{floor.write:.2f} s (CPU), over {floor.cores} kernen = {floor.seconds:.2f} s"
    )
    return floor


def _ratios(cold: Measured, floor: Floor, naive_run: Measured | None) -> None:
    cpu = sum(s.cpu for s in cold.report.stages.values())
    print(f"\nKoude build / vloer: {cold.wall / floor.seconds:.2f} (doel < 1,5)")
    print(
        f"  zonder wachten op een kern: CPU {cpu:.2f} s / {floor.cores} kernen / vloer = "
        f"{cpu / floor.cores / floor.seconds:.2f} (ondergrens; telt bij een drukke machine)"
    )
    print(f"Piekgeheugen koude build, alle processen samen: {cold.peak_mb:.0f} MB (doel < 600 MB)")
    if naive_run is not None:
        naive_cpu = sum(s.cpu for s in naive_run.report.stages.values())
        print(
            f"Naïef / koude build: {naive_run.wall / cold.wall:.2f} (doel ≥ 3); "
            f"naïef CPU {naive_cpu:.2f} s (één proces) / koude build CPU {cpu:.2f} s / "
            f"{floor.cores} kernen = {naive_cpu / (cpu / floor.cores):.2f}"
        )


def _cold(data: Path, site: Path, cache: Path) -> Measured:
    """A build with a cache of its own (empty), measured in a fresh process: this one still
    holds memory of the builds before it (the allocator keeps freed memory in its arenas)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as fresh:
        return fresh.submit(_measure_cold, data, site, cache).result()


def _measure_cold(data: Path, site: Path, cache: Path) -> Measured:
    return measure(lambda s, e: build.build(data, site, cache, stages=s, engine=e))


def _scaled(root: Path, data: Path, scale: int, runs: int) -> None:
    """Builds the shipped data without its ledger and a synthetic site ``scale`` times its size
    (the same tools made the shipped data at scale 1), each cold with a cache of its own, and
    compares them (``runs`` times, the two built in turn, and the median): a ledger fixes most
    of the suppression in advance, and a synthetic site has none, so the shipped build with its
    ledger would be no like-for-like base."""
    plain = root / "data-1x"
    shutil.copytree(data, plain, ignore=shutil.ignore_patterns(ledger.FILE_NAME))
    big = root / f"data-{scale}x"
    for package in sorted(p for p in data.iterdir() if (p / "datapackage.json").is_file()):
        (big / package.name).mkdir(parents=True)
        shutil.copy(package / "datapackage.json", big / package.name)
    tools = config.ROOT / "tools"
    for command in (
        ["make_demo_data.py", "--out", str(big), "--scale", str(scale)],
        ["make_demo_geometry.py", "--data", str(big), "--scale", str(scale)],
        ["make_demo_cbs.py", "--data", str(big)],
    ):
        tool = [sys.executable, str(tools / command[0]), *command[1:]]
        subprocess.run(tool, check=True, capture_output=True)
    pairs = [_pair(root, plain, big, scale, run == 0) for run in range(runs)]
    if runs > 1:
        times, cpus, memories = zip(*pairs, strict=True)
        print(
            f"\n{scale}× de entiteiten, mediaan van {runs} paren: "
            f"tijd {statistics.median(times):.1f}× (doel ≤ {scale}×), "
            f"CPU {statistics.median(cpus):.1f}×, "
            f"geheugen {statistics.median(memories):.1f}× (doel ≤ 3×)"
        )


def _pair(root: Path, plain: Path, big: Path, scale: int, tables: bool) -> tuple[float, ...]:
    """Builds both sites cold, each with an empty cache of its own; prints and returns how time,
    CPU and memory grew."""
    measured = {}
    for size, folder in ((1, plain), (scale, big)):
        for made in (root / f"site-{size}x", root / f"cache-{size}x"):
            shutil.rmtree(made, ignore_errors=True)
        measured[size] = _cold(folder, root / f"site-{size}x", root / f"cache-{size}x")
        if tables:
            _table(f"{size}× de entiteiten, zonder publicatieregister, lege cache", measured[size])
    base, large = measured[1], measured[scale]
    cpu, base_cpu = (sum(s.cpu for s in m.report.stages.values()) for m in (large, base))
    grew = (large.wall / base.wall, cpu / base_cpu, large.peak_mb / base.peak_mb)
    print(
        f"\n{scale}× de entiteiten ({base.wall:.1f} s tegen {large.wall:.1f} s): "
        f"tijd {grew[0]:.1f}× (doel ≤ {scale}×), "
        f"CPU {grew[1]:.1f}×, geheugen {grew[2]:.1f}× "
        f"(doel ≤ 3×), pagina's {large.report.pages / base.report.pages:.1f}×"
    )
    return grew
