"""Stage 9, render: pages to HTML with Jinja (StrictUndefined, autoescape, Dutch filters).

Reads a ``Page``; returns its HTML. Links in templates go through ``url()``, which makes them
relative to the page, so the site works under any base path and from the file system.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from generator import bundles, config, dutch
from generator.context import Cell, ChartFile, Page, TableDisplay


def environment(templates: Path | None = None) -> Environment:
    """The Jinja environment on ``templates`` (by default ``config.TEMPLATES``, read now)."""
    return _environment(templates or config.TEMPLATES)


@cache
def _environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(getal=dutch.getal, procent=dutch.procent, bedrag=dutch.bedrag)
    env.filters["cell"] = cell_text
    env.filters["table_rows"] = table_rows
    env.globals.update(
        site_name=config.SITE_NAME,
        mark=config.SUPPRESSION_MARK,
        site_url=config.SITE_URL,
        bulk_file=bundles.BULK_FILE,
        csp=config.CSP,
    )
    return env


def render(page: Page, demo: bool) -> str:
    """Reads a page of the site plan; returns its HTML."""
    template = environment().get_template(page.template)
    return template.render(page=page, data=page.data, demo=demo, url=_relative_to(page.url))


def render_embed(page: Page, chart: ChartFile, demo: bool) -> str:
    """A chart alone, for an iframe on another site: the SVG, its caption and its source."""
    template = environment().get_template("embed.html")
    return template.render(page=page, chart=chart, demo=demo, url=_relative_to(page.url))


def relative_url(page_url: str, target: str) -> str:
    """The link from a page (``swv/PO2001/``) to a site path (``gemeente/GM0001/``)."""
    if "://" in target or target.startswith("mailto:"):
        return target
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    here = posixpath.dirname(page_url.rstrip("/") + "/x") if page_url else ""
    link = posixpath.relpath(target or ".", here or ".")
    if target.endswith("/") or target == "":
        link = link.rstrip("/") + "/" if link != "." else "./"
    return link + anchor


def _relative_to(page_url: str) -> Callable[[str], str]:
    return lambda target: relative_url(page_url, target)


_FORMATS: dict[str, Callable[[Any], str]] = {
    "count": dutch.getal,
    "integer": dutch.getal,
    "percent": dutch.procent,
    "euro": dutch.bedrag,
    "number": lambda v: dutch.getal(v, 1),
    "boolean": dutch.ja_nee,
}


def cell_text(cell: Cell) -> str:
    """A cell's value in Dutch notation (the suppression mark is drawn by the template)."""
    if cell.value is None:
        return ""
    if cell.kind == "rounded":
        return dutch.afgerond(cell.value, cell.rounding)
    return _FORMATS.get(cell.kind, str)(cell.value)


def table_rows(table: TableDisplay) -> Markup:
    """A data table's body rows as HTML, each line ending in a newline. Written here, not in
    the template: a loop over 900,000 cells costs Jinja more than the rest of the page."""
    numeric = [' class="num' if n else ' class="' for n in table.numeric]
    veld = table.transposed and bool(table.fields)
    lines: list[str] = []
    for index, row in enumerate(table.rows):
        lines.append("<tr>\n")
        for column, cell in enumerate(row):
            if column < table.row_headers:
                field = f' data-veld="{escape(table.fields[index])}"' if veld else ""
                lines.append(f'<th scope="row"{field}>{escape(cell.value)}</th>\n')
            else:
                count = " count" if cell.kind in ("count", "rounded") else ""
                lines.append(f'<td{numeric[column]}{count}">{_cell_html(cell)}</td>\n')
        lines.append("</tr>\n")
    return Markup("".join(lines))


_SUPPRESSED = Markup('<span class="supp" title="afgeschermd">{}</span>').format(
    config.SUPPRESSION_MARK
)


def _cell_html(cell: Cell) -> str:
    if cell.suppressed:
        return _SUPPRESSED
    if cell.value is None:
        return "–"
    return escape(cell_text(cell))


def render_not_found() -> str:
    """The 404 page; its links are absolute because it is served at any path."""
    template = environment().get_template("404.html")
    return template.render(url=lambda target: f"/{target}", demo=False, page=None, data=None)


def headers_file() -> str:
    """``_headers`` for static hosts: the security headers on every path."""
    lines = ["/*", *(f"  {name}: {value}" for name, value in config.SECURITY_HEADERS)]
    return "\n".join(lines) + "\n"


def sitemap(urls: Sequence[str]) -> str:
    """sitemap.xml listing every page of the site, by URL."""
    template = environment().get_template("sitemap.xml")
    return template.render(urls=[config.SITE_URL + url for url in urls])
