"""Real-browser checks of the built shipped site: accessibility, no JavaScript, no foreign hosts.

The site from the ``shipped_site`` fixture is served on 127.0.0.1 and opened in Debian's Chromium
(no downloads: Playwright's own browsers are never installed); the fixtures ``base_url`` and
``browser`` are in ``conftest.py``, shared with ``test_browser_search.py``. Screenshots land in
``test-artifacts/screenshots/`` at the repository root.
"""

from __future__ import annotations

import csv
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SWV_PAGE = "/swv/PO2001/"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

Browser = Any  # playwright.sync_api.Browser; kept loose so the module imports without it
Page = Any


def split_gemeente() -> str:
    """The first gemeente that the reference table splits by postcode over two po SWVs."""
    path = ROOT / "datapackages" / "referentie" / "gemeente_swv.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["postcodes"].strip()]
    po_counts = Counter(row["gemeente_code"] for row in rows if row["swv_code"].startswith("PO"))
    return next(code for code, count in sorted(po_counts.items()) if count == 2)


@pytest.fixture(scope="session")
def gemeente_page() -> str:
    return f"/gemeente/{split_gemeente()}/"


def open_page(browser: Browser, url: str, **context_options: Any) -> Page:
    """A fresh context and page with the URL loaded; close it with ``page.context.close()``."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url} gave {response and response.status}"
    return page


def node_summary(node: dict[str, Any]) -> str:
    """The node's selector and, where axe gives one, why it failed or could not be checked."""
    checks = node.get("any") or node.get("all") or node.get("none") or []
    reason = checks[0].get("message", "") if checks else ""
    return f"{', '.join(map(str, node['target']))}  {reason}".rstrip()


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {node_summary(node)}" for node in violation["nodes"][:4])
    return "\n".join(lines)


# ---------------------------------------------------------------- 1. axe-core, WCAG 2.1 A/AA


def test_split_gemeente_page_names_two_po_swvs(
    browser: Browser, base_url: str, gemeente_page: str
) -> None:
    page = open_page(browser, base_url + gemeente_page)
    try:
        po_links = page.locator("#swvs ~ ul a[href*='/swv/PO']").count()
        assert po_links == 2, f"{gemeente_page} should link two po SWVs, links {po_links}"
    finally:
        page.context.close()


AXE_PAGES = [
    "/",
    SWV_PAGE,
    "GEMEENTE",
    "/swv/VO0001/",
    "/datasets/langdurig-relatief-verzuim/",
    "/privacy/",
]
OPEN_DETAILS = "document.querySelectorAll('details').forEach((d) => { d.open = true; })"
# The scroll shadows of .table-wrap are a background gradient, and cells scrolled out of their
# .table-wrap are clipped: axe cannot measure text contrast there ("incomplete"). The shadows are
# decorative, so a second run measures the text laid out in full on the plain page background.
LAY_OUT_IN_FULL = """
() => {
  document.querySelectorAll('.table-wrap, .chart-view').forEach((el) => {
    el.style.background = 'none';
    el.style.overflow = 'visible';
  });
  document.querySelector('main').style.maxWidth = 'none';
}
"""


def run_axe(page: Page, values: list[str], kind: str = "tag") -> dict[str, Any]:
    options = {
        "runOnly": {"type": kind, "values": values},
        "resultTypes": ["violations", "incomplete"],
    }
    # The interactive Vega views are aria-hidden copies of the static charts beside them; axe
    # cannot measure text inside an SVG, so their text colours are checked on the specs
    # (test_charts.py) and the static charts stay in the check.
    context = {"exclude": [[".chart-interactive"]]}
    return axe_api.Axe().run(page, context=context, options=options).response


@pytest.mark.parametrize("path", AXE_PAGES)
def test_axe_finds_no_wcag_violations(
    browser: Browser, base_url: str, gemeente_page: str, path: str
) -> None:
    url = base_url + (gemeente_page if path == "GEMEENTE" else path)
    page = open_page(browser, url)
    try:
        page.evaluate(OPEN_DETAILS)  # the collapsed tables and lists are checked too
        violations = run_axe(page, WCAG_TAGS)["violations"]
        page.set_viewport_size({"width": 2560, "height": 1000})
        page.evaluate(LAY_OUT_IN_FULL)
        contrast = run_axe(page, ["color-contrast"], kind="rule")
    finally:
        page.context.close()
    unmeasured = contrast["incomplete"]
    report = describe_violations(violations + contrast["violations"] + unmeasured)
    print(report)
    assert not violations, f"axe on {url}:\n{report}"
    assert not contrast["violations"], f"contrast on {url}:\n{report}"
    assert not unmeasured, f"contrast axe could not measure on {url}:\n{report}"


