"""Settings shared by the stages: thresholds, output paths and the site's URL scheme.

Every output path of the site is made here, so the URL scheme is documented in one place
(see docs/urls.md).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
CONTENT = ROOT / "content"
STATIC = ROOT / "static"

SITE_NAME = "Passend onderwijs in cijfers"

PRIVACY_THRESHOLD = 5
"""Counts from 1 up to (not including) this value are suppressed (primary suppression)."""

SUPPRESSION_MARK = "x"
"""The one neutral mark for a suppressed value on pages, for primary and secondary alike."""

REFERENCE_PACKAGE = "referentie"
COMPARISON_RESOURCE = "vergelijking"
"""The derived resource that sets each SWV beside its comparison groups (``derive.py``)."""

CONTENT_PAGES = ("over", "privacy", "toegankelijkheid")


def swv_url(code: str) -> str:
    return f"swv/{code}/"


def gemeente_url(code: str) -> str:
    return f"gemeente/{code}/"


def dataset_url(name: str) -> str:
    return f"datasets/{name}/"


SEARCH_URL = "zoeken/"
"""The search page: the target of every search form, listing every SWV and gemeente."""

SEARCH_INDEX = "zoekindex.json"
"""The search index at the site root: names, codes and relations, never a count."""


def content_url(name: str) -> str:
    return f"{name}/"


def csv_name(dataset: str, resource: str, single_resource: bool) -> str:
    """File name of a CSV download: the dataset name, plus the resource when it has several."""
    return f"{dataset}.csv" if single_resource else f"{dataset}-{resource}.csv"


def page_file(url: str) -> str:
    """The file that serves a page URL: ``swv/PO2001/`` is ``swv/PO2001/index.html``."""
    return f"{url}index.html" if url.endswith("/") or url == "" else url


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
"""The Content-Security-Policy of every page (meta tag) and of the host (``_headers``): no
inline script or style, no eval, nothing from another host. Pages may be framed (embeds)."""

SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
"""Headers for static hosts that read a ``_headers`` file (Netlify, Cloudflare Pages)."""

SITE_URL = "https://passendonderwijsincijfers.nl/"
"""Where the site is published; used where a URL must be absolute (sitemap, robots.txt)."""
