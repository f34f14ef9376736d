"""The CBS pupils per gemeente (rounded to tens at the source) on gemeente and SWV pages.

The tiny fixture: GM0005 merged into GM0001 in 2018; GM0003 is split over PO2001 and PO2002;
2018-2019 is provisional; GM0002 has zeros (0–4 at CBS).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from generator import audit, build, ledger

CSV = "leerlingen-speciaal-onderwijs-gemeente-leerlingen_huidige_gemeenten"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_gemeente_page_shows_its_series_with_zeros_as_fewer_than_five(tiny_site: Path) -> None:
    page = (tiny_site / "gemeente" / "GM0002" / "index.html").read_text(encoding="utf-8")
    assert "Leerlingen per huidige gemeente" in page
    table = page[page.index(f'data-bron="{CSV}.csv"') :]
    table = table[: table.index("</table>")]
    assert '<td class="num count">&lt;\u00a05</td>' in table
    assert '<td class="num count">0</td>' not in table
    assert "afgerond op tientallen" in page
    downloaded = rows(tiny_site / "gemeente" / "GM0002" / f"{CSV}.csv")
    assert {"0", "230", "240"} <= {r["aantal"] for r in downloaded}


def test_the_chart_text_marks_zeros_the_provisional_year_and_the_merger(tiny_site: Path) -> None:
    spec = json.loads((tiny_site / "gemeente" / "GM0002" / f"{CSV}.vl.json").read_text())
    assert "een 0 betekent <\u00a05" in spec["description"]
    assert "De cijfers van 2018-2019 zijn voorlopig." in spec["description"]
    assert {p["tekst"] for p in spec["data"]["values"] if p["y"] == 0} == {"<\u00a05"}
    merged = json.loads((tiny_site / "gemeente" / "GM0001" / f"{CSV}.vl.json").read_text())
    assert (
        "Vanaf 2018-2019 telt Aalbroek ook een samengevoegde gemeente mee"
        in (merged["description"])
    )
    labels = {p["tekst"] for p in merged["layer"][1]["data"]["values"]}
    assert labels == {"herindeling Aalbroek", "voorlopig"}
    heights = {p["tekst"]: p["hoogte"] for p in merged["layer"][-1]["data"]["values"]}
    assert heights == {"herindeling Aalbroek": 2, "voorlopig": 16}  # last period: to the left


def test_an_swv_sums_its_gemeenten_and_a_split_gemeente_counts_in_full_at_both(
    tiny_site: Path,
) -> None:
    gemeente = {
        (r["gemeente_code"], r["onderwijssoort"], r["schooljaar"]): r
        for code in ("GM0001", "GM0002", "GM0003", "GM0004")
        for r in rows(tiny_site / "gemeente" / code / f"{CSV}.csv")
    }
    for swv, members in {
        "PO2001": ("GM0001", "GM0002", "GM0003"),
        "PO2002": ("GM0003", "GM0004"),
    }.items():
        summed = rows(tiny_site / "swv" / swv / f"{CSV}.csv")
        so = {r["schooljaar"]: int(r["aantal"]) for r in summed if r["onderwijssoort"] == "so"}
        expected = {
            jaar: sum(int(gemeente[(g, "so", jaar)]["aantal"]) for g in members) for jaar in so
        }
        assert so == expected
        assert {r["onderwijssoort"] for r in summed} == {"sbao", "so"}
    page = (tiny_site / "swv" / "PO2002" / "index.html").read_text(encoding="utf-8")
    assert "telt bij elk volledig mee" in page
    assert "sommen van afgeronde getallen zijn bij benadering" in page
    vo = {r["onderwijssoort"] for r in rows(tiny_site / "swv" / "VO2002" / f"{CSV}.csv")}
    assert vo == {"vso", "vo"}


def test_the_swv_chart_marks_the_merger_of_one_of_its_gemeenten(tiny_site: Path) -> None:
    spec = json.loads((tiny_site / "swv" / "PO2001" / f"{CSV}.vl.json").read_text())
    assert "herindeling per 1 januari 2018" in spec["description"]
    other = json.loads((tiny_site / "swv" / "PO2002" / f"{CSV}.vl.json").read_text())
    assert "herindeling" not in other["description"]


def test_the_audit_refuses_an_unrounded_value_in_a_rounded_column(
    tiny_site: Path, tmp_path: Path, tiny_data: Path
) -> None:
    site = Path(shutil.copytree(tiny_site, tmp_path / "site"))
    data = build.inputs(tiny_data)
    assert audit.audit(site, data.model, data.register).passed
    path = site / "gemeente" / "GM0002" / f"{CSV}.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",230,", ",3,", 1), encoding="utf-8")
    report = audit.audit(site, data.model, ledger.read(tmp_path / "none.csv.gz"))
    assert not report.passed
    assert any("niet afgerond op 10" in line and "GM0002" in line for line in report.failures)


def test_the_audit_refuses_a_chart_of_a_column_that_is_no_count(
    tiny_site: Path, tmp_path: Path, tiny_data: Path
) -> None:
    site = Path(shutil.copytree(tiny_site, tmp_path / "site"))
    data = build.inputs(tiny_data)
    path = site / "gemeente" / "GM0002" / f"{CSV}.vl.json"
    spec = json.loads(path.read_text(encoding="utf-8"))
    spec["usermeta"]["bron"]["kolom"] = "aantal_gemeenten_bron"
    path.write_text(json.dumps(spec), encoding="utf-8")
    report = audit.audit(site, data.model, data.register)
    assert any("geen telling" in line for line in report.failures)
