"""The writer: no double writes, nothing outside the site, and an atomic swap."""

from pathlib import Path

import pytest

from generator.output import SiteWriter, staging


def test_a_path_is_written_once(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path)
    writer.write("a/index.html", "eerste")
    with pytest.raises(ValueError, match="twice"):
        writer.write("a/index.html", "tweede")


def test_nothing_is_written_outside_the_site(tmp_path: Path) -> None:
    writer = SiteWriter(tmp_path / "site")
    with pytest.raises(ValueError, match="outside"):
        writer.write("../elders.txt", "x")


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
