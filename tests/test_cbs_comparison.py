"""Each gemeente beside its SWVs and the country, each SWV beside its size class and the
country: special education per 1,000 pupils (CBS).

The tiny fixture: GM0003 is split over PO2001 and PO2002 and lies in VO2002 alone.
"""

from __future__ import annotations

import csv
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from generator import audit, build, cbs_comparison, packages, sightings
from generator.model import Membership, Resource, ViewCells

CBS = "leerlingen-speciaal-onderwijs-gemeente"
CSV = f"{CBS}-vergelijking_gemeenten"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def source(tiny_data: Path) -> Resource:
    """The CBS resource of today's gemeenten with hand-made counts (one schooljaar)."""
    counts = {
        "GM1": {"bao": 180, "sbao": 10, "so": 10, "vo": 90, "vso": 10},
        "GM2": {"bao": 990, "sbao": 10, "so": 0, "vo": 400, "vso": 0},
    }
    frame = pd.DataFrame(
        [
            (g, soort, "2020-2021", n, 1, False, soort == "vso" and g == "GM2")
            for g, by_soort in counts.items()
            for soort, n in by_soort.items()
        ],
        columns=[
            "gemeente_code",
            "onderwijssoort",
            "schooljaar",
            "aantal",
            "aantal_gemeenten_bron",
            "onvolledig",
            "voorlopig",
        ],
    )
    resource = packages.load_catalog(tiny_data).resource(CBS, cbs_comparison.SOURCE)
    return replace(resource, frame=frame.astype({"aantal": "Int64"}))


INDELING = tuple(
    Membership(g, swv)
    for g, swv in [
        ("GM1", "PO0001"),
        ("GM2", "PO0001"),
        ("GM2", "PO0002"),
        ("GM1", "VO0001"),
        ("GM2", "VO0001"),
    ]
)


def figures(resource: Resource, gemeente: str, sector: str) -> dict[str, tuple[int, int, float]]:
    frame = resource.frame
    chosen = frame[(frame["gemeente_code"] == gemeente) & (frame["sector"] == sector)]
    return {
        r["gebied"]: (int(r["speciaal"]), int(r["leerlingen"]), float(r["per_1000"]))
        for r in chosen.to_dict("records")
    }


def test_a_group_figure_is_the_ratio_of_sums_with_a_split_gemeente_in_full_at_each(
    source: Resource,
) -> None:
    compared = cbs_comparison.comparison(source, INDELING)
    # po: sbao and so among bao, sbao and so; GM1 20/200, GM2 10/1000.
    assert figures(compared, "GM2", "po") == {
        "GM2": (10, 1000, 10.0),
        "PO0001": (30, 1200, 25.0),  # not the average of 100 and 10 per 1,000
        "PO0002": (10, 1000, 10.0),
        "landelijk": (30, 1200, 25.0),  # the split gemeente counts once in the country
    }
    assert figures(compared, "GM1", "po") == {
        "GM1": (20, 200, 100.0),
        "PO0001": (30, 1200, 25.0),
        "landelijk": (30, 1200, 25.0),
    }
    # vo: vso among vo and vso.
    assert figures(compared, "GM1", "vo") == {
        "GM1": (10, 100, 100.0),
        "VO0001": (10, 500, 20.0),
        "landelijk": (10, 500, 20.0),
    }


