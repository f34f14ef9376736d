"""Citable releases: every release tag's site, rebuilt from the tag, frozen under ``/archief/``.

A release is a git tag ``uitgave-<name>`` on the commit whose data packages (with the ledger
entry of release ``<name>``) were built, audited, registered and deployed. The build is
deterministic, so the tag's own code rebuilds that site byte for byte: no built files are kept
in git. ``archive()`` builds each tag from ``git archive`` in a temporary folder with the tag's
own ``python -m generator build``, copies the result to ``SITE/archief/<name>/`` with a banner
on every HTML page (the only change), and writes the index ``SITE/archief/index.html``.
"""

from __future__ import annotations

import io
import json
import posixpath
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from generator import config, ledger, output, render
from generator.archive_pages import (
    ARCHIVE_URL,
    NAME_PATTERN,
    STYLESHEET,
    TAG_PREFIX,
    DataVersion,
    Release,
    banner,
    index_page,
    stylesheet_link,
    with_banner,
)
from generator.model import InputError

DATA = "datapackages"
"""Where a release tag holds its data packages (and the ledger)."""


def archive(
    repo: Path, site: Path, demo: bool, python: str = sys.executable
) -> tuple[Release, ...]:
    """Rebuilds every release tag of ``repo`` into ``site/archief/``, atomically.

    ``site`` is the built live site (the banners link to its pages). On any error nothing is
    changed and an ``InputError`` names the tag.
    """
    if not (site / "index.html").is_file():
        raise InputError([f"{site}: geen gebouwde site (index.html ontbreekt); bouw eerst"])
    found = tags(repo)
    with (
        tempfile.TemporaryDirectory(prefix="archief-") as temporary,
        output.staging(site / ARCHIVE_URL.rstrip("/")) as writer,
    ):
        work = Path(temporary)
        sources = [_extracted(repo, tag, date, commit, work) for tag, date, commit in found]
        releases = tuple(release for release, _ in sources)
        for release, source in sources:  # every tag checked first, then the slow builds
            _copy(_built(release, source, work, python), release, site, writer)
        writer.write("index.html", render.render(index_page(releases), demo))
    return releases


def tags(repo: Path) -> list[tuple[str, str, str]]:
    """The release tags of ``repo`` as (tag, date, commit), by name."""
    listing = _git(
        repo,
        "for-each-ref",
        "--sort=refname",
        "--format=%(refname:short)%09%(creatordate:short)%09%(objectname)%09%(*objectname)",
        f"refs/tags/{TAG_PREFIX}*",
    )
    found = []
    for line in listing.splitlines():
        tag, date, target, peeled = line.split("\t")
        found.append((tag, date, peeled or target))
    return found


def _extracted(repo: Path, tag: str, date: str, commit: str, work: Path) -> tuple[Release, Path]:
    """The tag's files in ``work/<name>``, after checking its name and its ledger entry."""
    name = tag.removeprefix(TAG_PREFIX)
    if not NAME_PATTERN.fullmatch(name):
        raise InputError(
            [
                f"tag {tag}: de naam na '{TAG_PREFIX}' mag alleen letters, cijfers, "
                "'.', '-' en '_' bevatten"
            ]
        )
    source = work / name
    source.mkdir()
    tar_bytes = _git_bytes(repo, "archive", "--format=tar", tag)
    with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
        tar.extractall(source, filter="data")
    data = source / DATA
    if name not in ledger.read(data / ledger.FILE_NAME).releases:
        raise InputError(
            [
                f"tag {tag}: {DATA}/{ledger.FILE_NAME} bevat uitgave {name} niet; registreer "
                "de uitgave en commit het register vóór het taggen (README: de jaarlijkse routine)"
            ]
        )
    return Release(name, tag, date, commit, data_versions(data)), source


def _built(release: Release, source: Path, work: Path, python: str) -> Path:
    """The release's site, built by the tag's own code (``python -m`` in its folder)."""
    out = work / f"site-{release.name}"  # beside the other builds: one SVG cache work/.cache
    done = subprocess.run(
        [python, "-m", "generator", "build", "--data", DATA, "--out", str(out)],
        cwd=source,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        lines = (done.stderr.strip() or done.stdout.strip()).splitlines()[-10:]
        raise InputError(
            [f"tag {release.tag}: de site van deze uitgave is niet te bouwen:", *lines]
        )
    return out


def data_versions(data: Path) -> tuple[DataVersion, ...]:
    """Each package's name, title, version and period, read from the descriptors as they are
    (an older release may have fields this code no longer knows)."""
    versions = []
    for path in sorted(data.glob("*/datapackage.json")):
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        versions.append(
            DataVersion(
                str(descriptor.get("name", path.parent.name)),
                str(descriptor.get("title", path.parent.name)),
                str(descriptor.get("version", "")),
                str(descriptor.get("periode", "")),
                bool(descriptor.get("demonstratiedata", False)),
            )
        )
    return tuple(versions)


def _copy(built: Path, release: Release, site: Path, writer: output.SiteWriter) -> None:
    """The built release into ``<name>/``, each HTML page with the banner."""
    for path in sorted(p for p in built.rglob("*") if p.is_file()):
        file = path.relative_to(built).as_posix()
        target = f"{release.name}/{file}"
        if not file.endswith(".html"):
            writer.write(target, path.read_bytes())
            continue
        live = file.removesuffix("index.html") if (site / file).is_file() else ""
        page = with_banner(
            path.read_text(encoding="utf-8"), banner(release, file, live), stylesheet_link(file)
        )
        writer.write(target, page)
    if not (built / STYLESHEET).is_file():  # releases built before the archive existed
        css = (config.STATIC / posixpath.basename(STYLESHEET)).read_bytes()
        writer.write(f"{release.name}/{STYLESHEET}", css)


def _git(repo: Path, *args: str) -> str:
    return _git_bytes(repo, *args).decode("utf-8")


def _git_bytes(repo: Path, *args: str) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True)
    if done.returncode != 0:
        error = done.stderr.decode("utf-8", "replace").strip()
        raise InputError([f"{repo}: git {args[0]} mislukt: {error}"])
    return done.stdout
