"""Security for static hosting: one strict CSP, nothing inline, every name from the data escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from generator import config
from generator.build import build

INLINE_HANDLER = re.compile(r"^on[a-z]+$")


class _Inline(HTMLParser):
    """Everything a CSP without 'unsafe-inline' would block: style, script and handlers."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("http-equiv") == "Content-Security-Policy":
            self.csp = values.get("content") or ""
        if tag == "style":
            self.found.append("<style>")
        if (
            tag == "script"
            and not values.get("src")
            and values.get("type") != "application/ld+json"
        ):
            self.found.append("<script> without src")
        self.found += [f"{tag} {name}=" for name, _ in attrs if name == "style"]
        self.found += [f"{tag} {name}=" for name, _ in attrs if INLINE_HANDLER.match(name)]
        if values.get("href", "").lower().startswith("javascript:"):
            self.found.append(f"{tag} href=javascript:")


def test_every_page_has_the_strict_csp_and_nothing_it_would_block(tiny_site: Path) -> None:
    pages = sorted(tiny_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        parser = _Inline()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.csp == config.CSP, page
        assert "unsafe" not in parser.csp
        assert parser.found == [], (page, parser.found)


def test_the_headers_file_sends_the_same_csp_to_every_path(tiny_site: Path) -> None:
    lines = (tiny_site / "_headers").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "/*"
    headers = dict(line.strip().split(": ", 1) for line in lines[1:])
    assert headers["Content-Security-Policy"] == config.CSP
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_a_name_with_markup_in_the_data_is_shown_as_text(tiny_data: Path, tmp_path: Path) -> None:
    gemeenten = tiny_data / "referentie" / "gemeenten.csv"
    evil = "<img src=x onerror=alert(1)> & \"Beek\" 'veen'"
    text = gemeenten.read_text(encoding="utf-8").replace(
        "Beekveen", f'"{evil.replace(chr(34), 2 * chr(34))}"'
    )
    gemeenten.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    build(tiny_data, site, tmp_path / "cache")
    pages = [p.read_text(encoding="utf-8") for p in sorted(site.rglob("*.html"))]
    assert not any("<img src=x" in page for page in pages)
    assert any("&lt;img src=x onerror=alert(1)&gt; &amp;" in page for page in pages)