def test_a_gemeente_that_changed_swv_is_compared_with_the_swv_of_each_year(
    source: Resource, tiny_data: Path
) -> None:
    """GM2 leaves PO0002 for PO0003 from 2021: 2020-2021 is still PO0002's, 2021-2022 PO0003's."""
    later = source.frame.assign(schooljaar="2021-2022")
    counts = replace(source, frame=pd.concat([source.frame, later], ignore_index=True))
    history = (
        *(m for m in INDELING if m.swv != "PO0002"),
        Membership("GM2", "PO0002", vanaf=2014, tot=2021),
        Membership("GM2", "PO0003", vanaf=2021, first=False),
    )
    frame = cbs_comparison.comparison(counts, history).frame
    po = frame[(frame["gemeente_code"] == "GM2") & (frame["sector"] == "po")]
    years = po.groupby("gebied")["schooljaar"].apply(sorted).to_dict()
    assert years["PO0002"] == ["2020-2021"]
    assert years["PO0003"] == ["2021-2022"]
    assert years["PO0001"] == ["2020-2021", "2021-2022"]  # the other half of the split stays
    code = packages.load_catalog(tiny_data).resource("referentie", "swv").fields[0]
    swvs = cbs_comparison.swv_comparison(counts, history, replace(code, name="swv_code")).frame
    own = swvs[swvs["gebied"] == swvs["swv_code"]].set_index(["swv_code", "schooljaar"])
    assert int(own.loc[("PO0002", "2020-2021"), "leerlingen"]) == 1000
    assert ("PO0002", "2021-2022") not in own.index
    assert int(own.loc[("PO0003", "2021-2022"), "leerlingen"]) == 1000
    assert ("PO0003", "2020-2021") not in own.index


def test_a_provisional_part_makes_the_group_figure_provisional(source: Resource) -> None:
    frame = cbs_comparison.comparison(source, INDELING).frame
    vo = frame[frame["sector"] == "vo"].set_index(["gemeente_code", "gebied"])["voorlopig"]
    assert vo[("GM1", "GM1")] == False  # noqa: E712 (a pandas boolean)
    assert vo[("GM1", "VO0001")] == True  # noqa: E712
    assert vo[("GM1", "landelijk")] == True  # noqa: E712


def test_a_gemeente_page_compares_it_with_each_of_its_swvs_and_the_country(
    tiny_site: Path,
) -> None:
    folder = tiny_site / "gemeente" / "GM0003"
    shown = rows(folder / f"{CSV}.csv")
    areas = {(r["sector"], r["gebied"]) for r in shown}
    assert areas == {
        ("po", "GM0003"),
        ("po", "PO2001"),
        ("po", "PO2002"),
        ("po", "landelijk"),
        ("vo", "GM0003"),
        ("vo", "VO2002"),
        ("vo", "landelijk"),
    }
    spec = json.loads((folder / f"{CSV}.vl.json").read_text(encoding="utf-8"))
    text = spec["description"]
    assert "SWV PO2001" in text and "SWV PO2002" in text and "landelijk" in text
    assert {p["reeks"] for p in spec["data"]["values"]} >= {"po · SWV PO2001", "vo · Nederland"}
    lines = spec["layer"][0] if "layer" in spec else spec
    legend = lines["encoding"]["color"]["legend"]
    assert legend["columns"] == 4, "one legend row per sector: gemeente, two SWVs, the country"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Vergelijking met de samenwerkingsverbanden en het land" in page
    assert "som van de tellers gedeeld door de som van de noemers" in page


def test_the_national_figure_sums_every_current_gemeente(tiny_site: Path) -> None:
    every = rows(tiny_site / "datasets" / CBS / f"{CBS}-leerlingen_huidige_gemeenten.csv")
    jaar = "2017-2018"
    vso = sum(
        int(r["aantal"]) for r in every if r["onderwijssoort"] == "vso" and r["schooljaar"] == jaar
    )
    vo = sum(
        int(r["aantal"]) for r in every if r["onderwijssoort"] == "vo" and r["schooljaar"] == jaar
    )
    shown = rows(tiny_site / "gemeente" / "GM0001" / f"{CSV}.csv")
    national = next(
        r for r in shown if (r["sector"], r["gebied"], r["schooljaar"]) == ("vo", "landelijk", jaar)
    )
    assert (int(national["speciaal"]), int(national["leerlingen"])) == (vso, vo + vso)
    assert float(national["per_1000"]) == round(vso / (vo + vso) * 1000, 1)


def test_the_audit_reads_a_drawn_share_and_refuses_one_that_differs_from_its_data(
    tiny_site: Path, tmp_path: Path, tiny_data: Path
) -> None:
    site = Path(shutil.copytree(tiny_site, tmp_path / "site"))
    data = build.inputs(tiny_data)
    assert audit.audit(site, data.model, data.register).passed
    path = site / "gemeente" / "GM0003" / f"{CSV}.vl.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    point = next(p for p in spec["data"]["values"] if p["y"] is not None)
    point["y"] = round(point["y"] + 0.1, 1)
    path.write_text(json.dumps(spec), encoding="utf-8")
    report = audit.audit(site, data.model, data.register)
    assert any("getekend punt" in line and "GM0003" in line for line in report.failures)


