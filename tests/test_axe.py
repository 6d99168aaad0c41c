"""axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in Chromium over every built page of the demo site, at 320 px (a
small phone) and 1280 px: zero violations.

A browser context with axe as an init script (compiled by the page, not sent over the wire for every page) and
one tab reused for all pages, one browser per width in its own thread, so the two widths run on both cores.
"""

from __future__ import annotations

import re
import threading
import time

import pytest

from conftest import REPO
from site_pages import html_pages, page_url

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]  # 2.2: target size (2.5.8)
RUN_AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target.join(' '))})))"""
LOW_CONTRAST = """<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>
<p style="color:#bbb;background:#fff">Pale text</p><img src="data:,"></main></body></html>"""


REFRESH = re.compile(r'<meta http-equiv="refresh"[^>]*>')


def _without_refresh(route):
    """A redirect page as served, minus its meta refresh, so axe checks the page itself, not where it leads."""
    response = route.fetch()
    route.fulfill(response=response, body=REFRESH.sub("", response.text()))


def axe_violations(page, url: str, redirect: bool = False) -> list[dict]:
    if redirect:
        page.route(url, _without_refresh)
    page.goto(url)
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def format_violations(found: dict[str, list[dict]]) -> str:
    lines = []
    for url, violations in found.items():
        for violation in violations:
            for target in violation["targets"]:
                lines.append(f"{violation['id']} ({violation['impact']}) on {url} at {target}: {violation['help']}"
                             f" – {violation['helpUrl']}")
    return f"{len(lines)} axe violation(s):\n" + "\n".join(lines)


@pytest.fixture(scope="module")
def axe_page(chromium):
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make browser-deps)"
    context = chromium.new_context()
    context.add_init_script(path=str(AXE))
    yield context.new_page()
    context.close()


@pytest.mark.browser
@pytest.mark.checkers  # axe-core from node_modules
def test_axe_reports_a_violation_it_should(axe_page, tmp_path, demo_server):
    """The gate itself works: a low-contrast paragraph and an image without alt are found."""
    axe_page.set_content(LOW_CONTRAST)
    violations = axe_page.evaluate(RUN_AXE, WCAG_TAGS)
    assert {"color-contrast", "image-alt"} <= {v["id"] for v in violations}
    assert "color-contrast" in format_violations({"/x/": violations})


def _axe_every_page(page, urls: list[tuple[str, bool]], found: dict) -> None:
    for url, redirect in urls:
        violations = axe_violations(page, url, redirect)
        if violations:
            found[url] = violations


def _axe_in_own_browser(width: int, urls: list[tuple[str, bool]], found: dict, failures: list) -> None:
    """The same check in a second browser of this thread's own (Playwright objects stay in their thread), so
    both cores work: one width per browser."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": width, "height": 800})
            context.add_init_script(path=str(AXE))
            _axe_every_page(context.new_page(), urls, found)
            browser.close()
    except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
        failures.append(error)


@pytest.mark.browser
@pytest.mark.checkers
def test_every_page_has_no_axe_violations_at_320_and_1280_px(axe_page, demo_site, demo_server):
    pages = html_pages(demo_site)
    assert len(pages) > 50
    urls = [(demo_server + page_url(demo_site, path), bool(REFRESH.search(path.read_text(encoding="utf-8"))))
            for path in pages]
    started = time.monotonic()
    narrow, wide, failures = {}, {}, []
    phone = threading.Thread(target=_axe_in_own_browser, args=(320, urls, narrow, failures))
    phone.start()
    axe_page.set_viewport_size({"width": 1280, "height": 800})
    _axe_every_page(axe_page, urls, wide)
    phone.join()
    if failures:
        raise failures[0]
    print(f"axe: {len(pages)} pages at 320 and 1280 px in {time.monotonic() - started:.1f} s")
    found = {**{f"{url} (1280 px)": v for url, v in wide.items()}, **{f"{url} (320 px)": v for url, v in narrow.items()}}
    assert not found, format_violations(found)
