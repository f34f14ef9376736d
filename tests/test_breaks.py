"""A gemeente merger breaks its series: the chart marks the break and its text says so."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator import build, charts, config, pages, render
from generator.model import MaskedView


def verzuim_of(data_dir: Path, code: str) -> MaskedView:
    inputs = build.inputs(data_dir)
    masked = build.protected(inputs)
    view = masked.views[("langdurig-relatief-verzuim", "verzuim", "gemeente")]
    return view.by_entity()[code]


def test_a_merger_inside_the_series_is_a_dashed_rule_with_a_label(tiny_data: Path) -> None:
    masked = verzuim_of(tiny_data, "GM0001")
    years = sorted(masked.frame["schooljaar"].astype(str).unique())
    year = int(years[1][:4])  # merged after the first schooljaar: a break at the second
    chart = charts.chart_for(masked, {"GM0001": "Aalbroek"}, {"GM0001": (year,)})
    assert chart is not None
    lines, rule, label = chart.spec["layer"]
    assert lines["mark"]["type"] == "line"
    assert rule["mark"]["type"] == "rule" and rule["mark"]["strokeDash"]
    assert rule["data"]["values"] == [{"x": years[1], "tekst": "herindeling Aalbroek"}]
    assert label["encoding"]["text"]["field"] == "tekst"
    assert f"Vanaf {years[1]} telt Aalbroek ook een samengevoegde gemeente mee" in (
        chart.description
    )
    assert chart.spec["data"]["values"], "the data stays at the top, where the audit reads it"


def test_a_merger_before_or_at_the_start_of_the_series_is_no_break(tiny_data: Path) -> None:
    masked = verzuim_of(tiny_data, "GM0001")
    first = int(sorted(masked.frame["schooljaar"].astype(str).unique())[0][:4])
    for year in (first - 3, first):
        chart = charts.chart_for(masked, {}, {"GM0001": (year,)})
        assert chart is not None
        assert "layer" not in chart.spec
        assert "herindeling" not in chart.description


def test_the_shipped_site_marks_each_merger_on_the_gemeente_it_formed(shipped_site: Path) -> None:
    for code, year in [("GM0490", 2018), ("GM0254", 2020)]:
        path = shipped_site / "gemeente" / code / "langdurig-relatief-verzuim.vl.json"
        rules = json.loads(path.read_text(encoding="utf-8"))["layer"][1]["data"]["values"]
        assert f"{year}-{year + 1}" in [rule["x"] for rule in rules]
        page = (shipped_site / "gemeente" / code / "index.html").read_text(encoding="utf-8")
        assert f"herindeling per 1 januari {year}" in page


def moved(tiny_data: Path, gemeente: str, swv: str, year: int) -> Path:
    """The tiny data with ``gemeente`` in ``swv`` from ``year`` on, as add-peiljaar --verhuisd
    leaves it: a new row, and the old indeling of the sector holds until ``year``."""
    path = tiny_data / "referentie" / "gemeente_swv.csv"
    path.write_text(path.read_text(encoding="utf-8") + f"{gemeente},{swv},{year},\n")
    return tiny_data


def test_a_gemeente_that_changed_swv_breaks_both_swvs_series(tiny_data: Path) -> None:
    data = build.inputs(moved(tiny_data, "GM0004", "PO2001", 2017))
    masked = build.protected(data)
    changes = charts.region_changes(data.regions.history)
    assert changes == {
        "PO2001": (charts.RegionChange("GM0004", 2017, True),),
        "PO2002": (charts.RegionChange("GM0004", 2017, False),),
        "GM0004": (
            charts.RegionChange("PO2001", 2017, True),
            charts.RegionChange("PO2002", 2017, False),
        ),
    }
    names = {"GM0004": "Eemhorst"}
    cbs = "leerlingen-speciaal-onderwijs-gemeente"

    def chart(resource: str, level: str, code: str) -> str:
        view = masked.views[(cbs, resource, level)].by_entity()[code]
        made = charts.chart_for(view, names, changes=changes)
        assert made is not None
        return made.description

    joined = "Vanaf 2017-2018 hoort Eemhorst bij PO2001: de reeks van PO2001 telt Eemhorst "
    left = "Vanaf 2017-2018 hoort Eemhorst niet meer bij PO2002: de reeks van PO2002 telt "
    assert joined in chart("leerlingen_huidige_gemeenten", "swv", "PO2001")
    assert left in chart("leerlingen_huidige_gemeenten", "swv", "PO2002")
    comparison = chart("vergelijking_gemeenten", "gemeente", "GM0004")
    assert "Vanaf 2017-2018 hoort Eemhorst bij PO2001" in comparison
    assert "niet meer" not in comparison  # the old SWV's line simply ends there
    assert "hoort" not in chart("leerlingen_huidige_gemeenten", "gemeente", "GM0004")


def test_the_first_indeling_is_no_change(tiny_data: Path) -> None:
    data = build.inputs(tiny_data)
    assert charts.region_changes(data.regions.history) == {}


def test_region_lists_say_since_and_until_when_a_gemeente_belonged(tiny_data: Path) -> None:
    data = build.inputs(moved(tiny_data, "GM0004", "PO2001", 2017))
    made = pages.site_plan(
        data.catalog, data.regions, build.protected(data), charts.chart_for, config.CONTENT
    )
    html = {p.url: render.render(p, demo=True) for p in made}
    gemeente = html[config.gemeente_url("GM0004")]
    assert re.search(r">PO2001[^<]*</a> <span class=\"note\">\(sinds 2017\)</span>", gemeente)
    assert re.search(r">PO2002[^<]*</a> <span class=\"note\">\(tot 2017\)</span>", gemeente)
    new, old = html[config.swv_url("PO2001")], html[config.swv_url("PO2002")]
    assert re.search(r">Eemhorst</a> <span class=\"note\">\(sinds 2017\)</span>", new)
    assert re.search(r">Eemhorst</a> <span class=\"note\">\(tot 2017\)</span>", old)
    assert "sinds" not in html[config.swv_url("VO2002")]
