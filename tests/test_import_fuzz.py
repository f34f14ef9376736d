"""Property tests: whatever bytes the importers' readers get, they raise InputError or succeed.

Each example writes one file into a copy of the hand-written source folder and runs the reader
of that source; any exception but ``InputError`` is a bug (a traceback for the user).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.importers import (
    boundaries,
    cbs_gemeenten,
    cbs_so,
    descriptors,
    duo_cluster,
    duo_verzuim,
    import_sources,
    regeling,
    rekenkamer,
)
from generator.importers.reading import count, delimited
from generator.model import InputError

SOURCES = Path(__file__).resolve().parent / "data" / "sources"
CLUSTER = "duo/cluster-1-2/cluster_1_2_2024.csv"
VERZUIM = "duo/verzuim/verzuim_2023_2024.csv"
CBS = "leerlingen-so-vso-gemeente-cbs/cbs_85701NED_test.csv"
PER_JAAR = "gemeenten/gemeenten_per_jaar.csv"
PC4 = "swv-gemeenten/regeling-regio-indeling-2015.md"
REKENKAMER = "duo/rekenkamer/samenwerkingsverbanden.csv"
SWV_SCHEMAS = {
    r["name"]: r["schema"] for r in descriptors.descriptor("passend-onderwijs-swv")["resources"]
}
GEMEENTEN = cbs_gemeenten.read(SOURCES)
VERZUIM_SCHEMA = descriptors.descriptor("langdurig-relatief-verzuim")["resources"][0]["schema"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TOKENS = st.sampled_from(
    [
        "",
        " ",
        "<5",
        "< 5",
        "-3",
        "12",
        "0",
        "0001",
        "1",
        "9999",
        "twaalf",
        "1e9",
        "99999999999",
        "2023/2024",
        "2023-2024",
        "2024-2023",
        "01-10-2024",
        "20241001",
        "PO",
        "SO/VSO",
        "CLUSTER 1",
        "01AB",
        "9101 AA",
        '"',
        '""',
        "é",
        "\ufeff",
        "PO2001",
        "---",
        "Europoort",
        "Alfadorp",
        "(postcodes 9301 en 9302)",
        "2021/'22",
        "2023/'24*",
        "Totaal mannen en vrouwen",
        "Speciaal onderwijs",
        "²",
        "٣٣",
        "2⁰23",
    ]
)


def lines_of(header: str, separator: str) -> st.SearchStrategy[str]:
    """A header kept (or damaged) and rows of plausible and implausible cells."""
    row = st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=12).map(separator.join)
    head = st.one_of(st.just(header), st.text(max_size=40), row)
    return st.tuples(head, st.lists(row, max_size=6)).map(lambda t: "\r\n".join([t[0], *t[1]]))


def content(header: str, separator: str) -> st.SearchStrategy[bytes]:
    encodings = st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"])
    text = st.tuples(lines_of(header, separator), encodings).map(_encode)
    return st.one_of(text, st.binary(max_size=200))


def mutated(relative: str, separator: str, encoding: str) -> st.SearchStrategy[bytes]:
    """The fixture file with a few cells replaced: reaches the checks behind a good header."""
    lines = (SOURCES / relative).read_bytes().decode(encoding).split("\r\n")
    edits = st.lists(
        st.tuples(
            st.integers(0, len(lines) - 1),
            st.integers(0, 12),
            st.one_of(TOKENS, st.text(max_size=5)),
        ),
        min_size=1,
        max_size=3,
    )
    return edits.map(
        lambda changes: _apply(lines, changes, separator).encode(encoding, errors="replace")
    )


def _apply(lines: list[str], changes: list[tuple[int, int, str]], separator: str) -> str:
    result = [line.split(separator) for line in lines]
    for line, cell, token in changes:
        cells = result[line]
        if cell < len(cells):
            cells[cell] = token
        else:
            cells.append(token)
    return "\r\n".join(separator.join(cells) for cells in result)


def _encode(pair: tuple[str, str]) -> bytes:
    return pair[0].encode(pair[1], errors="replace")


@contextmanager
def source_with(relative: str, data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bron"
        shutil.copytree(SOURCES, source)
        (source / relative).write_bytes(data)
        yield source


def only_input_errors(read: Callable[[Path], Any], relative: str, data: bytes) -> None:
    with source_with(relative, data) as source:
        try:
            read(source)
        except InputError as error:
            assert error.lines and all(isinstance(line, str) and line for line in error.lines)


CLUSTER_HEADER = ";".join([*duo_cluster.HEADERS, "PLAATSNAAM"])
VERZUIM_HEADER = ";".join([*duo_verzuim.KEYS, *(f["title"] for f in VERZUIM_SCHEMA["fields"][3:])])
CBS_HEADER = ";".join(f'"{h}"' for h in cbs_so.HEADERS)


@FUZZ
@given(st.one_of(content(CLUSTER_HEADER, ";"), mutated(CLUSTER, ";", "utf-8-sig")))
def test_duo_cluster_reader_never_crashes(data: bytes) -> None:
    only_input_errors(
        lambda s: duo_cluster.read(s, GEMEENTEN, {"GM0003": {"9301"}}, (2010, 2025)),
        CLUSTER,
        data,
    )


@FUZZ
@given(st.one_of(content(VERZUIM_HEADER, ";"), mutated(VERZUIM, ";", "cp1252")))
def test_duo_verzuim_reader_never_crashes(data: bytes) -> None:
    only_input_errors(lambda s: duo_verzuim.read(s, GEMEENTEN, VERZUIM_SCHEMA), VERZUIM, data)


@FUZZ
@given(st.one_of(content(CBS_HEADER, ";"), mutated(CBS, ";", "utf-8-sig")))
def test_cbs_reader_never_crashes(data: bytes) -> None:
    only_input_errors(lambda s: cbs_so.read(s, GEMEENTEN), CBS, data)


@FUZZ
@given(st.one_of(content("jaar,gemeentenaam,code", ","), mutated(PER_JAAR, ",", "utf-8")))
def test_cbs_gemeenten_reader_never_crashes(data: bytes) -> None:
    only_input_errors(cbs_gemeenten.read, PER_JAAR, data)


@FUZZ
@given(
    st.one_of(content("| PC4  | gemeente  | PO SWV  | VO SWV  |", "|"), mutated(PC4, "|", "utf-8"))
)
def test_regeling_reader_never_crashes(data: bytes) -> None:
    only_input_errors(regeling.read, PC4, data)


@FUZZ
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)))
def test_boundaries_reader_never_crashes(data: bytes) -> None:
    only_input_errors(
        lambda s: boundaries.read(s, GEMEENTEN), "geo/gemeenten_2023_fuzz.geojson", data
    )


@FUZZ
@given(mutated(REKENKAMER, ";", "utf-8-sig"))
def test_rekenkamer_reader_never_crashes(data: bytes) -> None:
    only_input_errors(
        lambda s: rekenkamer.read(s, ["PO2001", "PO2002", "VO2001", "VO0001"], SWV_SCHEMAS),
        REKENKAMER,
        data,
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from([";", ","]))
def test_delimited_reader_never_crashes(text: str, separator: str) -> None:
    try:
        table = delimited(text, "x.csv", separator)
    except InputError:
        return
    assert all(len(row) == len(table.header) for row in table.rows)


@settings(max_examples=300, deadline=None)
@given(st.one_of(TOKENS, st.text(max_size=12)))
def test_a_count_is_a_number_suppressed_or_one_error(value: str) -> None:
    number, error = count(value, "x.csv, regel 2, kolom 'A'", 1000)
    assert (number is None) or (error is None)
    if error:
        assert error.startswith("x.csv, regel 2, kolom 'A': ")
    if number is not None:
        assert 0 <= number <= 1000
    if value.strip() in ("", "<5", "< 5"):
        assert (number, error) == (None, None)


JOINED = {
    "gemeenten/samenvoegingen.csv": ",",
    "gemeenten/opsplitsingen.csv": ",",
    "gemeenten/gemeenten-alfabetisch-2024.csv": ",",
    "swv-gemeenten/regeling-regio-indeling-2014.md": "|",
    PC4: "|",
    PER_JAAR: ",",
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(JOINED)).flatmap(
        lambda f: st.tuples(st.just(f), mutated(f, JOINED[f], "utf-8"))
    )
)
def test_whole_import_never_crashes(case: tuple[str, bytes]) -> None:
    relative, data = case
    with source_with(relative, data) as source:
        try:
            import_sources(source, source.parent / "uit")
        except InputError as error:
            assert error.lines
