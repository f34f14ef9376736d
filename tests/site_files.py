"""Reading a built site back, for the end-to-end tests."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.count_cells: list[str] = []
        self._in_count = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("a", "link") and values.get("href"):
            self.links.append(values["href"] or "")
        if tag == "img" and values.get("src"):
            self.links.append(values["src"] or "")
        if tag == "td" and "count" in (values.get("class") or "").split():
            self._in_count = True
            self.count_cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_count = False

    def handle_data(self, data: str) -> None:
        if self._in_count:
            self.count_cells[-1] += data


def parse_html(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def internal_targets(page: Path, site: Path) -> Iterator[Path]:
    """Every file an internal link or image of a page points to (resolved, maybe missing)."""
    for href in parse_html(page).links:
        if "://" in href or href.startswith(("mailto:", "#")):
            continue
        path = href.split("#")[0]
        base = site if path.startswith("/") else page.parent
        target = (base / path.lstrip("/")).resolve()
        yield target / "index.html" if path.endswith("/") or path == "" else target


def tree_digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def number(text: str) -> int | None:
    """A Dutch-formatted whole number as int, or None when the text is not one."""
    cleaned = text.strip().replace(".", "")
    return int(cleaned) if re.fullmatch(r"-?\d+", cleaned) else None


def count_fields(descriptor_path: Path) -> dict[str, set[str]]:
    """Per CSV of a datapackage.json: the names of its fields that are counts of persons."""
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    return {
        r["path"]: {f["name"] for f in r["schema"]["fields"] if f.get("privacy") == "telling"}
        for r in descriptor["resources"]
    }