# ---------------------------------------------------------------- 2. readable without JavaScript

CHARTS_WITH_TABLES = """
() => [...document.querySelectorAll('figure.chart')].map((figure) => {
  const img = figure.querySelector('img');
  const svg = figure.querySelector('svg');
  const section = figure.closest('section');
  const tables = [...section.querySelectorAll('table.data')];
  const after = tables.find(
    (table) => figure.compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING);
  const svgText = svg
    ? (svg.getAttribute('aria-label') || svg.querySelector('title')?.textContent || '')
    : '';
  return {
    src: img ? img.getAttribute('src') : null,
    loaded: img ? img.complete && img.naturalWidth > 0 : svg !== null,
    alt: img ? (img.getAttribute('alt') || '') : svgText,
    bron: after ? after.getAttribute('data-bron') : null,
  };
})
"""


def test_charts_have_text_and_tables_without_javascript(browser: Browser, base_url: str) -> None:
    page = open_page(browser, base_url + SWV_PAGE, java_script_enabled=False)
    try:
        charts = page.evaluate(CHARTS_WITH_TABLES)
        sources = page.eval_on_selector_all("table.data", "ts => ts.map(t => t.dataset.bron)")
    finally:
        page.context.close()
    assert charts, f"{SWV_PAGE} shows no charts"
    for chart in charts:
        assert chart["loaded"], f"chart {chart['src']} did not load"
        assert chart["alt"].strip(), f"chart {chart['src']} has no text alternative"
        assert chart["bron"], f"chart {chart['src']} has no data table after it"
        assert Path(chart["bron"]).stem == Path(chart["src"]).stem, chart
    assert all(source and source.endswith(".csv") for source in sources), sources
    for source in sources:
        with urllib.request.urlopen(base_url + SWV_PAGE + source) as response:
            assert response.status == 200, source


