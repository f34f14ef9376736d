"""The archive's markup: the index page ``/archief/`` and the banner on archived pages.

Reads what the archive command found about each release; returns template data and HTML. The
banner is added to pages an older version of the code wrote, so it is plain markup inserted on
lines of its own (no inline script or style: the stylesheet ``assets/archief.css`` is linked).
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass

from generator import config, render
from generator.context import Link, Page

ARCHIVE_URL = "archief/"
TAG_PREFIX = "uitgave-"
STYLESHEET = "assets/archief.css"
"""Written into each archived copy (from ``static/archief.css``) and linked from its pages."""
NAME_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")
"""A release name is one safe path segment: ``2025-11``, ``2024``, ``2025-1a``."""


@dataclass(frozen=True)
class DataVersion:
    """One data package as a release published it."""

    name: str
    title: str
    version: str
    periode: str
    demo: bool


@dataclass(frozen=True)
class Release:
    """A published release: its git tag and what it contains."""

    name: str
    tag: str
    date: str
    """The tag's date (YYYY-MM-DD): the tagger's date, or the commit's for a lightweight tag."""
    commit: str
    datasets: tuple[DataVersion, ...]

    @property
    def url(self) -> str:
        return f"{ARCHIVE_URL}{self.name}/"

    @property
    def versions(self) -> str:
        return ", ".join(f"{d.name} {d.version}" for d in self.datasets)


@dataclass(frozen=True)
class ArchiveIndex:
    """Template data of ``/archief/``: the releases, newest first."""

    releases: tuple[Release, ...]


def index_page(releases: tuple[Release, ...]) -> Page:
    """The archive's index page; an empty tuple gives the page of a site without releases."""
    newest_first = tuple(sorted(releases, key=lambda r: (r.date, r.name), reverse=True))
    return Page(
        url=ARCHIVE_URL,
        template="archief.html",
        title="Archief: vaste uitgaven",
        data=ArchiveIndex(newest_first),
        breadcrumbs=(Link("Home", ""),),
    )


def banner(release: Release, file: str, live_url: str) -> str:
    """The banner of an archived HTML ``file`` (a path inside the archived copy).

    ``live_url`` is the page's counterpart on the live site (relative to the site root): the
    same page when it still exists there, else the home page.
    """
    here = _folder(f"{release.url}{file}")
    to_live = render.relative_url(here, live_url)
    to_index = render.relative_url(here, ARCHIVE_URL)
    page = file.removesuffix("index.html")
    permanent = f"{config.SITE_URL}{release.url}{page}"
    versions = f" Data: {release.versions}." if release.datasets else ""
    text = (
        f"<strong>Gearchiveerde uitgave {html.escape(release.name)}</strong> "
        f"({release.date}).{html.escape(versions)} "
        f"Deze pagina blijft ongewijzigd; citeer haar als {html.escape(permanent)}. "
        f'De nieuwste cijfers staan op <a href="{html.escape(to_live)}">de actuele site</a>; '
        f'alle uitgaven in het <a href="{html.escape(to_index)}">archief</a>.'
    )
    return (
        '<div class="archive-banner" role="region" aria-label="Gearchiveerde uitgave">'
        f"<p>{text}</p></div>\n"
    )


def stylesheet_link(file: str) -> str:
    """The ``<link>`` from an archived HTML ``file`` to the copy's banner stylesheet."""
    href = render.relative_url(_folder(file), STYLESHEET)
    return f'<link rel="stylesheet" href="{html.escape(href)}">\n'


def _folder(file: str) -> str:
    """The folder URL of a file path: ``swv/PO2001/index.html`` → ``swv/PO2001/``."""
    folder = posixpath.dirname(file)
    return f"{folder}/" if folder else ""


def with_banner(page_html: str, banner_html: str, link_html: str) -> str:
    """The page with the stylesheet link before ``</head>`` and the banner before ``<main``.

    Each insertion is a line of its own at the start of a line, so removing those lines gives
    the page back byte for byte. A page without ``<main`` gets the banner after ``<body…>``.
    """
    page_html = _insert_before_line(page_html, "</head>", link_html)
    if re.search(r"^<main\b", page_html, re.MULTILINE):
        return _insert_before_line(page_html, "<main", banner_html)
    body = re.search(r"<body\b[^>]*>\n", page_html)
    if body is None:
        return page_html
    return page_html[: body.end()] + banner_html + page_html[body.end() :]


def _insert_before_line(text: str, start: str, insertion: str) -> str:
    found = re.search(rf"^{re.escape(start)}", text, re.MULTILINE)
    if found is None:
        return text
    return text[: found.start()] + insertion + text[found.start() :]
