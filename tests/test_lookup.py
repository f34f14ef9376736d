"""Finding things: the indexes of SWVs and gemeenten and the search index zoekindex.json."""

import json
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
