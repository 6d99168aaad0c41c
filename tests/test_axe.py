"""axe-core (WCAG 2.0/2.1/2.2 A and AA rules) in Chromium over every built page of each site of the repository
(conftest.SITES), at 320 px (a small phone) and 1280 px: zero violations.

A browser context with axe as an init script (compiled by the page, not sent over the wire for every page) and
one tab reused for all pages, one browser per width (the second in a thread of its own, launched once for all
sites), so the two widths run on both cores.
"""

from __future__ import annotations

import re
import time
from concurrent.futures import ThreadPoolExecutor

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


@pytest.fixture(scope="module")
def axe_at_320_px():
    """The same check in a second browser of its own thread (Playwright objects stay in their thread), so both
    cores work, one width per browser: a function that starts axe over some URLs there and returns a Future of
    what it finds. One thread and one browser for the module, however many sites are checked."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM, CHROMIUM_ARGS

    thread = ThreadPoolExecutor(max_workers=1)  # always the same thread
    state = {}

    def check(urls: list[tuple[str, bool]]) -> dict:
        if "page" not in state:
            state["playwright"] = sync_playwright().start()
            state["browser"] = state["playwright"].chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = state["browser"].new_context(viewport={"width": 320, "height": 800})
            context.add_init_script(path=str(AXE))
            state["page"] = context.new_page()
        found = {}
        _axe_every_page(state["page"], urls, found)
        return found

    def stop():
        if "browser" in state:
            state["browser"].close()
        if "playwright" in state:
            state["playwright"].stop()

    yield lambda urls: thread.submit(check, urls)
    thread.submit(stop).result()
    thread.shutdown()


@pytest.mark.browser
@pytest.mark.checkers
def test_every_page_has_no_axe_violations_at_320_and_1280_px(axe_page, axe_at_320_px, each_site, each_server):
    pages = html_pages(each_site)
    assert len(pages) > 50
    urls = [(each_server + page_url(each_site, path), bool(REFRESH.search(path.read_text(encoding="utf-8"))))
            for path in pages]
    started = time.monotonic()
    wide = {}
    phone = axe_at_320_px(urls)
    axe_page.set_viewport_size({"width": 1280, "height": 800})
    _axe_every_page(axe_page, urls, wide)
    narrow = phone.result()  # raises what went wrong in its thread
    print(f"axe: {len(pages)} pages at 320 and 1280 px in {time.monotonic() - started:.1f} s")
    found = {**{f"{url} (1280 px)": v for url, v in wide.items()}, **{f"{url} (320 px)": v for url, v in narrow.items()}}
    assert not found, format_violations(found)
