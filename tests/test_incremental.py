"""Incremental builds: a site with nothing changed is kept, a changed one matches a cold build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from generator import build as build_module
from generator import config, incremental
from generator.__main__ import main
from generator.build import build

Tree = dict[str, bytes]


def tree(site: Path) -> Tree:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def stamps(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*")}


def add_pupils(data: Path, vestiging: str, soort: str, extra: int) -> None:
    """Changes one count in leerlingen-cluster-1-2 (the first row of that school and soort)."""
    path = data / "leerlingen-cluster-1-2" / "leerlingen.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        jaar, code, cluster, what, aantal = line.rstrip("\n").split(",")
        if code == vestiging and what == soort:
            lines[i] = f"{jaar},{code},{cluster},{what},{int(aantal) + extra}\n"
            break
    else:
        raise AssertionError(f"no row for {vestiging} {soort}")
    path.write_text("".join(lines), encoding="utf-8")


def test_a_rebuild_with_nothing_changed_keeps_the_site_untouched(
    tiny_data: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    first = build(tiny_data, out, cache)
    before, written = stamps(out), tree(out)
    again = build(tiny_data, out, cache)
    assert again.unchanged and not first.unchanged
    assert again.rendered == 0
    assert (again.pages, again.files) == (first.pages, first.files)
    assert again.audit.summary == first.audit.summary
    assert stamps(out) == before
    assert tree(out) == written


def test_a_change_in_one_package_matches_a_cold_build_byte_for_byte(
    tiny_data: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    first = build(tiny_data, out, cache)
    add_pupils(tiny_data, "02CD00", "so", 30)
    changed = build(tiny_data, out, cache)
    assert not changed.unchanged
    # the school's gemeente, its po and its vo SWV, and the dataset's page; nothing else
    assert (first.rendered, changed.rendered) == (first.pages, 4)
    cold = tmp_path / "cold"
    build(tiny_data, cold, tmp_path / "empty-cache", full=True)
    assert tree(out) == tree(cold)


def test_a_site_edited_by_hand_is_built_again(tiny_data: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(tiny_data, out, cache)
    written = tree(out)
    (out / "index.html").write_text("gewijzigd", encoding="utf-8")
    (out / "extra.txt").write_text("niet van de build", encoding="utf-8")
    report = build(tiny_data, out, cache)
    assert not report.unchanged
    assert tree(out) == written


def test_a_drawing_edited_in_place_in_the_site_is_drawn_again(
    tiny_data: Path, tmp_path: Path
) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(tiny_data, out, cache)
    written = tree(out)
    chart, image = sorted(out.glob("swv/*/*.svg"))[0], sorted(out.glob("swv/*/*.png"))[0]
    with chart.open("r+b") as file:  # in place: the same file, not a new one
        file.write(b"<svg><!-- bewerkt --></svg>")
        file.truncate()
    with image.open("r+b") as file:
        file.write(b"\x89PNG bewerkt")
    report = build(tiny_data, out, cache)
    assert not report.unchanged
    assert tree(out) == written


def test_a_changed_template_renders_every_page_again(
    tiny_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates = Path(shutil.copytree(config.TEMPLATES, tmp_path / "templates"))
    monkeypatch.setattr(config, "TEMPLATES", templates)
    out, cache = tmp_path / "site", tmp_path / "cache"
    first = build(tiny_data, out, cache)
    footer = templates / "_footer.html"
    footer.write_text(footer.read_text().replace("Over deze site", "Over deze website"))
    changed = build(tiny_data, out, cache)
    assert not changed.unchanged
    assert changed.rendered == changed.pages == first.pages
    assert "Over deze website" in (out / "index.html").read_text()


def test_a_full_build_renders_every_page(tiny_data: Path, tmp_path: Path) -> None:
    out, cache = tmp_path / "site", tmp_path / "cache"
    first = build(tiny_data, out, cache)
    again = build(tiny_data, out, cache, full=True)
    assert not again.unchanged
    assert again.rendered == again.pages
    assert tree(out) == tree(tmp_path / "site") and first.files == again.files


def test_the_command_says_nothing_changed_without_loading_the_pipeline(
    tiny_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert main(["build", "--data", str(tiny_data), "--out", str(out)]) == 0
    assert "Site gebouwd" in capsys.readouterr().out
    assert main(["build", "--data", str(tiny_data), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "Niets veranderd" in said and "alle criteria C1–C5 gehaald" in said
    light = "import sys, generator.kept; print(sorted({'pandas', 'altair'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", light], capture_output=True, text=True)
    assert loaded.stdout.strip() == "[]"


def test_equal_page_data_gets_one_key_however_its_strings_are_shared(tmp_path: Path) -> None:
    # a change elsewhere in the data can make two equal values share one string object or not;
    # with a pickle memo that changed the key of every page and rendered the whole site again
    name = "".join(["Samenwerkingsverband ", "Passend Onderwijs"])
    shared = {"naam": name, "titel": name}
    separate = {"naam": name, "titel": "".join(["Samenwerkingsverband ", "Passend Onderwijs"])}
    assert shared["titel"] is name and separate["titel"] is not name
    cache = incremental.Cache(tmp_path)
    assert cache.page_key(shared, "salt") == cache.page_key(separate, "salt")  # type: ignore[arg-type]
    assert cache.page_key(shared, "salt") != cache.page_key({"naam": name, "titel": "-"}, "salt")  # type: ignore[arg-type]


def test_the_rows_of_one_entity_carry_its_codes_alone(tiny_data: Path) -> None:
    # a page's data named every code of the whole view: adding a school anywhere changed the
    # cache key of every page, and each page's data grew with the size of the country
    masked = build_module.protected(build_module.inputs(tiny_data))
    checked = 0
    for view in masked.views.values():
        for rows in view.by_entity().values():
            for column, kind in rows.frame.dtypes.items():
                if isinstance(kind, pd.CategoricalDtype):
                    assert set(kind.categories) == set(rows.frame[column].dropna())
                    checked += 1
    assert checked > 0
