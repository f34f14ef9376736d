"""Citable releases: a temporary git repository with the code and the tiny data, two releases
made by the documented routine (build, register, commit, tag), then ``archive`` rebuilds each
tag with its own code. Each frozen copy must equal the site deployed for that release, byte for
byte, apart from the banner lines on its pages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import archive, config, links
from generator.__main__ import main
from generator.build import build
from tests.conftest import ROOT, assemble_tiny

CODE = ("generator", "templates", "static", "content")
DATES = {"2025-11": "2025-11-20T12:00:00+00:00", "2026-11": "2026-11-19T12:00:00+00:00"}
BANNER_LINE = re.compile(
    r'^(<div class="archive-banner".*|<link rel="stylesheet" href="[./]*assets/archief\.css">)\n',
    re.MULTILINE,
)


def _git(repo: Path, *args: str, date: str = DATES["2025-11"]) -> str:
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *args]
    return subprocess.run(
        command, cwd=repo, env=env, check=True, capture_output=True, text=True
    ).stdout


def _release(repo: Path, name: str, deployed: Path, svg_cache: Path) -> None:
    """The README's routine: build, register, commit the ledger, tag."""
    data = repo / "datapackages"
    build(data, deployed, svg_cache)
    assert main(["register", str(deployed), "--release", name, "--data", str(data)]) == 0
    _git(repo, "add", "-A", date=DATES[name])
    _git(repo, "commit", "-q", "-m", f"Uitgave {name}", date=DATES[name])
    _git(repo, "tag", "-a", f"uitgave-{name}", "-m", f"Uitgave {name}", date=DATES[name])


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory, svg_cache: Path) -> Iterator[Path]:
    """A repository with two releases; ``deployed-<name>`` beside it is each deployed site."""
    base = tmp_path_factory.mktemp("archive")
    repo = base / "repo"
    repo.mkdir()
    for folder in CODE:
        shutil.copytree(ROOT / folder, repo / folder, ignore=shutil.ignore_patterns("__pycache__"))
    assemble_tiny(repo / "datapackages")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Code en data")
    _release(repo, "2025-11", base / "deployed-2025-11", svg_cache)
    descriptor = repo / "datapackages" / "referentie" / "datapackage.json"
    package = json.loads(descriptor.read_text(encoding="utf-8"))
    package["version"] = "1.1.0"
    package["changelog"].append(
        {"version": "1.1.0", "date": "2026-11-19", "description": "Nieuwe indeling."}
    )
    descriptor.write_text(json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8")
    _release(repo, "2026-11", base / "deployed-2026-11", svg_cache)
    yield repo


@pytest.fixture(scope="module")
def archived(released: Path) -> Path:
    """The latest deployed site with the archive of both releases added."""
    site = released.parent / "live"
    shutil.copytree(released.parent / "deployed-2026-11", site)
    data = str(released / "datapackages")
    assert main(["archive", "--out", str(site), "--repo", str(released), "--data", data]) == 0
    return site


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("name", ["2025-11", "2026-11"])
def test_each_release_is_frozen_byte_for_byte_as_deployed_apart_from_the_banner(
    released: Path, archived: Path, name: str
) -> None:
    deployed = _files(released.parent / f"deployed-{name}")
    frozen = _files(archived / "archief" / name)
    assert frozen.keys() == deployed.keys()
    pages = [file for file in deployed if file.endswith(".html")]
    assert len(pages) > 20
    for file, content in deployed.items():
        if not file.endswith(".html"):
            assert frozen[file] == content, file
            continue
        text = frozen[file].decode("utf-8")
        assert f"Gearchiveerde uitgave {name}</strong>" in text, file
        assert BANNER_LINE.sub("", text).encode("utf-8") == content, file


def test_the_banner_names_the_release_its_data_and_links_to_the_live_page(archived: Path) -> None:
    page = (archived / "archief" / "2025-11" / "swv" / "index.html").read_text(encoding="utf-8")
    banner = re.search(r'<div class="archive-banner".*', page)
    assert banner is not None
    assert "(2025-11-20). Data: langdurig-relatief-verzuim" in banner.group()
    reference = json.loads(
        (config.ROOT / "datapackages" / "referentie" / "datapackage.json").read_text()
    )
    assert f"referentie {reference['version']}" in banner.group()
    assert "https://passendonderwijsincijfers.nl/archief/2025-11/swv/" in banner.group()
    assert 'href="../../../swv/">de actuele site</a>' in banner.group()
    assert 'href="../../">archief</a>' in banner.group()
    assert '<link rel="stylesheet" href="../assets/archief.css">' in page
    assert "<script>" not in banner.group() and "style=" not in banner.group()


def test_the_index_lists_the_releases_newest_first_with_their_data_versions(
    archived: Path,
) -> None:
    index = (archived / "archief" / "index.html").read_text(encoding="utf-8")
    newest, oldest = index.index('href="2026-11/"'), index.index('href="2025-11/"')
    assert newest < oldest
    assert "2026-11-19" in index and "2025-11-20" in index
    assert index.count("versie 1.1.0") == 1 and "tag <code>uitgave-2025-11</code>" in index
    footer = (archived / "index.html").read_text(encoding="utf-8")
    assert 'href="archief/">Archief: vaste uitgaven</a>' in footer


def test_the_site_with_its_archive_has_no_broken_links(archived: Path) -> None:
    assert links.broken_links(archived) == ()


def test_a_tag_without_its_ledger_entry_is_refused_and_nothing_changes(
    released: Path, archived: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _files(archived / "archief")
    first = _git(released, "rev-list", "--max-parents=0", "HEAD").strip()
    _git(released, "tag", "uitgave-vergeten", first)
    try:
        code = main(["archive", "--out", str(archived), "--repo", str(released)])
    finally:
        _git(released, "tag", "-d", "uitgave-vergeten")
    assert code == 1
    assert (
        "tag uitgave-vergeten: datapackages/publicatieregister.csv.gz bevat uitgave vergeten niet"
        in capsys.readouterr().err
    )
    assert _files(archived / "archief") == before


def test_the_releases_are_the_uitgave_tags_with_their_dates(released: Path) -> None:
    found = archive.tags(released)
    assert [(tag, date) for tag, date, _ in found] == [
        ("uitgave-2025-11", "2025-11-20"),
        ("uitgave-2026-11", "2026-11-19"),
    ]
    commit = _git(released, "rev-parse", "uitgave-2025-11^{commit}").strip()
    assert found[0][2] == commit


def test_archive_without_a_built_site_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["archive", "--out", str(tmp_path / "leeg"), "--repo", str(tmp_path)]) == 1
    assert "geen gebouwde site" in capsys.readouterr().err


def test_a_repository_without_release_tags_gets_an_empty_archive(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, site = tmp_path / "repo", tmp_path / "site"
    repo.mkdir()
    _git(repo, "init", "-q")
    site.mkdir()
    (site / "index.html").write_text("<!doctype html>\n", encoding="utf-8")
    assert main(["archive", "--out", str(site), "--repo", str(repo)]) == 0
    assert "0 uitgave(n)" in capsys.readouterr().out
    assert sorted(p.name for p in (site / "archief").iterdir()) == ["index.html"]
    assert "Er zijn nog geen gearchiveerde uitgaven." in (
        site / "archief" / "index.html"
    ).read_text(encoding="utf-8")
