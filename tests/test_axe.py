"""axe-core (WCAG 2.0/2.1 A and AA rules) in Chromium over every built page of the demo site: zero violations.

One browser context with axe as an init script (compiled by the page, not sent over the wire for every page)
and one tab reused for all pages keep ~300 pages to about a minute on two cores.
"""

from __future__ import annotations

import time

import pytest

from conftest import REPO
from site_pages import html_pages, page_url

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then(result => result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    targets: v.nodes.map(n => n.target.join(' '))})))"""
LOW_CONTRAST = """<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>
<p style="color:#bbb;background:#fff">Pale text</p><img src="data:,"></main></body></html>"""


def axe_violations(page, url: str) -> list[dict]:
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


@pytest.mark.browser
@pytest.mark.checkers
def test_every_page_has_no_axe_violations(axe_page, demo_site, demo_server):
    pages = html_pages(demo_site)
    assert len(pages) > 50
    started = time.monotonic()
    found = {}
    for path in pages:
        url = page_url(demo_site, path)
        violations = axe_violations(axe_page, demo_server + url)
        if violations:
            found[url] = violations
    print(f"axe: {len(pages)} pages in {time.monotonic() - started:.1f} s")
    assert not found, format_violations(found)
