"""The writer: no double writes, nothing outside the site, an atomic swap, and tidy CSV."""

import csv
import errno
import hashlib
import io
import os
from pathlib import Path

import pandas as pd
import pytest

from generator.model import MASKING_KEY, MaskedView
from generator.output import SiteWriter, csv_bytes, staging


def test_a_path_is_written_once(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path)
    writer.write("a/index.html", "eerste")
    with pytest.raises(ValueError, match="twice"):
        writer.write("a/index.html", "tweede")
    source = tmp_path / "getekend.svg"
    source.write_text("<svg/>")
    sha = hashlib.sha256(b"<svg/>").hexdigest()
    with pytest.raises(ValueError, match="twice"):
        writer.link("a/index.html", source, sha)
    with pytest.raises(ValueError, match="outside"):
        writer.link("../elders.svg", source, sha)


def test_a_linked_drawing_keeps_what_it_showed_when_the_cache_redraws_it(tmp_path: Path) -> None:
    cache, writer = tmp_path / "cache", SiteWriter(tmp_path / "site")
    cache.mkdir()
    drawn = cache / "abc.svg"
    drawn.write_text("<svg>oud</svg>")
    digest = writer.link(
        "swv/po2001/grafiek.svg", drawn, hashlib.sha256(drawn.read_bytes()).hexdigest()
    )
    redrawn = cache / "abc.svg.tmp"  # the drawing cache writes a new file and renames it
    redrawn.write_text("<svg>nieuw</svg>")
    redrawn.replace(drawn)
    published = tmp_path / "site/swv/po2001/grafiek.svg"
    assert published.read_text() == "<svg>oud</svg>"
    assert digest == hashlib.sha256(b"<svg>oud</svg>").hexdigest()
    assert writer.written == {"swv/po2001/grafiek.svg": digest}


def test_a_drawing_on_another_file_system_is_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def across(source: object, target: object) -> None:
        raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))

    monkeypatch.setattr(os, "link", across)
    drawn = tmp_path / "abc.png"
    drawn.write_bytes(b"\x89PNG")
    writer = SiteWriter(tmp_path / "site")
    writer.link("gm/gm0014/kaart.png", drawn, hashlib.sha256(b"\x89PNG").hexdigest())
    copied = tmp_path / "site/gm/gm0014/kaart.png"
    assert copied.read_bytes() == b"\x89PNG" and not copied.samefile(drawn)


def test_nothing_is_written_outside_the_site(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "site")
    with pytest.raises(ValueError, match="outside"):
        writer.write("../elders.txt", "x")
    for path in ("/tmp/elders.txt", "a/../../elders.txt", ""):
        with pytest.raises(ValueError, match="outside"):
            writer.write(path, "x")
    assert not (tmp_path / "elders.txt").exists()


def test_a_failed_build_leaves_the_old_site_untouched(tmp_path: Path) -> None:
    target = tmp_path / "site"
    with staging(target) as writer:
        writer.write("index.html", "oud")
    with pytest.raises(RuntimeError), staging(target) as writer:
        writer.write("index.html", "nieuw")
        raise RuntimeError("stage failed")
    assert (target / "index.html").read_text() == "oud"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_successful_build_replaces_the_old_site_whole(tmp_path: Path) -> None:
    target = tmp_path / "site"
    with staging(target) as writer:
        writer.write("weg.html", "oud")
    with staging(target) as writer:
        writer.write("index.html", "nieuw")
    assert sorted(p.name for p in target.iterdir()) == ["index.html"]


def test_a_table_is_written_as_csv_that_spreadsheets_read_back() -> None:
    frame = pd.DataFrame(
        {
            "naam": pd.Series(["Noord, Oost", 'De "Kring"', "Zuid"], dtype="string"),
            "leerlingen": pd.Series([12, pd.NA, 1_250_000], dtype="Int64"),
            "aandeel": pd.Series([0.1, 12.0, float("nan")], dtype="float64"),
            "actief": pd.Series([True, pd.NA, False], dtype="boolean"),
        }
    )
    masked = MaskedView("d", "r", "swv", None, (), ("naam",), frame, frame.isna(), MASKING_KEY)
    text = csv_bytes(masked).decode("utf-8")
    assert text == (
        "naam,leerlingen,aandeel,actief\n"
        '"Noord, Oost",12,0.1,true\n'
        '"De ""Kring""",,12.0,\n'
        "Zuid,1250000,,false\n"
    )
    assert list(csv.reader(io.StringIO(text)))[1][0] == "Noord, Oost"
