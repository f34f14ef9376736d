"""Stages 6 and 7, charts and svg: valid Vega-Lite specs, gaps for suppressed values, SVG."""

import json
import re
from pathlib import Path
from typing import Any

import pytest
from altair.utils.schemapi import validate_jsonschema
from altair.vegalite.v6.schema.core import load_schema

from generator import build, charts, svg
from generator.model import Chart, Masked, Regions

CLUSTER_GEMEENTE = ("leerlingen-cluster-1-2", "leerlingen", "gemeente")
ZICHTPUNT = "Expertisecentrum Zichtpunt locatie Aalbroek"


def load(data: Path) -> tuple[Masked, dict[str, str]]:
    inputs = build.inputs(data)
    return build.protected(inputs), display_names(inputs.regions)


def display_names(found: Regions) -> dict[str, str]:
    names = {code: g.naam for code, g in found.gemeenten.items()}
    names.update({code: v.naam for code, v in found.vestigingen.items()})
    names.update({code: s.naam for code, s in found.swvs.items()})
    return names


def chart_of(masked: Masked, names: dict[str, str], key: tuple[str, str, str], code: str) -> Chart:
    chart = charts.chart_for(masked.views[key].by_entity()[code], names)  # type: ignore[index]
    assert chart is not None
    return chart


def every_chart(masked: Masked, names: dict[str, str]) -> list[Chart]:
    found = []
    for key in charts.KINDS:
        for part in masked.views[key].by_entity().values():
            chart = charts.chart_for(part, names)
            if chart is not None:
                found.append(chart)
    return found


def points(chart: Chart) -> list[dict[str, Any]]:
    """The drawn points, without ``rij`` (each point's row key, for the audit)."""
    return [{k: v for k, v in p.items() if k != "rij"} for p in chart.spec["data"]["values"]]


@pytest.mark.parametrize("key", list(charts.KINDS), ids="/".join)
def test_each_chart_kind_gives_a_valid_vega_lite_spec(
    tiny_data: Path, key: tuple[str, str, str]
) -> None:
    masked, names = load(tiny_data)
    parts = masked.views[key].by_entity()  # type: ignore[index]
    assert parts
    chart = charts.chart_for(parts[sorted(parts)[0]], names)
    assert chart is not None
    validate_jsonschema(json.loads(chart.spec_json), load_schema())
    assert chart.spec["data"]["values"]
    assert chart.spec["description"] == chart.description


def test_each_point_names_its_row_and_the_chart_its_source(tiny_data: Path) -> None:
    masked, names = load(tiny_data)
    chart = chart_of(masked, names, CLUSTER_GEMEENTE, "GM0001")
    source = chart.spec["usermeta"]["bron"]
    assert source["kolom"] == "aantal_leerlingen"
    assert source["sleutel"] == [
        "gemeente_code",
        "peiljaar",
        "vestiging_code",
        "cluster",
        "onderwijssoort",
    ]
    assert chart.spec["data"]["values"][0]["rij"] == ["GM0001", "2023", "01AB00", "1", "so"]


def test_a_view_without_a_chart_kind_gets_no_chart(tiny_data: Path) -> None:
    masked, names = load(tiny_data)
    financien = masked.views[("passend-onderwijs-swv", "financien", "swv")].by_entity()
    assert charts.chart_for(financien["PO2001"], names) is None


def test_suppressed_values_are_null_in_the_chart_data_and_zeros_stay_zero(
    tiny_data: Path,
) -> None:
    masked, names = load(tiny_data)
    chart = chart_of(masked, names, CLUSTER_GEMEENTE, "GM0001")
    # 01AB00 (cluster 1): 2023 so 3, vso 0; 2024 so 4, vso 1; 2025 so 2, vso 0
    assert points(chart) == [
        {"x": "2023", "y": None, "reeks": f"{ZICHTPUNT} · so"},
        {"x": "2023", "y": 0, "reeks": f"{ZICHTPUNT} · vso"},
        {"x": "2024", "y": None, "reeks": f"{ZICHTPUNT} · so"},
        {"x": "2024", "y": None, "reeks": f"{ZICHTPUNT} · vso"},
        {"x": "2025", "y": None, "reeks": f"{ZICHTPUNT} · so"},
        {"x": "2025", "y": 0, "reeks": f"{ZICHTPUNT} · vso"},
    ]
    assert '"y":null' in chart.spec_json


def test_published_values_reach_the_chart_unchanged(tiny_data: Path) -> None:
    masked, names = load(tiny_data)
    chart = chart_of(masked, names, ("leerlingen-cluster-1-2", "leerlingen", "swv"), "PO2002")
    # PO2002 holds only 02CD00 (cluster 2): so 12, 14, 13 and vso 5, 6, 4 in 2023-2025
    by_point = {(p["x"], p["reeks"]): p["y"] for p in points(chart)}
    assert by_point == {
        ("2023", "cluster 2 · so"): 12,
        ("2023", "cluster 2 · vso"): 5,
        ("2024", "cluster 2 · so"): 14,
        ("2024", "cluster 2 · vso"): 6,
        ("2025", "cluster 2 · so"): 13,
        ("2025", "cluster 2 · vso"): None,
    }


def test_the_description_shows_no_suppressed_value_and_counts_the_afgeschermde(
    tiny_data: Path,
) -> None:
    masked, names = load(tiny_data)
    chart = chart_of(masked, names, CLUSTER_GEMEENTE, "GM0001")
    # In 2025 the unmasked highest value is 2 (so, suppressed); the highest published one is 0.
    assert chart.description == (
        "Lijngrafiek van aantal leerlingen per peiljaar, 2023 tot en met 2025, in 2 reeksen. "
        "In 2025 is de hoogste gepubliceerde waarde 0. 4 waarden zijn afgeschermd."
    )