def test_with_javascript_every_chart_becomes_interactive_within_the_csp(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    try:
        page.goto(base_url + SWV_PAGE, wait_until="networkidle")
        figures = page.locator("figure[data-spec]").count()
        interactive = page.locator("figure.is-interactive .chart-interactive svg")
        for _ in range(100):  # not wait_for_function: its eval is refused by the site's CSP
            if interactive.count() == figures:
                break
            page.wait_for_timeout(200)
        assert interactive.count() == figures
        static_box = page.locator("figure.chart .chart-view").first.bounding_box()
        point = page.locator("figure.chart.is-interactive .chart-interactive .mark-symbol path")
        point.first.hover(force=True)
        page.wait_for_selector("#vg-tooltip-element.visible", timeout=5_000)
        tooltip = page.inner_text("#vg-tooltip-element")
    finally:
        context.close()
    assert figures >= 3
    assert static_box and static_box["width"] <= 1, (
        "the static SVG stays beside the interactive one"
    )
    assert tooltip.strip(), "hovering a point shows no tooltip"
    assert not problems, problems


# ---------------------------------------------------------------- 3. nothing from another host


def test_no_request_leaves_localhost(browser: Browser, base_url: str, gemeente_page: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        for path in ["/", SWV_PAGE, gemeente_page]:
            page.goto(base_url + path, wait_until="networkidle")
    finally:
        context.close()
    port = urlsplit(base_url).port
    foreign = [
        url
        for url in requested
        if urlsplit(url).scheme != "data"
        and (urlsplit(url).hostname not in LOCAL_HOSTS or urlsplit(url).port != port)
    ]
    assert len(requested) >= 3
    assert not foreign, f"requests to other hosts: {foreign}"


# ---------------------------------------------------------------- 4. keyboard

FOCUS_STATE = """
() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    cls: el.className,
    href: el.getAttribute('href'),
    text: el.textContent.trim().slice(0, 60),
    outline: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    shadow: style.boxShadow,
    width: box.width,
    height: box.height,
    inView: box.bottom > 0 && box.right > 0 && box.top < innerHeight && box.left < innerWidth,
  };
}
"""


def has_focus_ring(state: dict[str, Any]) -> bool:
    outlined = state["outline"] != "none" and state["outlineWidth"] >= 2
    return outlined or state["shadow"] not in ("", "none")


@pytest.mark.parametrize("path", ["/", SWV_PAGE])
def test_first_tab_reaches_visible_skip_link(browser: Browser, base_url: str, path: str) -> None:
    page = open_page(browser, base_url + path)
    try:
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        assert state["tag"] == "a" and state["href"] == "#inhoud", state
        assert state["width"] > 20 and state["height"] > 10 and state["inView"], state
        assert has_focus_ring(state), state
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "inhoud"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('main') !== null")
    finally:
        page.context.close()


def test_focused_elements_show_a_focus_ring(browser: Browser, base_url: str) -> None:
    page = open_page(browser, base_url + SWV_PAGE)
    try:
        missing = []
        for _ in range(25):
            page.keyboard.press("Tab")
            state = page.evaluate(FOCUS_STATE)
            if not has_focus_ring(state):
                missing.append(state)
    finally:
        page.context.close()
    assert not missing, f"focused without a visible ring: {missing}"


# ---------------------------------------------------------------- 5. 320 px wide

OVERFLOW = """
() => ({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .filter((el) => !el.closest('.table-wrap, .chart-view, .visually-hidden, .skip-link'))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + '.' + el.className + ' ' + el.textContent.slice(0, 40)),
})
"""


@pytest.mark.parametrize("path", ["/", SWV_PAGE, "GEMEENTE"])
def test_no_horizontal_scroll_at_320_px(
    browser: Browser, base_url: str, gemeente_page: str, path: str
) -> None:
    url = base_url + (gemeente_page if path == "GEMEENTE" else path)
    page = open_page(browser, url, viewport={"width": 320, "height": 640})
    try:
        page.evaluate(OPEN_DETAILS)
        result = page.evaluate(OVERFLOW)
    finally:
        page.context.close()
    assert result["scrollWidth"] <= result["innerWidth"], result


BROKEN_WORDS = """
() => {
  const broken = [];
  for (const heading of document.querySelectorAll('main h1, main h2, main h3')) {
    const walker = document.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}
"""


@pytest.mark.parametrize("path", ["/", "/swv/", SWV_PAGE, "GEMEENTE"])
def test_headings_keep_words_whole_at_320_px(
    browser: Browser, base_url: str, gemeente_page: str, path: str
) -> None:
    url = base_url + (gemeente_page if path == "GEMEENTE" else path)
    page = open_page(browser, url, viewport={"width": 320, "height": 640})
    try:
        broken = page.evaluate(BROKEN_WORDS)
    finally:
        page.context.close()
    assert not broken, f"words split over two lines in headings on {url}: {broken}"


# ---------------------------------------------------------------- 6. screenshots


@pytest.mark.parametrize("width", [375, 1280])
def test_screenshot_swv_page(browser: Browser, base_url: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"swv-PO2001-{width}.png"
    page = open_page(browser, base_url + SWV_PAGE, viewport={"width": width, "height": 800})
    try:
        page.screenshot(path=str(target), full_page=True)
    finally:
        page.context.close()
    assert target.stat().st_size > 10_000


def test_a_comparison_legend_stays_inside_its_chart_on_a_phone(
    browser: Browser, base_url: str, gemeente_page: str
) -> None:
    """The split gemeente compares itself with two po SWVs: four series in a sector's row,
    wider than a phone; there the interactive legend lists one series per line."""
    page = open_page(browser, base_url + gemeente_page, viewport={"width": 375, "height": 800})
    try:
        figure = page.locator("figure.is-interactive[data-spec*=vergelijking]")
        for _ in range(100):  # not wait_for_function: its eval is refused by the site's CSP
            if figure.count():
                break
            page.wait_for_timeout(200)
        box = figure.first.bounding_box()
        labels = figure.first.locator(".chart-interactive .role-legend-label text").all()
        edges = [label.bounding_box() for label in labels]
    finally:
        page.context.close()
    assert box and edges, "the comparison did not become interactive"
    right = box["x"] + box["width"]
    assert all(e and e["x"] + e["width"] <= right + 1 for e in edges), (right, edges)
