"""Drafts: visible and clearly marked in the preview (make html/devserver), never in `make publish` output."""

from __future__ import annotations

import threading
import urllib.request
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO, build_site, copy_content, html
from halsolots.commands import devserver

DRAFT_SLUG = "hemlig-aktivitet"
DRAFT_TITLE = "Hemlig aktivitet"


@pytest.fixture(scope="module")
def publish_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("publish") / "output"
    assert build_site(output, FIXTURE_CONTENT, settings_file=REPO / "publishconf.py") == 0
    return output


def test_draft_is_shown_and_marked_in_the_preview(fixture_site):
    page = html(fixture_site / "aktivitet" / DRAFT_SLUG / "index.html")
    notice = page.find(class_="notice--draft")
    assert notice is not None and "aldrig" in notice.get_text()
    assert page.find(class_="status-tag--draft").get_text(strip=True) == "Utkast – inte publicerat"
    # and wherever it is listed (day-by-day occasions, activity summaries), the tag sits next to the title
    listed = 0
    for path in fixture_site.rglob("*.html"):
        for link in html(path).find_all("a", href=f"/aktivitet/{DRAFT_SLUG}/"):
            if link.find_parent(class_="language-switcher"):
                continue
            listed += 1
            assert link.parent.find(class_="status-tag--draft") is not None, path
    assert listed >= 3


def test_draft_never_reaches_publish_output(publish_site):
    assert not (publish_site / "aktivitet" / DRAFT_SLUG).exists()
    assert (publish_site / "aktivitet" / "studentdans" / "index.html").exists()
    for path in publish_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".ics", ".json", ".xml", ".txt", ".js"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert DRAFT_SLUG not in text and DRAFT_TITLE not in text, path


@pytest.fixture
def devserver_site(tmp_path):
    """A copy of the fixture content and a settings file for it, as `make devserver` would use them."""
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    settings_file = tmp_path / "settings.py"
    settings_file.write_text((REPO / "pelicanconf.py").read_text(encoding="utf-8")
                             + f"\nPATH = {str(content)!r}\nTHEME = {str(REPO / 'theme')!r}\nTODAY = '2026-12-01'\n"
                             + f"CACHE_PATH = {str(tmp_path / 'cache')!r}\n", encoding="utf-8")
    return content, settings_file


def test_devserver_rebuilds_and_keeps_the_last_good_preview_on_a_bad_save(tmp_path, capsys, devserver_site):
    content, settings_file = devserver_site
    output = tmp_path / "output"
    assert devserver.rebuild(str(settings_file), str(output), "sv") == 0
    server = devserver.start_server(str(output), 0)
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/aktivitet/{DRAFT_SLUG}/"
        with urllib.request.urlopen(url) as response:
            assert response.headers["Content-Type"] == "text/html; charset=utf-8"
            assert "status-tag--draft" in response.read().decode("utf-8")
        broken = content / "aktiviteter" / "utkast.md"
        broken.write_text(broken.read_text(encoding="utf-8").replace("Groups: alla", "Groups: allla"), encoding="utf-8")
        capsys.readouterr()
        assert devserver.rebuild(str(settings_file), str(output), "sv") != 0
        out = capsys.readouterr()
        assert "Groups: 'allla' finns inte i listan" in out.err and "menade du alla?" in out.err
        assert "Förhandsvisningen uppdaterades inte" in out.out
        with urllib.request.urlopen(url) as response:  # the last good preview is still served
            assert response.status == 200
    finally:
        server.shutdown()
        server.server_close()


def test_devserver_watches_content_and_theme_not_output(tmp_path):
    paths = devserver.watch_paths(str(REPO / "pelicanconf.py"))
    assert str(REPO / "content") in paths and str(REPO / "theme") in paths
    accept = devserver._relevant(str(REPO / "output"))
    assert accept(None, str(REPO / "content" / "aktiviteter" / "x.md"))
    assert not accept(None, str(REPO / "output" / "index.html"))
    assert not accept(None, str(REPO / "content" / "aktiviteter" / ".#x.md"))


def test_devserver_loop_rebuilds_on_save(tmp_path, capsys, devserver_site):
    content, settings_file = devserver_site
    output = tmp_path / "output"
    stop = threading.Event()
    thread = threading.Thread(target=devserver.run, args=(str(settings_file), str(output), 0, "sv", stop), daemon=True)
    thread.start()
    page = output / "aktivitet" / "studentdans" / "index.html"
    _wait(lambda: page.exists() and "Förhandsvisning på" in capsys.readouterr().out, 60)
    source = content / "aktiviteter" / "studentdans.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Title: Dans för studenter", "Title: Dans för alla"),
                      encoding="utf-8")
    _wait(lambda: page.exists() and "Dans för alla" in page.read_text(encoding="utf-8"), 60)
    stop.set()
    thread.join(10)
    assert not thread.is_alive()


def _wait(condition, seconds: float) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")
