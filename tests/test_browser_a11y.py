"""Keyboard, reflow, motion, print, weight and no-JavaScript checks in Chromium on each built site of the
repository (conftest.SITES); the film player's checks on the demo site, the one with films.

Pages are found in the build (the first district, activity, film …), never named, so content changes don't
break the tests; a missing kind of page fails with a plain message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import html
from site_pages import html_pages, page_url

pytestmark = pytest.mark.browser

HOME_BUDGET = 100 * 1024  # bytes: HTML, CSS, JS, fonts and images of the home page together
# Is the focused element visibly marked? An outline or a box-shadow (the theme uses both).
FOCUS_MARK = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return {tag: e.tagName.toLowerCase(), text: (e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40),
          visible: outline || s.boxShadow !== 'none', inMain: !!e.closest('main'), cls: e.className}; }"""
HORIZONTAL_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def first_page(site: Path, prefix: str, selector: str | None = None, otherwise: str | None = None) -> str:
    """URL of the first built page under prefix (containing selector, when given); `otherwise` when there is
    none (and it is given)."""
    for path in html_pages(site):
        url = page_url(site, path)
        if url.startswith(prefix) and url != prefix and (selector is None or html(path).select_one(selector)):
            return url
    if otherwise is not None:
        return otherwise
    pytest.fail(f"the site has no page under {prefix}" + (f" with {selector}" if selector else ""))


@pytest.fixture
def context(chromium):
    context = chromium.new_context()
    yield context
    context.close()


def tab_through(page, times: int) -> list[dict]:
    stops = []
    for _ in range(times):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_MARK)
        if stop is None:
            break
        stops.append(stop)
    return stops


def test_tabbing_reaches_the_skip_link_first_then_main_content(context, each_server):
    page = context.new_page()
    page.goto(each_server + "/")
    first = tab_through(page, 1)[0]
    assert "skip-link" in first["cls"], f"first Tab stop is {first}, not the skip link"
    box = page.locator(".skip-link").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.tagName") == "MAIN"
    after = tab_through(page, 1)[0]
    assert after["inMain"], f"Tab after the skip link goes to {after}, outside <main>"


@pytest.mark.parametrize("prefix", ["/", "/program/", "/aktivitet/", "/en/"])
def test_focus_is_always_visible(context, each_site, each_server, prefix):
    page = context.new_page()
    page.goto(each_server + (prefix if prefix in ("/", "/en/") else first_page(each_site, prefix)))
    stops = tab_through(page, 60)
    assert len(stops) > 5
    hidden = [stop for stop in stops if not stop["visible"]]
    assert not hidden, f"focus not visible on: {hidden}"


@pytest.mark.parametrize("prefix", ["/", "/program/", "/aktivitet/", "/omrade/", "/en/programme/"])
def test_no_horizontal_scrolling_at_320_css_pixels(chromium, each_site, each_server, prefix):
    context = chromium.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.goto(each_server + (prefix if prefix in ("/", "/program/", "/en/programme/") else first_page(each_site, prefix)))
    overflow = page.evaluate(HORIZONTAL_OVERFLOW)
    context.close()
    assert overflow <= 0, f"{prefix} scrolls sideways by {overflow} px at 320 px"


@pytest.mark.parametrize("prefix", ["/", "/program/", "/aktivitet/"])
def test_text_at_200_percent_reflows_without_horizontal_scrolling(chromium, each_site, each_server, prefix):
    """Text zoom to 200% (root font size doubled, as a browser's text-only zoom does) on a small laptop width.
    Nothing may scroll sideways or be cut off (visually hidden 1-px texts for screen readers aside)."""
    context = chromium.new_context(viewport={"width": 640, "height": 800}, bypass_csp=True)
    page = context.new_page()
    page.goto(each_server + (prefix if prefix in ("/", "/program/") else first_page(each_site, prefix)))
    page.add_style_tag(content="html { font-size: 200% !important; }")
    overflow = page.evaluate(HORIZONTAL_OVERFLOW)
    clipped = page.evaluate("""() => [...document.querySelectorAll('main *')].filter(e => {
        const s = getComputedStyle(e); return e.clientWidth > 1 && e.scrollWidth > e.clientWidth + 1 && s.overflowX === 'hidden'; })
        .map(e => e.outerHTML.slice(0, 120))""")
    context.close()
    assert overflow <= 0, f"{prefix} scrolls sideways by {overflow} px with 200% text"
    assert not clipped, f"{prefix}: elements cut off text with 200% text: {clipped}"


def test_reduced_motion_turns_off_animation_and_transitions(chromium, each_server):
    context = chromium.new_context(reduced_motion="reduce", bypass_csp=True)  # to add the probe's style
    page = context.new_page()
    page.goto(each_server + "/")
    page.add_style_tag(content=".probe { transition: color 2s; animation: spin 1s infinite; }"
                               "@keyframes spin { to { transform: rotate(1turn); } }")
    page.evaluate("() => document.querySelector('main a').classList.add('probe')")
    moving = page.evaluate("""() => [...document.querySelectorAll('*')].filter(e => { const s = getComputedStyle(e);
        return s.animationName !== 'none' || s.transitionDuration.split(',').some(d => parseFloat(d) > 0)
          || s.scrollBehavior === 'smooth'; }).map(e => e.tagName + '.' + e.className)""")
    context.close()
    assert not moving, f"moving despite prefers-reduced-motion: {moving}"


