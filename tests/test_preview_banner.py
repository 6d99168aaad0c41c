"""The devserver's problem banner: after a save with a mistake the pages show each content problem in plain Swedish
(file, line, field, what to do) above the last good version; the next good build removes it. Served HTML is read
back over HTTP and parsed with html5lib."""

from __future__ import annotations

import http.client
import os

import html5lib
import pytest

from conftest import FIXTURE_CONTENT, REPO, TODAY, copy_content, replace_text
from halsolots.commands import devserver
from halsolots.commands.preview import PreviewState, handler_for
from halsolots.commands.serve import start_server
from halsolots.content.memory import Memory

SETTINGS = str(REPO / "pelicanconf.py")
NS = {"h": "http://www.w3.org/1999/xhtml"}


def get(port: int, path: str) -> tuple[int, str, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read().decode("utf-8"), dict(response.getheaders())


def banner_of(document: str):
    tree = html5lib.parse(document)
    return tree.find(".//h:section[@class='preview-problems']", NS)


@pytest.fixture
def preview(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    overrides = {"PATH": str(content), "TODAY": TODAY, "CACHE_PATH": str(tmp_path / "cache")}
    state = PreviewState(SETTINGS, "sv")
    memory = Memory()
    output = str(tmp_path / "served")

    def rebuild() -> int:
        return devserver.rebuild(SETTINGS, output, "sv", memory, state, overrides)

    assert rebuild() == 0
    server = start_server(output, 0, handler_class=handler_for(state))
    yield content, rebuild, server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_failed_build_shows_its_problems_on_the_page_until_fixed(preview):
    content, rebuild, port = preview
    status, page, _ = get(port, "/aktivitet/stolgympa/")
    assert status == 200 and banner_of(page) is None

    replace_text(content / "aktiviteter" / "stolgympa.md", "Start: 2027-03-02 10:00", "Start: 2027-02-30 10:00")
    assert rebuild() != 0
    status, page, headers = get(port, "/aktivitet/stolgympa/")
    assert status == 200 and int(headers["Content-Length"]) == len(page.encode("utf-8"))
    banner = banner_of(page)
    assert banner is not None and banner.get("role") == "alert"
    text = " ".join("".join(banner.itertext()).split())
    assert "Förhandsvisningen är inte uppdaterad: innehållet har fel" in text
    assert ("content/aktiviteter/stolgympa.md, rad 5, fältet Start: '2027-02-30 10:00': 30 februari 2027 finns "
            "inte") in text
    assert "Gör så här: februari 2027 har 28 dagar" in text
    body = html5lib.parse(page).find(".//h:body", NS)
    assert [child.tag.split("}")[1] for child in body][:2] == ["link", "section"]  # first in the page
    assert body.find(".//h:h1", NS) is not None  # the last good page is still there below it
    status, css, headers = get(port, "/_preview/problems.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css") and ".preview-problems" in css

    replace_text(content / "aktiviteter" / "stolgympa.md", "Start: 2027-02-30 10:00", "Start: 2027-03-02 10:00")
    assert rebuild() == 0
    status, page, _ = get(port, "/aktivitet/stolgympa/")
    assert status == 200 and banner_of(page) is None


def test_the_banner_is_never_in_the_built_files(preview, tmp_path):
    content, rebuild, port = preview
    replace_text(content / "aktiviteter" / "studentdans.md", "Groups: studenter", "Groups: senior")
    assert rebuild() != 0
    assert banner_of(get(port, "/")[1]) is not None  # every page of the stale preview says so
    pages = []
    for folder, dirs, files in os.walk(tmp_path / "served"):
        # The search index the devserver refreshes in the background (pagefind*, no pages) may come and go.
        dirs[:] = [d for d in dirs if not d.startswith("pagefind")]
        pages += [os.path.join(folder, name) for name in files if name.endswith(".html")]
    assert pages and not [p for p in pages if "preview-problems" in open(p, encoding="utf-8").read()]


def test_the_finder_form_without_javascript_lands_on_its_page_in_the_preview_too(preview):
    content, rebuild, port = preview
    form = "/program/hitta/?district=centrum&group=&category=&when=&language=&registration=&show=1"
    status, _page, headers = get(port, form)
    assert status == 303 and headers["Location"] == "/omrade/centrum/"
    replace_text(content / "aktiviteter" / "stolgympa.md", "Start: 2027-03-02 10:00", "Start: 2027-02-30 10:00")
    assert rebuild() != 0
    status, _page, headers = get(port, form)
    assert status == 303 and headers["Location"] == "/omrade/centrum/"
    status, page, _ = get(port, headers["Location"])
    assert status == 200 and banner_of(page) is not None
    assert html5lib.parse(page).find(".//h:h1", NS).text == "Centrum"
