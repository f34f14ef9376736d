"""Finding things: the indexes of SWVs and gemeenten and the search index zoekindex.json."""

import json
import re
from pathlib import Path

from generator import lookup
from generator.derive import derive
from generator.model import Regions
from generator.packages import load_catalog
from generator.regions import regions

DATASETS = (("leerlingen-cluster-1-2", "Leerlingen cluster 1 en 2"),)


def load_regions(data: Path) -> Regions:
    return regions(derive(load_catalog(data)))


def test_fold_ignores_case_and_accents() -> None:
    assert lookup.fold("Fryslân") == "fryslan"
    assert lookup.fold("SÚDWEST-Fryslân") == "sudwest-fryslan"
    assert lookup.anchor("Noord-Brabant") == "noord-brabant"
    assert lookup.anchor("Fryslân") == "fryslan"


def test_gemeenten_are_listed_by_name_with_their_swvs_and_postcodes(tiny_data: Path) -> None:
    entries = lookup.gemeente_entries(load_regions(tiny_data))
    assert [g.naam for g in entries] == ["Aalbroek", "Beekveen", "Dalwijk", "Eemhorst"]
    dalwijk = entries[2]
    assert (dalwijk.code, dalwijk.provincie, dalwijk.url) == (
        "GM0003",
        "Groningen",
        "gemeente/GM0003/",
    )
    assert [(s.url, s.note) for s in dalwijk.swvs] == [
        ("swv/PO2001/", "alleen postcodes 9301, 9302"),
        ("swv/PO2002/", "alleen postcodes 9303, 9304"),
        ("swv/VO2002/", ""),
    ]
    assert dalwijk.swvs[0].label == "PO2001 · Samenwerkingsverband Passend Onderwijs Proefdal"


def test_swvs_are_listed_by_code_with_provincies_and_gemeenten(tiny_data: Path) -> None:
    entries = {s.code: s for s in lookup.swv_entries(load_regions(tiny_data))}
    assert list(entries) == ["PO2001", "PO2002", "VO0001", "VO2001", "VO2002"]
    assert entries["PO2002"].provincies == ("Drenthe", "Groningen")
    assert [g.label for g in entries["PO2002"].gemeenten] == ["Dalwijk", "Eemhorst"]
    assert entries["PO2002"].gemeenten[0].note == "alleen postcodes 9303, 9304"
    assert entries["VO0001"].provincies == () and entries["VO0001"].gemeenten == ()


def test_gemeenten_are_grouped_by_provincie(tiny_data: Path) -> None:
    groups = lookup.provincies(lookup.gemeente_entries(load_regions(tiny_data)))
    assert [(p.naam, p.anchor) for p in groups] == [
        ("Drenthe", "drenthe"),
        ("Groningen", "groningen"),
    ]
    assert [g.naam for g in groups[1].gemeenten] == ["Aalbroek", "Beekveen", "Dalwijk"]
    assert lookup.provincie_url("Drenthe") == "gemeente/#drenthe"


def test_the_search_index_holds_names_codes_and_relations_only(tiny_data: Path) -> None:
    found = load_regions(tiny_data)
    text = lookup.index_json(found, DATASETS)
    index = json.loads(text)
    assert set(index) == {"versie", "swv", "gemeenten", "datasets"}
    assert [g["code"] for g in index["gemeenten"]] == ["GM0001", "GM0002", "GM0003", "GM0004"]
    assert "GM0005" not in text  # merged away: no page, so not findable
    dalwijk = index["gemeenten"][2]
    assert dalwijk == {
        "code": "GM0003",
        "naam": "Dalwijk",
        "provincie": "Groningen",
        "url": "gemeente/GM0003/",
        "swvs": ["PO2001", "PO2002", "VO2002"],
    }
    po2001 = index["swv"][0]
    assert set(po2001) == {"code", "naam", "sector", "url", "provincies", "gemeenten"}
    assert po2001["gemeenten"] == ["GM0001", "GM0002", "GM0003"]
    assert index["datasets"] == [
        {
            "naam": "leerlingen-cluster-1-2",
            "titel": "Leerlingen cluster 1 en 2",
            "url": "datasets/leerlingen-cluster-1-2/",
        }
    ]
    assert lookup.index_json(found, DATASETS) == text  # deterministic


def test_the_shipped_search_index_names_every_swv_and_gemeente_page(shipped_site: Path) -> None:
    index = json.loads((shipped_site / "zoekindex.json").read_text(encoding="utf-8"))
    pages = {
        p.parent.relative_to(shipped_site).as_posix() + "/"
        for p in shipped_site.glob("*/*/index.html")
    }
    listed = {e["url"] for e in index["swv"] + index["gemeenten"] + index["datasets"]}
    assert listed == {p for p in pages if p.split("/")[0] in ("swv", "gemeente", "datasets")}
    codes = {s["code"] for s in index["swv"]}
    assert all(set(g["swvs"]) <= codes and g["swvs"] for g in index["gemeenten"])


def test_pages_load_only_the_sites_own_scripts(shipped_site: Path) -> None:
    """The Content-Security-Policy allows scripts from the site only: no inline code."""
    inline = re.compile(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))[^>]*>")
    offenders = [
        p.relative_to(shipped_site).as_posix()
        for p in shipped_site.rglob("*.html")
        if inline.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    home = (shipped_site / "index.html").read_text(encoding="utf-8")
    assert '<script src="assets/zoeken.js" defer></script>' in home
    script = (shipped_site / "assets" / "zoeken.js").read_text(encoding="utf-8")
    assert not re.search(r"\beval\(|new Function|innerHTML|setTimeout\(\"", script)
