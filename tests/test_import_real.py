"""The import of the real source files in ``../shared/data`` (beside the repository; CI has it),
the real site built from it, and the issue's check of ``add-peiljaar`` on the real data.

The folder is imported once per session; the checks read the written packages as a user would.
The tests share one file, so one process runs them in order (``--dist=loadfile``): the real
site's drawings are drawn once, and the site ``add-peiljaar`` builds takes them from the cache.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from generator import build, incremental, ledger, packages, svg
from generator.__main__ import main
from generator.importers import ImportReport, import_sources, regeling

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
CBS = "leerlingen-speciaal-onderwijs-gemeente"
LAST = "2023-2024"

pytestmark = pytest.mark.skipif(
    not (SHARED / "swv-gemeenten").is_dir(),
    reason="../shared/data (the real source files) ligt niet naast de repository",
)


@pytest.fixture(scope="session")
def real(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ImportReport]:
    out = tmp_path_factory.mktemp("real") / "data"
    return out, import_sources(SHARED, out)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_import_writes_referentie_and_the_cbs_package(real: tuple[Path, ImportReport]) -> None:
    data, report = real
    assert report.written == ("referentie", "leerlingen-speciaal-onderwijs-gemeente")
    assert any("leerlingen-cluster-1-2" in line for line in report.missing)
    catalog = packages.load_catalog(data)
    assert set(catalog.packages) == {"referentie", "leerlingen-speciaal-onderwijs-gemeente"}


def test_the_regeling_gives_76_po_and_74_vo_codes_and_vo0001_is_added(
    real: tuple[Path, ImportReport],
) -> None:
    codes = regeling.read(SHARED).codes()
    assert sum(c.startswith("PO") for c in codes) == 76
    assert sum(c.startswith("VO") for c in codes) == 74
    swv = rows(real[0] / "referentie" / "swv.csv")
    assert [r["code"] for r in swv] == sorted([*codes, "VO0001"])
    amsterdam = next(r for r in swv if r["code"] == "PO2707")
    assert amsterdam["naam"].startswith("PO2707 · Amsterdam, Diemen")


def test_every_current_gemeente_has_a_po_and_a_vo_swv(real: tuple[Path, ImportReport]) -> None:
    ref = real[0] / "referentie"
    current = {r["code"] for r in rows(ref / "gemeenten.csv") if not r["geldig_tot"]}
    assert len(current) == 342
    sectors = defaultdict(set)
    for row in rows(ref / "gemeente_swv.csv"):
        sectors[row["gemeente_code"]].add(row["swv_code"][:2])
    assert set(sectors) == current
    assert all(found == {"PO", "VO"} for found in sectors.values())


def test_split_gemeenten_appear_at_both_swvs_with_disjoint_postcodes(
    real: tuple[Path, ImportReport],
) -> None:
    parts = defaultdict(list)
    for row in rows(real[0] / "referentie" / "gemeente_swv.csv"):
        if row["postcodes"]:
            parts[(row["gemeente_code"], row["swv_code"][:2])].append(row)
    assert len({gemeente for gemeente, _ in parts}) == 26
    for group in parts.values():
        assert len(group) >= 2
        codes = [set(r["postcodes"].split()) for r in group]
        assert sum(len(c) for c in codes) == len(set().union(*codes))
    tynaarlo = {r["swv_code"]: r["postcodes"] for r in parts[("GM1730", "VO")]}
    assert tynaarlo["VO2001"] == "9471 9472 9473 9474 9475"  # as the 2014 text says
    assert "VO2201" in tynaarlo


def test_merged_gemeente_series_lands_on_todays_gemeente(real: tuple[Path, ImportReport]) -> None:
    data = real[0]
    merged_in_2019 = {
        r["gemeente_oud"]
        for r in rows(data / "referentie" / "herindelingen.csv")
        if r["gemeente_nieuw"] == "GM1966"
    }
    assert merged_in_2019 == {"GM0005", "GM0053", "GM1651", "GM1663"}  # Het Hogeland, 2019
    folder = data / "leerlingen-speciaal-onderwijs-gemeente"
    source = rows(folder / "leerlingen.csv")
    today = [
        r
        for r in rows(folder / "leerlingen_huidige_gemeenten.csv")
        if r["gemeente_code"] == "GM1966" and r["onderwijssoort"] == "so"
    ]
    assert [r["schooljaar"][:4] for r in today] == [str(y) for y in range(2013, 2024)]
    before = next(r for r in today if r["schooljaar"] == "2018-2019")
    parts = [
        int(r["aantal"])
        for r in source
        if r["gemeente_code"] in merged_in_2019
        and r["onderwijssoort"] == "so"
        and r["schooljaar"] == "2018-2019"
    ]
    assert (int(before["aantal"]), before["aantal_gemeenten_bron"]) == (sum(parts), "4")
    after = next(r for r in today if r["schooljaar"] == "2019-2020")
    assert after["aantal_gemeenten_bron"] == "1"
    assert today[-1]["voorlopig"] == "true"


def test_cbs_counts_are_rounded_to_tens_and_declared_so(real: tuple[Path, ImportReport]) -> None:
    folder = real[0] / "leerlingen-speciaal-onderwijs-gemeente"
    assert all(int(r["aantal"]) % 10 == 0 for r in rows(folder / "leerlingen.csv"))
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["privacy"]["bronbescherming"]["afronding"] == 10
    assert "demonstratiedata" not in descriptor


def test_gemeentegrenzen_hold_the_342_gemeenten(real: tuple[Path, ImportReport]) -> None:
    text = (real[0] / "referentie" / "gemeentegrenzen.geojson").read_text(encoding="utf-8")
    features = json.loads(text)["features"]
    codes = [f["properties"]["gemeente_code"] for f in features]
    assert len(codes) == 342 and codes == sorted(codes) and "GM0998" not in codes


def test_the_real_site_has_a_page_for_every_swv_and_gemeente(
    real: tuple[Path, ImportReport], tmp_path_factory: pytest.TempPathFactory, svg_cache: Path
) -> None:
    data = real[0]
    site = tmp_path_factory.mktemp("real-site") / "site"
    build.build(data, site, svg_cache)
    swv = {r["code"] for r in rows(data / "referentie" / "swv.csv")}
    gemeenten = {
        r["code"] for r in rows(data / "referentie" / "gemeenten.csv") if not r["geldig_tot"]
    }
    assert {p.parent.name for p in (site / "swv").glob("*/index.html")} == swv
    assert {p.parent.name for p in (site / "gemeente").glob("*/index.html")} == gemeenten


def test_cbs_totals_agree_with_their_parts_within_the_rounding(
    real: tuple[Path, ImportReport],
) -> None:
    data, report = real
    tally = report.differences.tallies["leerlingen-speciaal-onderwijs-gemeente"]
    # 2 totals x 11 schooljaren x the gemeenten of each year; CBS rounds every number to tens
    assert tally.checked == 8222
    assert tally.equal + tally.within == tally.checked
    assert tally.within > 1000  # off by 10: reported as rounding, not as a difference
    assert report.differences.differences == ()
    written = data / "leerlingen-speciaal-onderwijs-gemeente" / "verschillen.csv"
    assert written.read_text(encoding="utf-8").splitlines() == [
        "bestand,regel,kolom,sleutel,veld,bron,berekend,verschil,tolerantie,berekening"
    ]


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
    real: tuple[Path, ImportReport],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    svg_cache: Path,
) -> None:
    """A site built without the last CBS schooljaar, that year added with ``add-peiljaar``:
    version, changelog, today's series, pages, ledger and audit."""
    share_drawings(tmp_path / "site", svg_cache)
    data = Path(shutil.copytree(real[0], tmp_path / "data"))
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
