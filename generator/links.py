"""The link checker: every internal link of a built site leads to a file, every anchor to an id.

Reads a built site folder; returns the broken links. A link is internal when it has no scheme
(``https:``, ``mailto:``, ``data:``); it is resolved against its page (or the site root when it
starts with ``/``), a path ending in ``/`` means its ``index.html``, and a ``#fragment`` must be an
``id`` (or ``<a name>``) in the target HTML or SVG file, or in the page itself for ``#fragment``
alone. The query string is ignored: a static site serves the same file for any query.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINK_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "poster",
        "xlink:href",
        "data-zoekindex",
        "data-zoekpagina",
        "data-site",
    }
)
"""Attributes that hold a URL; the ``data-`` ones are read by ``static/zoeken.js``."""

PAGES = ("*.html", "*.svg")


@dataclass(frozen=True)
class BrokenLink:
    """A link that leads nowhere: the page it is on (site path), the link as written, why."""

    page: str
    link: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} ({self.reason})"


@dataclass(frozen=True)
class _Parsed:
    links: tuple[str, ...]
    ids: frozenset[str]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.links.append(value)
            elif name == "srcset":
                self.links.extend(part.split()[0] for part in value.split(",") if part.strip())


def broken_links(site: Path) -> tuple[BrokenLink, ...]:
    """Reads every HTML page (and SVG) of a built site; returns the links that lead nowhere."""
    checker = _Checker(site.resolve())
    pages = sorted(p for pattern in PAGES for p in site.resolve().rglob(pattern))
    return tuple(broken for page in pages for broken in checker.check(page))


class _Checker:
    def __init__(self, site: Path) -> None:
        self.site = site
        self.parsed: dict[Path, _Parsed] = {}

    def parse(self, path: Path) -> _Parsed:
        if path not in self.parsed:
            parser = _Parser()
            parser.feed(path.read_text(encoding="utf-8"))
            parser.close()
            self.parsed[path] = _Parsed(tuple(parser.links), frozenset(parser.ids))
        return self.parsed[path]

    def check(self, page: Path) -> Iterator[BrokenLink]:
        name = page.relative_to(self.site).as_posix()
        for link in self.parse(page).links:
            reason = self.problem(page, link)
            if reason:
                yield BrokenLink(name, link, reason)

    def problem(self, page: Path, link: str) -> str:
        """Why ``link`` on ``page`` leads nowhere, or "" when it resolves."""
        parts = urlsplit(link)
        if parts.scheme or parts.netloc:
            return ""
        target = self.target(page, unquote(parts.path))
        if target is None:
            return "buiten de site"
        if not target.is_file():
            return "map zonder index.html" if target.is_dir() else "bestand bestaat niet"
        if "#" not in link:
            return ""
        fragment = unquote(parts.fragment)
        if target.suffix not in (".html", ".svg"):
            return f"anker #{fragment} in een bestand zonder ids"
        if fragment not in self.parse(target).ids:
            return f"anker #{fragment} bestaat niet"
        return ""

    def target(self, page: Path, path: str) -> Path | None:
        """The file a link's path points to, or None when it leaves the site."""
        if not path:
            return page
        base = self.site if path.startswith("/") else page.parent
        joined = posixpath.normpath((base / path.lstrip("/")).as_posix())
        resolved = Path(joined)
        if resolved != self.site and self.site not in resolved.parents:
            return None
        return resolved / "index.html" if path.endswith("/") else resolved
