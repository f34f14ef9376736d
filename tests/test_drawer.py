"""The drawer: every chart handed over is drawn once and reported once, as vl-convert draws it,
while its workers are stopped for the audit and started again."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
from pathlib import Path

import pytest

from generator import maps, svg


def jobs_of(site: Path) -> list[svg.Job]:
    """Every chart and map of a built site as the build hands it over (maps without a PNG)."""
    found = []
    for path in sorted(site.rglob("*.vl.json")):
        text = path.read_text(encoding="utf-8")
        is_map = json.loads(text).get("usermeta", {}).get("soort") == maps.MAP_KIND
        found.append(svg.Job(hashlib.sha256(text.encode()).hexdigest(), text, not is_map))
    return found


def test_every_chart_is_drawn_and_reported_once_while_workers_stop_and_start(
    tiny_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svg, "BATCH", 2)  # many small batches: some wait while workers stop
    jobs = jobs_of(tiny_site)
    assert len(jobs) > svg.PARALLEL_FROM  # drawn by the workers, not in this process
    reported: list[svg.Drawn] = []
    with svg.Drawer(tmp_path / "cache") as drawer:
        for job in jobs[: len(jobs) // 2]:
            drawer.submit(job)
        drawer.narrow()
        assert len(multiprocessing.active_children()) <= 1  # the others' memory is back
        for job in [*jobs[len(jobs) // 2 :], *jobs[:5]]:  # five handed over a second time
            drawer.submit(job)
        drawer.widen()
        drawer.finish(reported.extend)
    assert sorted(reported) == sorted({(job.digest, job.png) for job in jobs})
    for job in jobs[::7]:
        drawn = svg.svg_file(tmp_path / "cache", job.digest).read_text(encoding="utf-8")
        assert drawn == svg.render(job.spec_json)
        assert svg.png_file(tmp_path / "cache", job.digest).is_file() == job.png


def test_a_drawer_reports_what_the_cache_holds_without_starting_a_worker(
    tiny_site: Path, tmp_path: Path
) -> None:
    jobs = jobs_of(tiny_site)
    with svg.Drawer(tmp_path / "cache") as drawer:
        for job in jobs:
            drawer.submit(job)
        drawer.finish()
    reported: list[svg.Drawn] = []
    with svg.Drawer(tmp_path / "cache") as again:
        for job in jobs:
            again.submit(job)
        assert multiprocessing.active_children() == []
        again.finish(reported.extend)
    assert sorted(reported) == sorted({(job.digest, job.png) for job in jobs})