def test_cancelled_is_conveyed_in_text(context, each_site, each_server):
    page = context.new_page()
    page.goto(each_server + first_page(each_site, "/program/", ".occurrence--cancelled"))
    item = page.locator(".occurrence--cancelled").first
    assert "inställt" in item.inner_text().lower() or "inställd" in item.inner_text().lower()
    page.goto(each_server + first_page(each_site, "/en/programme/", ".occurrence--cancelled"))
    assert "cancelled" in page.locator(".occurrence--cancelled").first.inner_text().lower()


def _tab_to(page, selector: str, limit: int = 200) -> bool:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return True
    return False


def test_film_player_is_reachable_and_operable_by_keyboard(context, demo_site, demo_server):
    page = context.new_page()
    page.goto(demo_server + first_page(demo_site, "/filmer/", "video"))
    assert _tab_to(page, "video"), "Tab never reaches the film's player"
    assert page.evaluate("document.querySelector('video').paused")
    page.keyboard.press("Space")  # Chromium's own player controls: Space plays
    page.wait_for_function("() => !document.querySelector('video').paused", timeout=5000)
    page.keyboard.press("Space")
    page.wait_for_function("() => document.querySelector('video').paused", timeout=5000)


def test_click_to_load_film_is_operable_by_keyboard(context, demo_site, demo_server):
    requested = []
    # The provider is never contacted in tests: abort anything that leaves the site.
    context.route(lambda url: not url.startswith(demo_server), lambda route: (requested.append(route.request.url),
                                                                               route.abort()))
    page = context.new_page()
    page.goto(demo_server + first_page(demo_site, "/filmer/", ".video-embed__button"))
    assert not requested, "the placeholder contacted the provider before the visitor chose to"
    assert _tab_to(page, ".video-embed__button"), "Tab never reaches the load button"
    page.keyboard.press("Enter")
    page.wait_for_selector(".video-embed__frame")
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"


def test_home_page_weighs_at_most_100_kb_and_stays_on_its_origin(context, each_server):
    page = context.new_page()
    responses, foreign = [], []
    page.on("request", lambda request: None if request.url.startswith(each_server) else foreign.append(request.url))
    page.on("response", lambda response: responses.append(response))
    page.goto(each_server + "/", wait_until="networkidle")
    sizes = {response.url.removeprefix(each_server): len(response.body()) for response in responses
             if response.ok and response.request.resource_type in ("document", "stylesheet", "script", "font", "image")}
    total = sum(sizes.values())
    print(f"home page: {total} bytes in {len(sizes)} files: {sizes}")
    assert not foreign, f"requests to other origins: {foreign}"
    assert total <= HOME_BUDGET, f"home page transfers {total} bytes (budget {HOME_BUDGET}): {sizes}"


@pytest.mark.parametrize("prefix", ["/", "/program/", "/aktivitet/", "/filmer/", "/en/"])
def test_all_content_is_present_without_javascript(chromium, each_site, each_server, prefix):
    # (the film archive itself on a site with no film yet)
    url = each_server + (prefix if prefix in ("/", "/program/", "/en/") else first_page(each_site, prefix, otherwise=prefix))
    texts = {}
    for enabled in (True, False):
        context = chromium.new_context(java_script_enabled=enabled)
        page = context.new_page()
        page.goto(url)
        texts[enabled] = {line.strip() for line in page.locator("main").inner_text().splitlines() if line.strip()}
        # Controls that JavaScript adds (a film's load button) are enhancements, not content.
        texts[enabled] -= {text.strip() for text in page.locator("main button:visible").all_inner_texts()}
        context.close()
    missing = sorted(texts[True] - texts[False])
    assert texts[False] and not missing, f"shown only with JavaScript: {missing}"


def test_printed_district_programme_is_a_clean_list_with_a_qr_code_not_link_urls(context, each_site, each_server):
    page = context.new_page()
    page.goto(each_server + first_page(each_site, "/omrade/", ".activity-summary"))
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.site-header', '.site-nav', '.site-footer', '.skip-link', '.language-switcher',
        '.subgroups', '.listing__days', '.calendar-links'].filter(s => document.querySelector(s))
        .map(s => [s, getComputedStyle(document.querySelector(s)).display])""")
    assert hidden and all(display == "none" for _, display in hidden), hidden
    # The activities once (not the day-by-day list too), no address after each title: the page's QR code on top
    assert page.locator(".activity-summary").first.is_visible() and not page.locator(".occurrence").first.is_visible()
    link = page.locator(".activity-summary a").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after in ("none", "normal"), after
    assert page.locator(".print-header img.qr").is_visible()
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
