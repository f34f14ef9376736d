"""Maps: the home page shows every SWV region, each SWV and gemeente page where it lies."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import audit, build, ledger, maps
from generator.model import InputError


def features(spec_path: Path) -> list[dict[str, Any]]:
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    assert spec["usermeta"] == {"soort": maps.MAP_KIND}
    return list(spec["data"]["values"])


def roles(spec_path: Path) -> dict[str, str]:
    return {f["properties"]["gemeente_code"]: f["properties"]["rol"] for f in features(spec_path)}


def test_the_home_page_maps_every_current_gemeente_once_per_sector(tiny_site: Path) -> None:
    home = (tiny_site / "index.html").read_text(encoding="utf-8")
    for sector in ("po", "vo"):
        assert f'src="kaart-{sector}.svg"' in home
        codes = [
            f["properties"]["gemeente_code"]
            for f in features(tiny_site / f"kaart-{sector}.vl.json")
        ]
        assert codes == ["GM0001", "GM0002", "GM0003", "GM0004"]


def test_neighbouring_regions_get_different_colours() -> None:
    def tile(column: int) -> maps.Shape:
        return maps.Shape({}, (column, 0.0, column + 1.0, 1.0))

    shapes = {f"GM000{c}": tile(c) for c in range(4)}
    swv_of = {"GM0000": "PO1", "GM0001": "PO2", "GM0002": "PO3", "GM0003": "PO1"}
    colour = maps._colouring(swv_of, shapes)
    assert colour["GM0000"] == colour["GM0003"]  # one region, one colour
    assert colour["GM0000"] != colour["GM0001"] != colour["GM0002"]  # touching regions differ
    assert colour["GM0003"] != colour["GM0002"]


def test_an_swv_map_marks_its_gemeenten_and_the_split_one(tiny_site: Path) -> None:
    page = tiny_site / "swv" / "PO2001"
    assert 'src="kaart.svg"' in (page / "index.html").read_text(encoding="utf-8")
    found = roles(page / "kaart.vl.json")
    assert found["GM0001"] == found["GM0002"] == "in deze regio"
    assert found["GM0003"] == "deels in deze regio (per postcode)"
    assert found.get("GM0004", "andere gemeente") == "andere gemeente"


def test_a_gemeente_map_marks_the_gemeente_and_its_po_region(tiny_site: Path) -> None:
    found = roles(tiny_site / "gemeente" / "GM0001" / "kaart.vl.json")
    assert found["GM0001"] == "deze gemeente"
    assert found["GM0002"] == "zelfde samenwerkingsverband po"


def test_a_map_text_names_each_gemeente_in_the_colour_it_is_drawn(tiny_site: Path) -> None:
    named = {"#1f5a96": "blauw", "#b3471b": "oranje", "#d6d6d6": "grijs"}
    for page, code, role in (
        ("gemeente/GM0001", "GM0001", "deze gemeente"),
        ("swv/PO2001", "PO2001", "in deze regio"),
    ):
        spec = json.loads((tiny_site / page / "kaart.vl.json").read_text(encoding="utf-8"))
        scale = spec["encoding"]["color"]["scale"]
        colour = named[scale["range"][scale["domain"].index(role)]]
        html = (tiny_site / page / "index.html").read_text(encoding="utf-8")
        names = {
            f["properties"]["gemeente_code"]: f["properties"]["naam"]
            for f in features(tiny_site / page / "kaart.vl.json")
        }
        subject = names.get(code, "gemeenten")  # an SWV map counts its gemeenten
        assert f"{subject} in {colour}" in spec["description"]
        assert spec["description"] in html


def test_exterior_rings_are_clockwise_as_vega_draws_them(tiny_site: Path) -> None:
    for feature in features(tiny_site / "kaart-po.vl.json"):
        for polygon in feature["geometry"]["coordinates"]:
            ring = polygon[0]
            area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))
            assert area < 0, feature["properties"]


def test_a_map_that_carries_a_count_fails_the_audit(
    tiny_site: Path, tmp_path: Path, tiny_data: Path
) -> None:
    site = Path(shutil.copytree(tiny_site, tmp_path / "site"))
    spec_path = site / "swv" / "PO2001" / "kaart.vl.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    spec["data"]["values"][0]["properties"]["leerlingen"] = 3
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    data = build.inputs(tiny_data)
    report = audit.audit(site, data.model, ledger.EMPTY)
    assert any(line.startswith("C5") and "kaart.vl.json" in line for line in report.failures)


def test_a_broken_boundary_file_is_named_with_its_feature(tiny_data: Path) -> None:
    path = tiny_data / "referentie" / "gemeentegrenzen.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"][1]["geometry"] = {"type": "Point", "coordinates": [5.0, 52.0]}
    path.write_text(json.dumps(collection), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        build.inputs(tiny_data)
    assert raised.value.lines == [
        "referentie/gemeentegrenzen.geojson, feature 2: ongeldige gemeentegrens "
        "(type Point is geen (Multi)Polygon)"
    ]


def test_without_boundaries_the_site_has_no_maps(tiny_data: Path, tmp_path: Path) -> None:
    descriptor = tiny_data / "referentie" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["resources"] = [r for r in package["resources"] if r["name"] != maps.RESOURCE]
    descriptor.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    (tiny_data / "referentie" / "gemeentegrenzen.geojson").unlink()
    site = tmp_path / "site"
    build.build(tiny_data, site, tmp_path / "cache")
    assert not list(site.rglob("kaart*"))
    assert "kaart" not in (site / "index.html").read_text(encoding="utf-8")
