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


def add_peiljaar(new: Path, data: Path, out: Path, *options: str, dataset: str = CBS) -> int:
    """``python -m generator add-peiljaar`` as the maintainer runs it; returns the exit code."""
    args = [str(new), "--dataset", dataset, "--data", str(data), "--out", str(out)]
    return main(["add-peiljaar", *args, *options])


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
    code = add_peiljaar(new, tiny_data, tmp_path / "site", "--datum", "2027-01-15")
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
    code = add_peiljaar(new, tiny_data, tmp_path / "site")
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
    code = add_peiljaar(new, tiny_data, site, "--datum", "2027-01-15")
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
        add_peiljaar(new, tiny_data, tmp_path / "site", "--datum", "2027-02-01", "--correctie") == 0
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


def add_cbs_year(data: Path, tmp_path: Path, *options: str) -> int:
    new = write(tmp_path / "cbs-2019.csv", HEADER, next_year(data))
    return add_peiljaar(new, data, tmp_path / "site", "--datum", "2027-01-15", *options)


def test_a_move_in_referentie_is_refused_with_the_way_to_accept_it_then_accepted(
    tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    links = tiny_data / "referentie" / "gemeente_swv.csv"
    links.write_text(links.read_text(encoding="utf-8") + "GM0004,PO2001,2019,\n", encoding="utf-8")
    before = fingerprint(tiny_data)
    assert add_cbs_year(tiny_data, tmp_path) == 1
    (error,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("fout:")]
    assert "cbs-2019.csv, regel " in error and "kolom 'gemeente_code'" in error
    assert "GM0004 is vanaf 2019 bij een ander samenwerkingsverband ingedeeld (PO2001" in error
    assert "geef dan --verhuisd GM0004=PO2001" in error
    assert fingerprint(tiny_data) == before
    assert not (tmp_path / "site").exists()

    assert add_cbs_year(tiny_data, tmp_path, "--verhuisd", "GM0004=PO2001") == 0
    out = capsys.readouterr().out
    assert "referentie 1.1.0: GM0004 vanaf peiljaar 2019 bij PO2001 (was PO2002)" in out
    now = [
        (r["swv_code"], r["vanaf_peiljaar"]) for r in rows(links) if r["gemeente_code"] == "GM0004"
    ]
    assert sorted(now) == [("PO2001", "2019"), ("PO2002", "2014"), ("VO2002", "2014")]
    descriptor = json.loads((tiny_data / "referentie" / "datapackage.json").read_text())
    assert descriptor["version"] == "1.1.0"
    assert descriptor["changelog"][-1] == {
        "version": "1.1.0",
        "date": "2027-01-15",
        "description": (
            "GM0004 vanaf peiljaar 2019 bij PO2001 (was PO2002) (add-peiljaar cbs-2019.csv)"
        ),
    }
    cbs = json.loads((tiny_data / CBS / "datapackage.json").read_text())
    assert cbs["version"] == "1.1.0"
    page = (tmp_path / "site" / "gemeente" / "GM0004" / "index.html").read_text(encoding="utf-8")
    assert "(sinds 2019)" in page.split("swv/PO2001/")[1].split("</li>")[0]
    assert "(tot 2019)" in page.split("swv/PO2002/")[1].split("</li>")[0]


def test_verhuisd_records_a_move_that_referentie_does_not_know_yet(
    tiny_data: Path, tmp_path: Path
) -> None:
    from generator import packages

    new = write(tmp_path / "cbs-2019.csv", HEADER, next_year(tiny_data))
    catalog = packages.load_catalog(tiny_data)
    change = peiljaar.add(new, catalog, tiny_data, CBS, "2027-01-15", moves=["gm0002=po2002"])
    links = change.others["referentie"]["gemeente_swv.csv"].splitlines()
    # The old row stays (it holds until 2019); the new one follows it in key order.
    assert links[3:5] == ["GM0002,PO2001,2014,", "GM0002,PO2002,2019,"]
    assert "GM0002 vanaf peiljaar 2019 bij PO2002 (was PO2001)" in change.summary


@pytest.mark.parametrize(
    ("move", "message"),
    [
        ("GM0002-PO2002", "verwacht GEMEENTE=SWV, bijvoorbeeld GM0363=PO2707"),
        ("GM0002=PO2099", "onbekend samenwerkingsverband PO2099"),
        ("GM0005=PO2002", "GM0005 is geen huidige gemeente"),
        ("GM0001=PO2001", "GM0001 hoort al bij PO2001; niets te verhuizen"),
    ],
)
def test_a_wrong_move_is_refused_and_changes_nothing(
    move: str, message: str, tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(tiny_data)
    assert add_cbs_year(tiny_data, tmp_path, "--verhuisd", move) == 1
    (error,) = [line for line in capsys.readouterr().err.splitlines() if line.startswith("fout:")]
    assert f"--verhuisd {move}: {message}" in error
    assert fingerprint(tiny_data) == before


def test_a_move_with_a_bad_file_changes_referentie_neither(
    tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = fingerprint(tiny_data)
    body = _set(next_year(tiny_data), 0, 3, "veel")
    new = write(tmp_path / "nieuw.csv", HEADER, body)
    assert add_peiljaar(new, tiny_data, tmp_path / "site", "--verhuisd", "GM0002=PO2002") == 1
    assert "'veel' is geen geheel getal" in capsys.readouterr().err
    assert fingerprint(tiny_data) == before


CLUSTER = "leerlingen-cluster-1-2"


def cluster_year(data: Path, tmp_path: Path, change: Callable[[list[str]], list[str]]) -> Path:
    path = data / CLUSTER / "leerlingen.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        header, *body = list(csv.reader(handle))
    last = [r for r in body if r[0] == "2025"]
    return write(tmp_path / "cluster-2026.csv", header, [change(["2026", *r[1:]]) for r in last])


def test_an_unknown_vestiging_is_refused_with_file_row_and_column(
    tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def rename(row: list[str]) -> list[str]:
        return [row[0], "09ZZ00" if row[1] == "02CD01" else row[1], *row[2:]]

    new = cluster_year(tiny_data, tmp_path, rename)
    lines = new.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines, 1) if "09ZZ00" in line)
    before = fingerprint(tiny_data)
    assert add_peiljaar(new, tiny_data, tmp_path / "site", dataset=CLUSTER) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("fout:")]
    assert errors[0] == (
        f"fout: cluster-2026.csv, regel {first}, kolom 'vestiging_code': onbekende vestiging "
        "09ZZ00 (niet in referentie/schoolvestigingen; een nieuwe vestiging komt daar eerst bij, "
        "met naam, gemeente en postcode)"
    )
    assert all("09ZZ00" in line for line in errors)
    assert fingerprint(tiny_data) == before
    assert not (tmp_path / "site").exists()


def test_a_known_vestiging_year_is_accepted_and_a_closed_one_may_be_missing(
    tiny_data: Path, tmp_path: Path
) -> None:
    from generator import packages

    new = cluster_year(tiny_data, tmp_path, lambda row: row)
    kept = [line for line in new.read_text().splitlines() if "02CD01" not in line]
    new.write_text("\n".join(kept) + "\n", encoding="utf-8")
    change = peiljaar.add(new, packages.load_catalog(tiny_data), tiny_data, CLUSTER, "2027-01-15")
    assert change.version == "1.1.0"
    assert change.files["leerlingen.csv"].count("2026,") == len(kept) - 1


def test_cbs_totals_of_a_new_year_are_compared_and_differences_reported_not_refused(
    tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = next_year(tiny_data)
    parts = {(r[0], r[1]): int(r[3]) for r in body}
    for code in sorted({r[0] for r in body}):
        total = parts[(code, "so")] + parts[(code, "vso")] + (30 if code == "GM0002" else 0)
        body.append([code, "totaal-so-vso", "2019-2020", str(total), "true"])
    new = write(tmp_path / "cbs-2019.csv", HEADER, body)
    assert add_peiljaar(new, tiny_data, tmp_path / "site", "--datum", "2027-01-15") == 0
    out = capsys.readouterr().out
    row = next(i for i, r in enumerate(body, 2) if r[:2] == ["GM0002", "totaal-so-vso"])
    assert (
        f"verschil: cbs-2019.csv, regel {row}, kolom 'aantal' (GM0002, totaal-so-vso, 2019-2020)"
        in out
    )
    assert "4 waarden vergeleken, 3 gelijk" in out
    (found,) = rows(tiny_data / CBS / "verschillen.csv")
    assert (found["bron"], found["verschil"], found["tolerantie"]) == (
        str(parts[("GM0002", "so")] + parts[("GM0002", "vso")] + 30),
        "+30",
        "±10",
    )
    descriptor = json.loads((tiny_data / CBS / "datapackage.json").read_text(encoding="utf-8"))
    assert "verschillen" in [r["name"] for r in descriptor["resources"]]
    assert descriptor["version"] == "1.1.0"  # the year is added all the same