def test_every_description_names_a_published_highest_value_and_the_number_hidden(
    tiny_data: Path,
) -> None:
    masked, names = load(tiny_data)
    found = every_chart(masked, names)
    assert len(found) > 10
    for chart in found:
        values = points(chart)
        hidden = sum(1 for p in values if p["y"] is None)
        if "niet te berekenen" in chart.description:  # a share of no pupils: not suppressed
            said = re.findall(r"(\d+) waarden? (?:is|zijn) afgeschermd", chart.description)
            hidden = int(said[0]) if said else 0
        if hidden:
            word = "waarde is" if hidden == 1 else "waarden zijn"
            assert chart.description.endswith(f" {hidden} {word} afgeschermd."), chart.description
        else:
            assert "afgeschermd" not in chart.description
        highest = re.search(
            r"In (\S+) is de hoogste gepubliceerde waarde ([\d.]+(?:,\d)?)\.", chart.description
        )
        published = [p for p in values if p["y"] is not None]
        if not published:
            assert highest is None
            continue
        assert highest is not None, chart.description
        latest = max(p["x"] for p in published)
        assert highest.group(1) == latest
        expected = max(p["y"] for p in published if p["x"] == latest)
        assert float(highest.group(2).replace(".", "").replace(",", ".")) == expected


def test_a_chart_with_every_value_suppressed_says_so_and_names_no_value(tiny_data: Path) -> None:
    masked, names = load(tiny_data)
    key = ("langdurig-relatief-verzuim", "verzuim", "swv")
    chart = chart_of(masked, names, key, "PO2001")
    # po actueel of GM0001 (4, 3) and GM0002 (1, 1) are small; GM0003's verhuisd (2, 1) is small,
    # so its actueel (derived from it) is suppressed too.
    assert [p["y"] for p in points(chart)] == [None] * 6
    assert {p["reeks"] for p in points(chart)} == {"Aalbroek", "Beekveen", "Dalwijk"}
    assert chart.description == (
        "Lijngrafiek van actueel per schooljaar, 2022-2023 tot en met 2023-2024, in 3 reeksen. "
        "6 waarden zijn afgeschermd."
    )


def test_svg_render_draws_a_chart_offline(tiny_data: Path) -> None:
    masked, names = load(tiny_data)
    chart = chart_of(masked, names, ("leerlingen-cluster-1-2", "leerlingen", "swv"), "PO2002")
    drawn = svg.render(chart.spec_json)
    assert drawn.startswith("<svg")
    assert drawn.rstrip().endswith("</svg>")


def test_svg_render_refuses_a_spec_that_needs_a_data_file() -> None:
    spec = {
        "data": {"url": "missing.csv"},
        "mark": "line",
        "encoding": {
            "x": {"field": "x", "type": "ordinal"},
            "y": {"field": "y", "type": "quantitative"},
        },
    }
    with pytest.raises(ValueError, match="url"):
        svg.render(json.dumps(spec))


def test_svg_cache_renders_each_spec_once(tiny_data: Path, tmp_path: Path) -> None:
    masked, names = load(tiny_data)
    chart = chart_of(masked, names, ("leerlingen-cluster-1-2", "leerlingen", "swv"), "PO2002")
    first = svg.svgs([chart, chart], tmp_path / "cache")
    assert list(first) == [chart.digest]
    cached = tmp_path / "cache" / f"{chart.digest}.svg"
    drawn = cached.stat()
    assert svg.svgs([chart], tmp_path / "cache") == first
    assert (cached.stat().st_ino, cached.stat().st_mtime_ns) == (drawn.st_ino, drawn.st_mtime_ns)


def test_a_cached_drawing_changed_after_drawing_is_drawn_again(
    tiny_data: Path, tmp_path: Path
) -> None:
    masked, names = load(tiny_data)
    chart = chart_of(masked, names, ("leerlingen-cluster-1-2", "leerlingen", "swv"), "PO2002")
    first = svg.svgs([chart], tmp_path / "cache")
    (tmp_path / "cache" / f"{chart.digest}.svg").write_text("<svg>bewerkt</svg>")
    assert svg.svgs([chart], tmp_path / "cache") == first


def _luminance(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def test_every_series_colour_has_3_to_1_contrast_against_white(tiny_data: Path) -> None:
    masked, names = load(tiny_data)
    chart = chart_of(masked, names, CLUSTER_GEMEENTE, "GM0001")
    colours = chart.spec["encoding"]["color"]["scale"]["range"]
    assert colours == list(charts.PALETTE)
    assert all(1.05 / (_luminance(c) + 0.05) >= 3 for c in colours)


def test_every_text_of_a_chart_and_a_map_has_4_5_to_1_contrast(tiny_site: Path) -> None:
    """The interactive views draw these colours in the page, where axe cannot measure them."""
    specs = sorted(tiny_site.rglob("*.vl.json"))
    assert any(s.name.startswith("kaart") for s in specs)
    for path in specs:
        config = json.loads(path.read_text(encoding="utf-8"))["config"]
        colours = [config["title"]["color"], config["legend"]["labelColor"]]
        if "axis" in config:
            colours += [config["axis"]["labelColor"], config["axis"]["titleColor"]]
        assert all(1.05 / (_luminance(c) + 0.05) >= 4.5 for c in colours), path
