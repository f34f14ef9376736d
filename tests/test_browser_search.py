"""Search in a real browser: as you type, by keyboard only, without JavaScript, only localhost.

Uses the server and Chromium of ``conftest.py`` and the helpers of ``test_browser.py``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.test_browser import (
    LOCAL_HOSTS,
    OPEN_DETAILS,
    SCREENSHOTS,
    WCAG_TAGS,
    Browser,
    Page,
    describe_violations,
    open_page,
    run_axe,
)

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "datapackages" / "referentie"
FAILED_LOAD = "Failed to load resource"


def rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def an_swv() -> dict[str, str]:
    """An SWV whose last name part is unique among all SWV names."""
    swvs = rows("swv.csv")
    for swv in swvs:
        part = swv["naam"].split()[-1][:6].lower()
        if sum(part in s["naam"].lower() for s in swvs) == 1:
            return {**swv, "part": part}
    raise AssertionError("no SWV with a distinctive name part")


def a_gemeente() -> dict[str, str]:
    """A current gemeente in two po SWVs (split by postcode), with its SWV codes."""
    current = {g["code"]: g for g in rows("gemeenten.csv") if not g["geldig_tot"]}
    links = rows("gemeente_swv.csv")
    for code, gemeente in sorted(current.items()):
        swvs = sorted(r["swv_code"] for r in links if r["gemeente_code"] == code)
        if sum(s.startswith("PO") for s in swvs) == 2:
            return {**gemeente, "swvs": " ".join(swvs)}
    raise AssertionError("no split gemeente")


def result_links(page: Page, form: str = "#zoek-resultaten") -> list[str]:
    return [text.strip() for text in page.locator(f"{form} a.result-link").all_inner_texts()]


def type_query(page: Page, selector: str, text: str) -> None:
    page.fill(selector, "")
    page.type(selector, text)
    # The status names the query once its results are shown (no page-side polling: the CSP
    # forbids the eval that a string predicate would need).
    status = page.locator(selector.replace("-q", "-status"))
    status.filter(has_text=f"‘{text}’").wait_for()


def test_search_finds_an_swv_by_part_of_its_name_and_follows_it(
    browser: Browser, base_url: str
) -> None:
    swv = an_swv()
    page = open_page(browser, base_url + "/")
    try:
        type_query(page, "#zoek-q", swv["part"])
        expected = f"{swv['code']} · {swv['naam']}"
        assert expected in result_links(page), result_links(page)
        assert "resultaat" in page.inner_text("#zoek-status")
        page.get_by_role("link", name=expected).click()
        page.wait_for_url(f"**/swv/{swv['code']}/")
        assert swv["naam"] in page.inner_text("h1")
    finally:
        page.context.close()


def test_search_finds_a_gemeente_by_its_name_and_names_its_swvs(
    browser: Browser, base_url: str
) -> None:
    gemeente = a_gemeente()
    page = open_page(browser, base_url + "/")
    try:
        type_query(page, "#zoek-q", gemeente["naam"].upper())
        first = page.locator("#zoek-resultaten li.result").first
        assert first.locator("a.result-link").inner_text() == gemeente["naam"]
        swv_links = first.locator("ul.result-rel a").all_inner_texts()
        assert [text.split(" · ")[0] for text in swv_links] == gemeente["swvs"].split()
        first.locator("a.result-link").click()
        page.wait_for_url(f"**/gemeente/{gemeente['code']}/")
        assert gemeente["naam"] in page.inner_text("h1")
    finally:
        page.context.close()


def test_search_ignores_case_and_accents_and_finds_by_code(browser: Browser, base_url: str) -> None:
    gemeenten = [g for g in rows("gemeenten.csv") if not g["geldig_tot"]]
    frisian = {g["naam"] for g in gemeenten if g["provincie"] == "Fryslân"}
    page = open_page(browser, base_url + "/zoeken/?q=fryslan")
    try:
        page.locator("#zoek-resultaten li").first.wait_for()
        assert page.input_value("#zoek-q") == "fryslan"
        assert frisian <= set(result_links(page))
        type_query(page, "#zoek-q", gemeenten[0]["code"].lower())
        assert result_links(page)[0] == gemeenten[0]["naam"]
        type_query(page, "#zoek-q", "qqqzzz")
        assert result_links(page) == []
        assert "Geen resultaten" in page.inner_text("#zoek-status")
    finally:
        page.context.close()


def focused(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate(
            "() => ({id: document.activeElement.id, href: document.activeElement.href || '',"
            " text: document.activeElement.textContent.trim()})"
        )
    )


def tab_to(page: Page, element_id: str) -> None:
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page)["id"] == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_the_search_works_with_the_keyboard_only(browser: Browser, base_url: str) -> None:
    gemeente = a_gemeente()
    page = open_page(browser, base_url + "/")
    try:
        tab_to(page, "zoek-q")
        page.keyboard.type(gemeente["naam"].lower())
        page.wait_for_selector("#zoek-resultaten a.result-link")
        page.keyboard.press("ArrowDown")
        assert focused(page)["text"] == gemeente["naam"]
        page.keyboard.press("ArrowDown")
        assert focused(page)["text"].startswith(gemeente["swvs"].split()[0])
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert focused(page)["id"] == "zoek-q"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/gemeente/{gemeente['code']}/")
    finally:
        page.context.close()


def test_the_header_search_on_other_pages_opens_and_follows_by_keyboard(
    browser: Browser, base_url: str
) -> None:
    swv = an_swv()
    page = open_page(browser, base_url + "/gemeente/")
    try:
        panel = page.locator("#kop-zoek-resultaten")
        tab_to(page, "kop-zoek-q")
        page.keyboard.type(swv["code"])
        page.wait_for_selector("#kop-zoek-resultaten a.result-link")
        assert panel.is_visible()
        assert result_links(page, "#kop-zoek-resultaten")[0] == f"{swv['code']} · {swv['naam']}"
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/swv/{swv['code']}/")
    finally:
        page.context.close()


def test_without_javascript_the_form_leads_to_a_page_listing_everything(
    browser: Browser, base_url: str
) -> None:
    gemeente = a_gemeente()
    page = open_page(browser, base_url + "/", java_script_enabled=False)
    try:
        page.fill("#zoek-q", gemeente["naam"])
        page.press("#zoek-q", "Enter")
        page.wait_for_url("**/zoeken/?q=*")
        assert page.is_visible(".search-nojs")
        link = page.get_by_role("link", name=gemeente["naam"], exact=True)
        row = page.locator("#alle-gemeenten ~ .table-wrap tbody tr", has=link)
        assert row.count() == 1
        codes = [t.split(" · ")[0] for t in row.locator("td a").all_inner_texts()]
        assert codes == gemeente["swvs"].split()
        swv_rows = page.locator("#alle-swvs ~ .table-wrap tbody tr").count()
        assert swv_rows == len(rows("swv.csv"))
    finally:
        page.context.close()


def test_searching_requests_nothing_from_other_hosts(browser: Browser, base_url: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # Failed loads are caught with their URL by "response"; the console's own line about them
    # also covers the browser's favicon request, which is not the page's.
    page.on(
        "console",
        lambda m: m.type == "error" and FAILED_LOAD not in m.text and errors.append(m.text),
    )
    page.on("requestfailed", lambda request: errors.append(f"failed: {request.url}"))
    page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status}: {r.url}"))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(base_url + "/", wait_until="networkidle")
        type_query(page, "#zoek-q", "ven")
        page.locator("#zoek-resultaten a.result-link").first.click()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert not errors, errors  # a script error or a Content-Security-Policy refusal
    port = urlsplit(base_url).port
    assert any(url.endswith("/zoekindex.json") for url in requested), requested
    foreign = [
        url
        for url in requested
        if urlsplit(url).hostname not in LOCAL_HOSTS or urlsplit(url).port != port
    ]
    assert not foreign, f"requests to other hosts: {foreign}"


def test_axe_finds_no_violation_with_search_results_shown(browser: Browser, base_url: str) -> None:
    reports = []
    for path, selector in [
        ("/", "#zoek-q"),
        ("/swv/PO2001/", "#kop-zoek-q"),
        ("/zoeken/", "#zoek-q"),
    ]:
        page = open_page(browser, base_url + path)
        try:
            type_query(page, selector, "ven")
            page.evaluate(OPEN_DETAILS)
            violations = run_axe(page, WCAG_TAGS)["violations"]
        finally:
            page.context.close()
        if violations:
            reports.append(f"{path}:\n{describe_violations(violations)}")
    assert not reports, "\n".join(reports)


def test_screenshot_home_page_with_search_results(browser: Browser, base_url: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        target = SCREENSHOTS / f"home-zoeken-{width}.png"
        page = open_page(browser, base_url + "/", viewport={"width": width, "height": 900})
        try:
            type_query(page, "#zoek-q", "wes")
            page.locator("form.search").evaluate("form => form.scrollIntoView()")
            page.screenshot(path=str(target))
        finally:
            page.context.close()
        assert target.stat().st_size > 10_000