def test_only_a_share_of_counts_rounded_at_the_source_may_be_drawn() -> None:
    def view(rounded: dict[str, int]) -> ViewCells:
        cells = {"actueel": np.array([0])} if "actueel" not in rounded else {}
        inputs = {"aandeel": ("actueel", "leerlingen")}
        return ViewCells(("k",), pd.DataFrame({"k": ["a"]}), cells, inputs, rounded)

    assert sightings._from_rounded("aandeel", view({"actueel": 10, "leerlingen": 10}))
    assert not sightings._from_rounded("aandeel", view({"leerlingen": 10}))
    assert not sightings._from_rounded("leerlingen", view({"leerlingen": 10}))


def twelve_swvs(source: Resource) -> tuple[Resource, tuple[Membership, ...]]:
    """Twelve po SWVs of one gemeente each (two size classes of six); SWV i has 100 × (i + 1)
    bao pupils in 2019-2020 and 100 × (12 − i) in 2020-2021, and 10 in sbao every year."""
    sizes = {"2019-2020": lambda i: 100 * (i + 1), "2020-2021": lambda i: 100 * (12 - i)}
    counts = [
        (f"GM{i:02d}", soort, jaar, size(i) if soort == "bao" else 10, 1, False, False)
        for i in range(12)
        for jaar, size in sizes.items()
        for soort in ("bao", "sbao")
    ]
    frame = pd.DataFrame(counts, columns=list(source.frame.columns))
    indeling = tuple(Membership(f"GM{i:02d}", f"PO00{i:02d}") for i in range(12))
    return replace(source, frame=frame.astype({"aantal": "Int64"})), indeling


def test_an_swv_is_compared_with_its_size_class_of_the_first_year_and_the_country(
    source: Resource, tiny_data: Path
) -> None:
    counts, indeling = twelve_swvs(source)
    code = packages.load_catalog(tiny_data).resource("referentie", "swv").fields[0]
    compared = cbs_comparison.swv_comparison(counts, indeling, replace(code, name="swv_code"))
    frame = compared.frame[compared.frame["swv_code"] == "PO0000"]
    found = {
        (r["gebied"], r["schooljaar"]): (int(r["speciaal"]), int(r["leerlingen"]), r["per_1000"])
        for r in frame.to_dict("records")
    }
    # The class is PO0000–PO0005 (the smallest in 2019-2020), also in 2020-2021, when they
    # are the largest: a class does not change when a year is added.
    assert found[("PO0000", "2020-2021")] == (10, 1210, 8.3)
    assert found[("klasse", "2020-2021")] == (60, 100 * (12 + 11 + 10 + 9 + 8 + 7) + 60, 10.4)
    assert found[("landelijk", "2020-2021")] == (120, 100 * 78 + 120, 15.2)
    assert found[("klasse", "2019-2020")] == (60, 100 * 21 + 60, 27.8)
    assert list(dict.fromkeys(frame["gebied"])) == ["PO0000", "klasse", "landelijk"]


def test_an_swv_page_compares_it_with_its_size_class_and_the_country(tiny_site: Path) -> None:
    folder = tiny_site / "swv" / "PO2001"
    name = f"{CBS}-vergelijking_swv"
    assert {r["gebied"] for r in rows(folder / f"{name}.csv")} == {"PO2001", "klasse", "landelijk"}
    spec = json.loads((folder / f"{name}.vl.json").read_text(encoding="utf-8"))
    assert "vergelijkbare omvang" in spec["description"]
    lines = spec["layer"][0] if "layer" in spec else spec
    assert lines["encoding"]["color"]["legend"]["columns"] == 3
    series = list(dict.fromkeys(p["reeks"] for p in spec["data"]["values"]))
    assert series == ["po · SWV PO2001", "po · vergelijkbare omvang", "po · Nederland"]
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert "Vergelijking met vergelijkbare samenwerkingsverbanden en het land" in page
