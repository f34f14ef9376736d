"""Bad source files: one clear Dutch message naming file, row and column; exit 1; nothing written.

The corpus is made here from the hand-written source folder ``tests/data/sources``: each case
copies it, breaks one file in one way, and runs ``python -m generator import``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.__main__ import main

SOURCES = Path(__file__).resolve().parent / "data" / "sources"
CLUSTER = "duo/cluster-1-2/cluster_1_2_2024.csv"  # UTF-8 with BOM
CLUSTER_1252 = "duo/cluster-1-2/cluster_1_2_2023.csv"
VERZUIM = "duo/verzuim/verzuim_2023_2024.csv"  # Windows-1252
CBS = "leerlingen-so-vso-gemeente-cbs/cbs_85701NED_test.csv"
REGELING_2014 = "swv-gemeenten/regeling-regio-indeling-2014.md"
ALFABETISCH = "gemeenten/gemeenten-alfabetisch-2024.csv"
REKENKAMER = "duo/rekenkamer/samenwerkingsverbanden.csv"


def text_edit(old: str, new: str, encoding: str = "utf-8") -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        text = path.read_bytes().decode(encoding)
        assert old in text, old
        path.write_bytes(text.replace(old, new, 1).encode(encoding))

    return edit


def column_edit(change: Callable[[list[str]], list[str]], encoding: str) -> Callable[[Path], None]:
    """Applies ``change`` to the cells of every line (header included)."""

    def edit(path: Path) -> None:
        lines = path.read_bytes().decode(encoding).split("\r\n")
        lines = [";".join(change(line.split(";"))) if line else line for line in lines]
        path.write_bytes("\r\n".join(lines).encode(encoding))

    return edit


def recode(source: str, target: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        path.write_bytes(path.read_bytes().decode(source).encode(target))

    return edit


def append_copy_of_line(index: int, encoding: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        lines = path.read_bytes().decode(encoding).split("\r\n")
        path.write_bytes("\r\n".join([*lines[:-1], lines[index], ""]).encode(encoding))

    return edit


def empty(path: Path) -> None:
    path.write_bytes(b"")


def truncate_last_row(path: Path) -> None:
    text = path.read_bytes().decode("utf-8-sig")
    path.write_bytes(text.rstrip("\r\n").rsplit(";", 2)[0].encode("utf-8"))


def replace_all(old: str, new: str, encoding: str) -> Callable[[Path], None]:
    def edit(path: Path) -> None:
        path.write_bytes(path.read_bytes().decode(encoding).replace(old, new).encode(encoding))

    return edit


def drop(index: int) -> Callable[[list[str]], list[str]]:
    return lambda cells: cells[:index] + cells[index + 1 :]


def add(header: str) -> Callable[[list[str]], list[str]]:
    return lambda cells: [*cells, header if cells[0].startswith("\ufeffPEIL") else "x"]


# (file, how it is broken, what the one message must say: file first, then the rest)
CASES = [
    pytest.param(
        VERZUIM,
        replace_all(";", ",", "cp1252"),
        ("regel 1", "scheidingsteken", "';'"),
        id="verkeerd-scheidingsteken",
    ),
    pytest.param(CLUSTER, recode("utf-8-sig", "utf-16"), ("codering",), id="utf-16"),
    pytest.param(
        ALFABETISCH,
        recode("utf-8", "cp1252"),
        ("regel 4", "codering", "UTF-8"),
        id="verkeerde-codering",
    ),
    pytest.param(
        VERZUIM,
        column_edit(drop(5), "cp1252"),
        ("regel 1", "'AANTAL NIEUW' ontbreekt"),
        id="kolom-ontbreekt",
    ),
    pytest.param(
        CLUSTER,
        column_edit(add("OPMERKING"), "utf-8"),
        ("regel 1, kolom 'OPMERKING'", "onbekende kolom"),
        id="extra-kolom",
    ),
    pytest.param(
        VERZUIM,
        append_copy_of_line(3, "cp1252"),
        ("regel 17", "dubbele sleutel", "regel 4"),
        id="dubbele-sleutel",
    ),
    pytest.param(
        CLUSTER_1252,
        text_edit(";12;<5", ";-3;<5", "cp1252"),
        ("regel 2, kolom 'AANTAL_LEERLINGEN_SO'", "negatief aantal '-3'"),
        id="negatief-aantal",
    ),
    pytest.param(
        VERZUIM,
        text_edit("PO;12;9", "PO;twaalf;9", "cp1252"),
        ("regel 2, kolom 'AANTAL BEGIN SCHOOLJAAR'", "'twaalf' is geen aantal"),
        id="tekst-in-aantal",
    ),
    pytest.param(
        REGELING_2014,
        text_edit("| PO2002  | Betastad", "| PO2099  | Betastad"),
        ("regel 14, kolom 'samenwerkingsverband'", "onbekende SWV-code PO2099"),
        id="onbekende-swv",
    ),
    pytest.param(
        VERZUIM,
        text_edit("0003;GAMMAVEEN;2023/2024;PO;", "0999;GAMMAVEEN;2023/2024;PO;", "cp1252"),
        ("regel 12, kolom 'GEMEENTENUMMER'", "onbekende gemeente GM0999"),
        id="onbekende-gemeente",
    ),
    pytest.param(
        CBS,
        text_edit('"2021/\'22";"Betastad";40', '"2021/\'22";"Zetastad";40', "utf-8-sig"),
        ("regel 5, kolom 'Regiokenmerken'", "onbekende gemeente 'Zetastad'"),
        id="onbekende-gemeente-cbs",
    ),
    pytest.param(
        REKENKAMER,
        text_edit("\r\nPO2002;", "\r\nPO2099;", "utf-8-sig"),
        ("regel 3, kolom 'SWV_CODE'", "onbekende SWV-code 'PO2099'"),
        id="onbekende-swv-rekenkamer",
    ),
    pytest.param(
        REKENKAMER,
        text_edit(";-12,5;", ";-12,5%;", "utf-8-sig"),
        ("regel 2, kolom 'VEREVENINGSPERCENTAGE'", "'-12,5%' is geen getal"),
        id="tekst-in-getal",
    ),
    pytest.param(CBS, empty, ("het bestand is leeg",), id="leeg-bestand"),
    pytest.param(
        CLUSTER,
        truncate_last_row,
        ("regel 4, kolom 'AANTAL_LEERLINGEN_SO'", "afgebroken"),
        id="afgebroken-rij",
    ),
    pytest.param(
        CLUSTER,
        text_edit(";9;33", ";9;99999", "utf-8-sig"),
        ("regel 4, kolom 'AANTAL_LEERLINGEN_VSO'", "onwaarschijnlijk groot aantal 99999"),
        id="absurde-waarde",
    ),
    pytest.param(
        CBS,
        text_edit(";120", ";125", "utf-8-sig"),
        ("regel 2", "niet afgerond op tientallen"),
        id="cbs-niet-afgerond",
    ),
]


@pytest.mark.parametrize(("file", "breaks", "says"), CASES)
def test_bad_source_gives_one_message_exit_1_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    breaks: Callable[[Path], None],
    says: tuple[str, ...],
) -> None:
    source = tmp_path / "bron"
    shutil.copytree(SOURCES, source)
    breaks(source / file)
    out = tmp_path / "data"
    out.mkdir()
    (out / "eerder.txt").write_text("eerdere import")
    assert main(["import", str(source), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    errors = [line for line in captured.err.splitlines() if line.startswith("fout:")]
    assert len(errors) == 1, captured.err
    assert errors[0].startswith(f"fout: {file}"), errors[0]
    for part in says:
        assert part in errors[0], errors[0]
    assert "Traceback" not in captured.err
    assert [p.name for p in out.iterdir()] == ["eerder.txt"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".data")]


def test_missing_source_folder_is_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(tmp_path / "nergens"), "--out", str(tmp_path / "data")]) == 1
    assert "bronmap bestaat niet" in capsys.readouterr().err
    assert not (tmp_path / "data").exists()
