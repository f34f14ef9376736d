"""``python -m generator add-peiljaar``: a new year's file checked, appended, versioned, built.

On the tiny fixture: CBS pupils 2016-2017 … 2018-2019 for GM0001–GM0004 (GM0005 merged into
GM0001 in 2018). Every bad file gives exactly one message and changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator import peiljaar
from generator.__main__ import main

CBS = "leerlingen-speciaal-onderwijs-gemeente"
HEADER = ["gemeente_code", "onderwijssoort", "schooljaar", "aantal", "voorlopig"]


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def next_year(data: Path) -> list[list[str]]:
    """2019-2020: the 2018-2019 rows again, a little higher."""
    last = [r for r in rows(data / CBS / "leerlingen.csv") if r["schooljaar"] == "2018-2019"]
    return [
        [r["gemeente_code"], r["onderwijssoort"], "2019-2020", str(int(r["aantal"]) + 10), "true"]
        for r in last
    ]


def write(path: Path, header: list[str], body: list[list[str]], separator: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=separator, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(body)
    return path


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


Edit = Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]]


def _set(body: list[list[str]], row: int, column: int, value: str) -> list[list[str]]:
    body = [list(r) for r in body]
    body[row][column] = value
    return body


BAD: dict[str, tuple[Edit, str]] = {
    "renamed column": (lambda h, b: (["gemeente", *h[1:]], b), "hernoemd? het schema heet hier"),
    "missing column": (lambda h, b: (h[:-1], [r[:-1] for r in b]), "kolom 'voorlopig' ontbreekt"),
    "extra column": (lambda h, b: ([*h, "x"], [[*r, "1"] for r in b]), "onbekende kolom"),
    "unknown code": (
        lambda h, b: (h, [*b, ["GM0099", "so", "2019-2020", "10", "true"]]),
        "onbekende code GM0099",
    ),
    "vanished code": (
        lambda h, b: (h, [r for r in b if r[0] != "GM0004"]),
        "GM0004 staat in het vorige jaar maar ontbreekt",
    ),
    "merged gemeente": (
        lambda h, b: (h, [*b, ["GM0005", "so", "2019-2020", "0", "true"]]),
        "GM0005 bestaat in 2019-2020 niet meer (opgegaan in GM0001)",
    ),
    "implausible jump": (
        lambda h, b: (h, _set(b, _row(b, "GM0003", "vo"), 3, "6200")),
        "sprong van 620 naar 6200",
    ),
    "year already present": (
        lambda h, b: (h, [[*r[:2], "2018-2019", *r[3:]] for r in b]),
        "schooljaar 2018-2019 staat al in",
    ),
    "unrounded count": (lambda h, b: (h, _set(b, 0, 3, "23")), "23 is niet afgerond op 10"),
    "text in a count": (lambda h, b: (h, _set(b, 0, 3, "veel")), "'veel' is geen geheel getal"),
    "negative count": (lambda h, b: (h, _set(b, 0, 3, "-10")), "-10 is kleiner dan 0"),
    "unknown soort": (lambda h, b: (h, _set(b, 0, 1, "mbo")), "'mbo' is geen van"),
    "duplicate key": (lambda h, b: (h, [*b, b[0]]), "dubbele sleutel"),
    "two years": (lambda h, b: (h, _set(b, 0, 2, "2020-2021")), "één schooljaar per bestand"),
}


def _row(body: list[list[str]], code: str, soort: str) -> int:
    return next(i for i, r in enumerate(body) if r[0] == code and r[1] == soort)


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_file_gives_one_message_and_changes_nothing(
    case: str, tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit, message = BAD[case]
    header, body = edit(list(HEADER), next_year(tiny_data))
    new = write(tmp_path / "nieuw.csv", header, body)
    before = fingerprint(tiny_data)
    code = main(
        [
            "add-peiljaar",
            str(new),
            "--dataset",
            CBS,
            "--data",
            str(tiny_data),
            "--out",
            str(tmp_path / "site"),
            "--datum",
            "2027-01-15",
        ]
    )
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("fout:")]
    assert code == 1
    assert len(errors) == 1, errors
    assert message in errors[0]
    assert "nieuw.csv" in errors[0]
    assert fingerprint(tiny_data) == before
    assert not (tmp_path / "site").exists()


def test_a_wrong_separator_names_the_file_and_line(
    tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = write(tmp_path / "nieuw.csv", HEADER, next_year(tiny_data), ";")
    code = main(
        [
            "add-peiljaar",
            str(new),
            "--dataset",
            CBS,
            "--data",
            str(tiny_data),
            "--out",
            str(tmp_path / "site"),
        ]
    )
    assert code == 1
    assert "nieuw.csv, regel 1: verkeerd scheidingsteken" in capsys.readouterr().err


def test_an_unknown_dataset_is_refused(
    tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    new = write(tmp_path / "nieuw.csv", HEADER, next_year(tiny_data))
    assert (
        main(["add-peiljaar", str(new), "--dataset", "referentie", "--data", str(tiny_data)]) == 1
    )
    assert "onbekende dataset" in capsys.readouterr().err


def test_versions_minor_for_a_year_patch_for_a_fix_major_for_a_schema() -> None:
    assert peiljaar.bump("1.0.0", "minor") == "1.1.0"
    assert peiljaar.bump("1.1.3", "patch") == "1.1.4"
    assert peiljaar.bump("1.4.2", "major") == "2.0.0"


def test_a_new_year_is_appended_versioned_and_built(
    tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    earlier = (tiny_data / CBS / "leerlingen.csv").read_text(encoding="utf-8")
    new = write(tmp_path / "cbs-2019.csv", HEADER, next_year(tiny_data))
    site = tmp_path / "site"
    code = main(
        [
            "add-peiljaar",
            str(new),
            "--dataset",
            CBS,
            "--data",
            str(tiny_data),
            "--out",
            str(site),
            "--datum",
            "2027-01-15",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "1.1.0" in capsys.readouterr().out
    after = (tiny_data / CBS / "leerlingen.csv").read_text(encoding="utf-8")
    assert after.startswith(earlier)
    assert after.count("2019-2020") == len(next_year(tiny_data)) // 2 * 2
    descriptor = json.loads((tiny_data / CBS / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == "1.1.0"
    assert descriptor["changelog"][-1] == {
        "version": "1.1.0",
        "date": "2027-01-15",
        "description": "schooljaar 2019-2020 toegevoegd (cbs-2019.csv)",
    }
    today = rows(tiny_data / CBS / "leerlingen_huidige_gemeenten.csv")
    gm1 = [r for r in today if r["gemeente_code"] == "GM0001" and r["schooljaar"] == "2019-2020"]
    assert {r["aantal_gemeenten_bron"] for r in gm1} == {"1"} and len(gm1) == 4
    page = (site / "gemeente" / "GM0001" / "index.html").read_text(encoding="utf-8")
    assert "Versie 1.1.0 · laatste peiljaar 2019-2020" in page
    shown = rows(site / "gemeente" / "GM0001" / f"{CBS}-leerlingen_huidige_gemeenten.csv")
    assert "2019-2020" in {r["schooljaar"] for r in shown}
    assert "1.1.0 (2027-01-15)" in (site / "datasets" / CBS / "index.html").read_text()


def test_a_correction_replaces_its_year_and_is_a_patch(tiny_data: Path, tmp_path: Path) -> None:
    last = [r for r in rows(tiny_data / CBS / "leerlingen.csv") if r["schooljaar"] == "2018-2019"]
    fixed = [
        [*list(r.values())[:3], "20" if r["aantal"] == "0" else r["aantal"], "false"] for r in last
    ]
    new = write(tmp_path / "correctie.csv", HEADER, fixed)
    assert (
        main(
            [
                "add-peiljaar",
                str(new),
                "--dataset",
                CBS,
                "--data",
                str(tiny_data),
                "--out",
                str(tmp_path / "site"),
                "--datum",
                "2027-02-01",
                "--correctie",
            ]
        )
        == 0
    )
    descriptor = json.loads((tiny_data / CBS / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"] == "1.0.1"
    after = [r for r in rows(tiny_data / CBS / "leerlingen.csv") if r["schooljaar"] == "2018-2019"]
    assert len(after) == len(last)
    assert {r["voorlopig"] for r in after} == {"false"}
    assert "0" not in {r["aantal"] for r in after}


def test_a_new_verzuim_year_extends_the_listed_schooljaren(tiny_data: Path, tmp_path: Path) -> None:
    from generator import packages

    path = tiny_data / "langdurig-relatief-verzuim" / "verzuim.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    column = header.index("schooljaar")
    last = max(r[column] for r in body)
    start = int(last[:4]) + 1
    year = f"{start}-{start + 1}"
    new = [[*r[:column], year, *r[column + 1 :]] for r in body if r[column] == last]
    change = peiljaar.add(
        write(tmp_path / "verzuim.csv", header, new),
        packages.load_catalog(tiny_data),
        tiny_data,
        "langdurig-relatief-verzuim",
        "2027-01-15",
    )
    descriptor = json.loads(change.files["datapackage.json"])
    field = next(
        f for f in descriptor["resources"][0]["schema"]["fields"] if f["name"] == "schooljaar"
    )
    assert year in field["constraints"]["enum"]
    assert descriptor["version"] == "1.1.0"
    assert change.files["verzuim.csv"].startswith(path.read_text(encoding="utf-8"))
