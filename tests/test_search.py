"""Site search (Pagefind): one index per language, only upcoming content, filters in the page's language,
a search page that helps without JavaScript and a keyboard- and screen-reader-friendly search with it."""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from halsolots.commands import serve
from halsolots.site import i18n
from halsolots.generators import search
from halsolots.build import searchindex

from conftest import FIXTURE_CONTENT, REPO, SITES, build_site, built_site, copy_content, html
from site_pages import tree_differences

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


def indexed(output: Path) -> dict[str, dict]:
    """Every record in the built index by URL (Pagefind fragments: gzip, a signature, then JSON)."""
    records = {}
    for path in sorted((output / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        record = json.loads(data[len(b"pagefind_dcd"):])
        records[record["url"]] = record
    return records


def entry(output: Path) -> dict:
    return json.loads((output / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


# --- the index ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["fixture", *SITES])
def any_site(request) -> Path:
    """The fixture site and each site of the repository (conftest.SITES), for what holds for any site's index."""
    if request.param == "fixture":
        return request.getfixturevalue("fixture_site")
    return built_site(request, request.param)


def test_one_index_per_site_language(any_site):
    languages = entry(any_site)["languages"]
    assert sorted(languages) == ["en", "sv"]
    records = indexed(any_site)
    english = [url for url in records if url.startswith("/en/")]
    assert languages["en"]["page_count"] == len(english) > 0
    assert languages["sv"]["page_count"] == len(records) - len(english) > 0
    # Only content pages that are built, never listings, the programme or search (past and draft ones: below).
    folders = {url.removeprefix("/en").split("/")[1] for url in records}
    assert folders <= {"aktivitet", "halsa", "filmer", "health", "films"}
    assert [url for url in records if not (any_site / url.strip("/") / "index.html").is_file()] == []


def test_upcoming_activities_are_indexed_in_their_language(fixture_site):
    records = indexed(fixture_site)
    assert records["/aktivitet/forelasning-somn/"]["meta"]["title"] == "Föreläsning om sömn"
    assert records["/en/aktivitet/stolgympa/"]["meta"]["title"] == "Chair exercise"
    assert "sömn" in records["/aktivitet/forelasning-somn/"]["content"].lower()


def test_past_and_draft_activities_and_listings_stay_out(fixture_site):
    urls = set(indexed(fixture_site))
    assert (fixture_site / "aktivitet" / "forra-arets-kurs" / "index.html").exists()
    assert not {"/aktivitet/forra-arets-kurs/", "/en/aktivitet/forra-arets-kurs/"} & urls
    assert not {"/aktivitet/hemlig-aktivitet/", "/en/aktivitet/hemlig-aktivitet/"} & urls
    past = html(fixture_site / "aktivitet" / "forra-arets-kurs" / "index.html")
    assert not past.find("main").has_attr("data-pagefind-body")


def test_filters_and_metadata_are_in_the_page_language(fixture_site):
    def facets(path):
        main = html(path).find("main")
        assert main.has_attr("data-pagefind-body")
        found = {}
        for span in main.select("[data-pagefind-filter]"):
            found.setdefault(span["data-pagefind-filter"], []).append(span.get_text())
        meta = {span["data-pagefind-meta"]: span.get_text() for span in main.select("[data-pagefind-meta]")}
        return found, meta

    sv, sv_meta = facets(fixture_site / "aktivitet" / "studentdans" / "index.html")
    en, en_meta = facets(fixture_site / "en" / "aktivitet" / "studentdans" / "index.html")
    assert sv["type"] == ["Aktivitet"] and en["type"] == ["Activity"]
    assert sv["district"] == ["Nordost"] and en["district"] == ["North East"]
    assert sorted(sv) == sorted(en) == ["category", "district", "group", "language", "type"]
    assert sorted(sv["language"]) == ["Engelska", "Svenska"] and sorted(en["language"]) == ["English", "Swedish"]
    assert "december" in sv_meta["when"] and "December" in en_meta["when"]
    # The index holds the same values (the markup is hidden and its text is not indexed as content).
    record = indexed(fixture_site)["/en/aktivitet/studentdans/"]
    assert record["filters"]["district"] == ["North East"]
    cancelled = indexed(fixture_site)["/aktivitet/installd-promenad/"]
    assert cancelled["meta"]["status"] == "Inställt"


def test_health_pages_and_films_are_indexed_with_their_themes(fixture_site):
    records = indexed(fixture_site)
    health, health_en = records["/halsa/sova-battre/"], records["/en/health/sova-battre/"]
    assert health["filters"]["type"] == ["Hälsoinformation"] and health_en["filters"]["type"] == ["Health information"]
    assert health["filters"]["theme"] == ["Sömn"] and health_en["filters"]["theme"] == ["Sleep"]
    film = records["/filmer/somnforelasning/"]
    assert film["filters"]["type"] == ["Film"] and film["filters"]["language"] == ["Svenska"]
    assert records["/en/films/somnforelasning/"]["filters"]["language"] == ["Swedish"]
    # Film archive and theme pages are listings: found through what they list, not themselves.
    assert "/filmer/" not in records and not [url for url in records if "/tema/" in url or "/theme/" in url]


def test_indexing_is_byte_identical(any_site, tmp_path):
    copies = []
    for name in ("one", "two"):
        copy = tmp_path / name
        shutil.copytree(any_site, copy)
        shutil.rmtree(copy / "pagefind")
        searchindex.index_site(SimpleNamespace(settings={}, output_path=str(copy)))
        copies.append(copy / "pagefind")
    assert tree_differences(copies[0], copies[1]) == []


def test_a_site_with_nothing_searchable_still_builds(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    for path in [*content.glob("aktiviteter/*.md"), *content.glob("halsa/*.md"), *content.glob("filmer/*.md")]:
        if path.name != "forra-aret.md":  # only a past activity is left
            path.unlink()
    output = tmp_path / "output"
    assert build_site(output, content) == 0
    assert (output / "sok" / "index.html").exists()
    assert not (output / "pagefind").exists()


def test_result_count_messages_follow_the_plural_rules(fixture_site):
    with i18n.language("sv"):
        assert search.result_count_messages("sv") == {"one": "{count} träff", "other": "{count} träffar"}
    with i18n.language("en"):
        assert search.result_count_messages("en") == {"one": "{count} result", "other": "{count} results"}


# --- the search page without JavaScript -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix, folders", [("", ("sok", "omrade", "malgrupp", "kategori")),
                                             ("en/", ("search", "district", "group", "category"))])
def test_search_page_without_javascript_links_to_static_pages(any_site, prefix, folders):
    page = html(any_site / prefix / folders[0] / "index.html")
    main = page.find("main")
    assert not main.has_attr("data-pagefind-body")
    form = main.find("form", attrs={"role": "search"})
    assert form.has_attr("hidden")  # it could do nothing without the script
    assert form.find("label", attrs={"for": "search-query"}) and form.find("input", id="search-query")
    assert main.find(attrs={"data-search-fallback": True}).get_text(strip=True)
    status = main.find(attrs={"data-search-status": True})
    assert status["aria-live"] == "polite" and not status.find_parent(attrs={"hidden": True})
    links = [a["href"] for a in main.select(".term-links a")]
    for folder in folders[1:]:
        assert any(link.startswith(f"/{prefix}{folder}/") for link in links), folder
    for link in links:
        assert (any_site / link.strip("/") / "index.html").exists(), link
    assert [s["src"] for s in page.find_all("script")] == ["/theme/js/search.js"]
    assert page.find("nav", class_="site-nav").find("a", href=f"/{prefix}{folders[0]}/")


# --- in the browser -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(fixture_site):
    handler = functools.partial(serve.SiteRequestHandler, directory=str(fixture_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(chromium):
    """The run's one Chromium (conftest): a second sync Playwright in the same thread is not allowed."""
    return chromium


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(f"{request.url}: {request.failure}"))
    page.on("response", lambda response: response.status >= 400 and "favicon" not in response.url
            and errors.append(f"{response.url}: {response.status}"))
    page.on("console", lambda message: message.type == "error" and "Failed to load resource" not in message.text
            and errors.append(message.text))
    yield page
    context.close()
    assert errors == []  # no CSP violation or script error


def open_search(page, url: str):
    """Load a search page and wait until the script has switched the form on."""
    page.goto(url)
    expect(page.get_by_role("search")).to_be_visible()
    # Whatever the script keeps `hidden` (the no-JS notice, "Show more results" before any result) is not shown.
    shown = page.evaluate("[...document.querySelectorAll('[hidden]')].filter(e => getComputedStyle(e).display !== 'none')"
                          ".map(e => e.outerHTML.slice(0, 80))")
    assert shown == []


def results(page) -> list[str]:
    expect(page.locator("[data-search-results] li").first).to_be_visible()
    return page.locator("[data-search-results] li h3 a").all_inner_texts()


@pytest.mark.browser
def test_swedish_search_finds_a_swedish_activity(page, served):
    open_search(page, f"{served}/sok/")
    page.get_by_label("Sök efter").fill("sömn")
    expect(page.get_by_role("status")).to_contain_text("träff")
    assert "Föreläsning om sömn" in results(page)
    assert page.locator("[data-search-fallback]").is_hidden()
    assert page.get_by_role("status").inner_text() == f"{len(results(page))} träff" + (
        "" if len(results(page)) == 1 else "ar")


@pytest.mark.browser
def test_english_search_finds_the_english_text(page, served):
    open_search(page, f"{served}/en/search/")
    page.get_by_label("Search for").fill("chair")
    expect(page.get_by_role("status")).to_contain_text("result")
    assert results(page) == ["Chair exercise"]
    assert page.locator("[data-search-results] a").get_attribute("href") == "/en/aktivitet/stolgympa/"
    assert page.get_by_role("status").inner_text() == "1 result"


@pytest.mark.browser
def test_district_filter_changes_the_announced_count(page, served):
    open_search(page, f"{served}/sok/")
    status = page.get_by_role("status")
    # Keyboard only: open the filters, tick a box with the space bar.
    page.get_by_text("Avgränsa träffarna", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_role("group", name="Typ av innehåll").get_by_label("Aktivitet").focus()
    page.keyboard.press("Space")
    expect(status).to_contain_text("träff")
    before = results(page)
    assert len(before) == 5 and status.inner_text() == "5 träffar"  # every upcoming fixture activity
    district = page.get_by_role("group", name="Var du bor").get_by_label("Nordost")
    district.focus()
    page.keyboard.press("Space")
    expect(status).not_to_have_text(f"{len(before)} träffar")
    after = results(page)
    assert 0 < len(after) < len(before)
    assert status.inner_text() == f"{len(after)} träff" + ("" if len(after) == 1 else "ar")
    assert "Dans för studenter" in after and "Föreläsning om sömn" not in after


@pytest.mark.browser
@pytest.mark.checkers  # axe-core from node_modules
def test_search_page_passes_axe_with_results_and_filters_open(browser, served):
    # axe is injected as an inline script, which the page's own CSP (rightly) forbids: bypass it for the checker.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        for url, query in ((f"{served}/sok/", "sömn"), (f"{served}/en/search/", "chair")):
            open_search(page, url)
            page.locator("input[type=search]").fill(query)
            expect(page.locator("[data-search-results] li").first).to_be_visible()
            page.locator("details.search__filters summary").click()
            page.add_script_tag(path=str(AXE))
            violations = page.evaluate(
                "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}))"
                ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))")
            assert violations == [], url
    finally:
        context.close()
