"""The issue's check on the real data: a site built without the last CBS schooljaar, that year
added with ``add-peiljaar``: version, changelog, today's series, pages, ledger and audit.

Imports ``../shared/data`` (skipped when it is absent) and builds the real site twice.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from generator import incremental, ledger, svg
from generator.__main__ import main
from generator.importers import import_sources

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
CBS = "leerlingen-speciaal-onderwijs-gemeente"
LAST = "2023-2024"

pytestmark = pytest.mark.skipif(
    not (SHARED / "leerlingen-so-vso-gemeente-cbs").is_dir(),
    reason="../shared/data (the real source files) ligt niet naast de repository",
)


def split_off(path: Path, year: str) -> tuple[list[str], list[list[str]]]:
    """Removes the rows of ``year`` from a CSV; returns its header and the removed rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    column = header.index("schooljaar")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([header, *(r for r in body if r[column] != year)])
    return header, [r for r in body if r[column] == year]


def share_drawings(site: Path, svg_cache: Path) -> None:
    """The commands' builds of ``site`` draw into the session's drawing cache, so a chart the
    real site built by another test already drew (every map, every chart once the last year is
    back) is not drawn again. Only the drawings are shared: they are named by their spec."""
    shared = svg.cache_folder(svg_cache)
    shared.mkdir(parents=True, exist_ok=True)
    link = svg.cache_folder(incremental.default_cache(site))
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(shared, target_is_directory=True)


def test_the_last_cbs_year_added_with_add_peiljaar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], svg_cache: Path
) -> None:
    share_drawings(tmp_path / "site", svg_cache)
    data = tmp_path / "data"
    import_sources(SHARED, data)
    header, removed = split_off(data / CBS / "leerlingen.csv", LAST)
    _, today = split_off(data / CBS / "leerlingen_huidige_gemeenten.csv", LAST)
    new = tmp_path / "cbs-2023-2024.csv"
    with new.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *removed])

    before = tmp_path / "site-before"
    assert main(["build", "--data", str(data), "--out", str(before)]) == 0
    assert main(["register", str(before), "--release", "2026-1", "--data", str(data)]) == 0
    capsys.readouterr()

    site = tmp_path / "site"
    args = ["add-peiljaar", str(new), "--dataset", CBS, "--data", str(data)]
    code = main([*args, "--out", str(site), "--datum", "2026-12-01"])
    assert code == 0, capsys.readouterr().err

    descriptor = json.loads((data / CBS / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == "1.1.0"
    assert descriptor["changelog"][-1]["date"] == "2026-12-01"
    assert LAST in descriptor["changelog"][-1]["description"]
    with (data / CBS / "leerlingen_huidige_gemeenten.csv").open(encoding="utf-8") as handle:
        added = [r for r in csv.reader(handle) if r[2] == LAST]
    assert sorted(added) == sorted(today)  # the same series as the import made

    amsterdam = (site / "gemeente" / "GM0363" / "index.html").read_text(encoding="utf-8")
    assert f"Versie 1.1.0 · laatste peiljaar {LAST}" in amsterdam
    chart = site / "gemeente" / "GM0363" / f"{CBS}-leerlingen_huidige_gemeenten.vl.json"
    assert f"De cijfers van {LAST} zijn voorlopig." in json.loads(chart.read_text())["description"]
    assert "1.1.0 (2026-12-01)" in (site / "datasets" / CBS / "index.html").read_text()

    ledger.read(data / ledger.FILE_NAME)  # still a readable ledger
    assert main(["audit", str(site), "--data", str(data)]) == 0
    assert main(["register", str(site), "--release", "2026-2", "--data", str(data)]) == 0
