"""The import on the hand-written source folder ``tests/data/sources`` (all formats, tiny)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from generator import packages
from generator.__main__ import main
from generator.importers import descriptors, import_sources

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests" / "data" / "sources"
SHIPPED = ROOT / "datapackages"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("import") / "data"
    import_sources(SOURCES, out)
    return out


def test_import_writes_every_package_the_sources_allow_and_they_validate(imported: Path) -> None:
    names = sorted(p.name for p in imported.iterdir())
    assert names == [
        "langdurig-relatief-verzuim",
        "leerlingen-cluster-1-2",
        "leerlingen-speciaal-onderwijs-gemeente",
        "passend-onderwijs-swv",
        "referentie",
    ]
    catalog = packages.load_catalog(imported)
    assert not any(p.is_demo for p in catalog.packages.values())


@pytest.mark.parametrize(
    "name",
    ["referentie", "leerlingen-cluster-1-2", "langdurig-relatief-verzuim", "passend-onderwijs-swv"],
)
def test_imported_schemas_are_the_shipped_schemas(imported: Path, name: str) -> None:
    shipped = json.loads((SHIPPED / name / "datapackage.json").read_text(encoding="utf-8"))
    ours = json.loads((imported / name / "datapackage.json").read_text(encoding="utf-8"))

    def shape(descriptor: dict) -> list:
        return [
            (
                r["name"],
                r["path"],
                [(f["name"], f["type"], f.get("constraints")) for f in r["schema"]["fields"]],
                r["schema"].get("primaryKey"),
                r["schema"].get("foreignKeys"),
            )
            for r in descriptor["resources"]
            if "schema" in r
        ]

    assert shape(ours) == shape(shipped)
    assert "demonstratiedata" not in ours
    assert "demonstratiedata" not in json.dumps(ours)
    for key in ("sources", "contributors", "licenses", "version", "changelog", "peildatum"):
        assert ours[key], key


def test_gemeenten_swv_and_herindelingen(imported: Path) -> None:
    ref = imported / "referentie"
    gemeenten = {r["code"]: r for r in rows(ref / "gemeenten.csv")}
    assert [c for c, r in gemeenten.items() if not r["geldig_tot"]] == [
        "GM0001",
        "GM0002",
        "GM0003",
    ]
    assert gemeenten["GM0004"]["geldig_tot"] == "2023"
    assert gemeenten["GM0003"]["provincie"] == "Fryslân"
    merges = {
        (r["jaar"], r["gemeente_oud"], r["gemeente_nieuw"]) for r in rows(ref / "herindelingen.csv")
    }
    assert merges == {
        ("2024", "GM0004", "GM0001"),
        ("2023", "GM0005", "GM0002"),
        ("2023", "GM0005", "GM0003"),
    }
    members = {
        (r["gemeente_code"], r["swv_code"]): r["postcodes"] for r in rows(ref / "gemeente_swv.csv")
    }
    assert members[("GM0003", "PO2001")] == "9301 9302"
    assert members[("GM0003", "PO2002")] == "9303 9304"
    assert members[("GM0001", "PO2001")] == ""  # Deltawoude (merged 2024) lay in PO2001 too
    swv = {r["code"]: r for r in rows(ref / "swv.csv")}
    assert sorted(swv) == ["PO2001", "PO2002", "VO0001", "VO2001"]
    assert swv["PO2001"]["naam"] == "PO2001 · Alfadorp, Gammaveen"


def test_gemeentegrenzen_follow_the_contract(imported: Path) -> None:
    descriptor = json.loads((imported / "referentie" / "datapackage.json").read_text("utf-8"))
    resource = descriptors.resource(descriptor, "gemeentegrenzen")
    assert (resource["path"], resource["format"], resource["mediatype"]) == (
        "gemeentegrenzen.geojson",
        "geojson",
        "application/geo+json",
    )
    assert resource["jaar"] == 2023 and "2023" in resource["description"]
    data = json.loads((imported / "referentie" / "gemeentegrenzen.geojson").read_text("utf-8"))
    assert data["type"] == "FeatureCollection"
    codes = [f["properties"]["gemeente_code"] for f in data["features"]]
    assert codes == ["GM0001", "GM0002", "GM0003"]  # sorted, GM0998 Buitenland dropped
    first = data["features"][0]
    assert first["properties"] == {"gemeente_code": "GM0001", "naam": "Alfadorp"}
    assert first["geometry"]["type"] == "MultiPolygon"  # with Deltawoude, merged in 2024
    points = [p for f in data["features"] for ring in _rings(f["geometry"]) for p in ring]
    assert all(round(x, 4) == x and round(y, 4) == y for x, y in points)
    assert [6.1235, 53.0123] in points


def _rings(geometry: dict) -> list:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    return [ring for polygon in polygons for ring in polygon]


def test_cbs_rows_per_source_gemeente_and_today(imported: Path) -> None:
    folder = imported / "leerlingen-speciaal-onderwijs-gemeente"
    source = {
        (r["gemeente_code"], r["onderwijssoort"], r["schooljaar"]): r
        for r in rows(folder / "leerlingen.csv")
    }
    assert source[("GM0004", "so", "2021-2022")]["aantal"] == "20"
    assert source[("GM0003", "so", "2021-2022")]["aantal"] == "0"  # CBS: 0 means 0-4
    assert ("GM0005", "so", "2022-2023") not in source  # did not exist: no row
    assert source[("GM0001", "so", "2023-2024")]["voorlopig"] == "true"
    today = {
        (r["gemeente_code"], r["onderwijssoort"], r["schooljaar"]): r
        for r in rows(folder / "leerlingen_huidige_gemeenten.csv")
    }
    merged = today[("GM0001", "so", "2021-2022")]
    assert (merged["aantal"], merged["aantal_gemeenten_bron"]) == ("140", "2")  # 120 + 20
    assert today[("GM0002", "so", "2021-2022")]["onvolledig"] == "true"  # part of Epsilonland
    assert today[("GM0002", "so", "2022-2023")]["onvolledig"] == "false"
    assert {k[0] for k in today} == {"GM0001", "GM0002", "GM0003"}


def test_duo_files_keep_suppressed_cells_empty_and_restore_codes(imported: Path) -> None:
    cluster = rows(imported / "leerlingen-cluster-1-2" / "leerlingen.csv")
    by_key = {
        (r["peiljaar"], r["vestiging_code"], r["onderwijssoort"]): r["aantal_leerlingen"]
        for r in cluster
    }
    assert by_key[("2023", "01AB00", "vso")] == ""  # "<5" at DUO
    assert by_key[("2023", "02CD00", "vso")] == ""  # empty at DUO
    assert by_key[("2024", "02CD00", "so")] == ""  # " <5 " with stray spaces
    assert by_key[("2024", "02CD01", "vso")] == "33"
    vestigingen = rows(imported / "referentie" / "schoolvestigingen.csv")
    assert vestigingen[0] == {
        "vestiging_code": "01AB00",
        "naam": "École Lichtpunt",  # Windows-1252 file, trailing space
        "gemeente_code": "GM0001",  # DUO wrote 1
        "postcode": "9101",
    }
    verzuim = {
        (r["gemeente_code"], r["onderwijssoort"]): r
        for r in rows(imported / "langdurig-relatief-verzuim" / "verzuim.csv")
    }
    assert verzuim[("GM0002", "so-vso")]["begin_schooljaar"] == ""
    assert verzuim[("GM0002", "so-vso")]["verhuisd"] == "0"
    assert verzuim[("GM0001", "geen-onderwijs")]["nieuw"] == "3"
    assert len(verzuim) == 15


def test_import_is_deterministic(imported: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    import_sources(SOURCES, again)
    for path in sorted(imported.rglob("*.*")):
        assert (again / path.relative_to(imported)).read_bytes() == path.read_bytes(), path


def test_missing_sources_are_not_written_and_the_output_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bron"
    shutil.copytree(SOURCES, source, ignore=shutil.ignore_patterns("duo", "geo"))
    out = tmp_path / "data"
    assert main(["import", str(source), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "niet geschreven: leerlingen-cluster-1-2" in printed
    assert "niet geschreven: langdurig-relatief-verzuim" in printed
    assert "niet geschreven: referentie/gemeentegrenzen" in printed
    assert "niet geschreven: passend-onderwijs-swv" in printed
    assert sorted(p.name for p in out.iterdir()) == [
        "leerlingen-speciaal-onderwijs-gemeente",
        "referentie",
    ]
    assert rows(out / "referentie" / "schoolvestigingen.csv") == []
    assert not (out / "referentie" / "gemeentegrenzen.geojson").exists()
    packages.load_catalog(out)


def test_import_keeps_the_ledger_of_the_data_folder(tmp_path: Path) -> None:
    out = tmp_path / "data"
    out.mkdir()
    (out / "publicatieregister.csv.gz").write_bytes(b"ledger")
    (out / "oud").mkdir()
    import_sources(SOURCES, out)
    assert (out / "publicatieregister.csv.gz").read_bytes() == b"ledger"
    assert not (out / "oud").exists()


def test_validate_accepts_the_geojson_resource(imported: Path) -> None:
    catalog = packages.load_catalog(imported)
    assert "gemeentegrenzen" not in catalog.packages["referentie"].resources
    assert "swv" in catalog.packages["referentie"].resources


def test_rekenkamer_file_becomes_the_four_tables(imported: Path) -> None:
    folder = imported / "passend-onderwijs-swv"
    kenmerken = {r["swv_code"]: r for r in rows(folder / "kenmerken.csv")}
    assert kenmerken["PO2001"]["vereveningspercentage"] == "-12.5"  # decimal comma at the source
    assert kenmerken["VO0001"]["lgf_31_juli_2014"] == ""  # "<5"
    assert kenmerken["VO0001"]["opp_2015_2016"] == ""  # empty
    pupils = rows(folder / "leerlingen.csv")
    po2001 = [
        r["categorie"]
        for r in pupils
        if r["swv_code"] == "PO2001" and r["schooljaar"] == "2013-2014"
    ]
    assert po2001[:3] == ["bao", "sbao", "so-laag-onder-8"]  # schema order, only po categories
    assert len(po2001) == 8
    hidden = [r for r in pupils if r["categorie"] == "so-hoog-8-plus"]
    assert hidden and all(r["aantal_leerlingen"] == "" for r in hidden)
    finance = {(r["swv_code"], r["jaar"]): r for r in rows(folder / "financien.csv")}
    assert finance[("PO2001", "2015")]["rijksbijdrage"] == "11870138"
    national = rows(folder / "landelijk.csv")
    assert [r["soort_ondersteuning"] for r in national[:3]] == ["lgf", "sbao", "so"]
