"""The output cache (outputcache.py) never serves a stale page: after any kind of edit, a build that reuses
the previous output is byte-identical to a build from scratch, and unchanged pages are not rendered again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from halsolots.build import build as builder
from halsolots.commands import devserver
from halsolots.build import outputcache

from conftest import FIXTURE_CONTENT, REPO, build_site, copy_content, replace_text
from site_pages import files_in, tree_differences


def _activity(content: Path, name: str) -> Path:
    return content / "aktiviteter" / name


# Each edit is something a communicator (or a developer) does; each must show everywhere it should.
EDITS = {
    "body text": lambda c, t: replace_text(_activity(c, "stolgympa.md"), "Vi rör på oss", "Vi rör oss lugnt"),
    "title": lambda c, t: replace_text(_activity(c, "forelasning-somn.md"), "Title: Föreläsning om sömn",
                                      "Title: Föreläsning om god sömn"),
    "district (moves between listings)": lambda c, t: replace_text(_activity(c, "stolgympa.md"), "Districts: centrum",
                                                                  "Districts: nordost"),
    "a cancelled date": lambda c, t: replace_text(_activity(c, "stolgympa.md"), "Cancelled-dates: 2027-03-16",
                                                 "Cancelled-dates: 2027-03-16, 2027-03-23"),
    "the English translation": lambda c, t: replace_text(_activity(c, "stolgympa.en.md"), "Title: Chair",
                                                        "Title: Seated"),
    "a new activity": lambda c, t: _activity(c, "kopia.md").write_text(
        _activity(c, "forelasning-somn.md").read_text(encoding="utf-8").replace("Slug: forelasning-somn", "Slug: kopia"),
        encoding="utf-8"),
    "a removed activity": lambda c, t: _activity(c, "studentdans.md").unlink(),
    "a venue in the vocabulary": lambda c, t: _replace_first_label(c / "data" / "venues.yaml"),
    "a health page": lambda c, t: replace_text(c / "halsa" / "snus.md", "Title:", "Title: Om"),
    "a template": lambda c, t: replace_text(t / "templates" / "activity.html", '<div class="body">',
                                           '<div class="body body--edited">'),
}


def _replace_first_label(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.strip().startswith(("name:", "sv:")) and "Ändrad" not in line:
            lines[index] = line.rstrip("\n") + " (Ändrad)\n"
            break
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    """A writable copy of the fixture content and of the theme, built once with the cache."""
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    served = tmp_path / "served"
    assert build_site(served, content, THEME=str(theme), CACHE_PATH=str(tmp_path / "cache")) == 0
    return content, theme, served


@pytest.mark.parametrize("preview", [False, True], ids=["build", "devserver"])
@pytest.mark.parametrize("edit", EDITS)
def test_a_cached_build_after_an_edit_equals_a_build_from_scratch(project, tmp_path, edit, preview):
    content, theme, served = project
    before = (served / "aktivitet" / "stolgympa" / "index.html").read_bytes()
    EDITS[edit](content, theme)
    settings = {**devserver.PREVIEW_SETTINGS} if preview else {}
    assert build_site(served, content, preview=preview, THEME=str(theme), CACHE_PATH=str(tmp_path / "cache"),
                      **settings) == 0
    if preview:  # the devserver moves changed files into the served folder, then refreshes the index
        devserver.SearchRefresher().refresh(str(served)).join(timeout=120)
    assert build_site(tmp_path / "fresh", content, THEME=str(theme), BUILD_CACHE=False) == 0
    assert tree_differences(served, tmp_path / "fresh") == []
    if edit in ("body text", "district (moves between listings)", "a template"):
        assert (served / "aktivitet" / "stolgympa" / "index.html").read_bytes() != before


def test_an_unchanged_site_renders_nothing_again(project, tmp_path, monkeypatch):
    content, theme, served = project
    committed = []
    monkeypatch.setattr(outputcache.OutputCache, "save",
                        lambda self, original=outputcache.OutputCache.save, **options: (committed.append(self),
                                                                                        original(self, **options)))
    assert build_site(served, content, THEME=str(theme), CACHE_PATH=str(tmp_path / "cache")) == 0
    cache = committed[-1]
    pages = [name for name in files_in(served) if name.endswith(".html")]
    assert cache.uncached == [] and cache.reused >= len(pages) - 1  # nothing rendered but Pelican's 404 logic
    replace_text(_activity(content, "stolgympa.md"), "Vi rör på oss", "Vi rör oss lugnt")
    assert build_site(served, content, THEME=str(theme), CACHE_PATH=str(tmp_path / "cache")) == 0
    written = set(committed[-1].written)
    # The activity's own pages and calendars in both languages, and the listings it is on; nothing else.
    assert {"aktivitet/stolgympa/index.html", "en/aktivitet/stolgympa/index.html",
            "aktivitet/stolgympa/stolgympa.ics", "omrade/centrum/index.html", "kalender/alla.ics"} <= written
    unrelated = {"aktivitet/forelasning-somn/index.html", "aktivitet/forelasning-somn/forelasning-somn.ics",
                 "halsa/sova-battre/index.html", "filmer/index.html", "omrade/nordost/index.html"}
    assert all((served / name).exists() for name in unrelated) and not written & unrelated
    assert len([name for name in written if name.endswith(".html")]) < len(pages) / 3


def test_build_cache_off_leaves_no_stale_list_behind(project, tmp_path):
    content, theme, served = project
    store = Path(tmp_path / "cache" / "output")
    assert list(store.iterdir())
    assert build_site(served, content, THEME=str(theme), CACHE_PATH=str(tmp_path / "cache"), BUILD_CACHE=False) == 0
    assert list(store.iterdir()) == []  # the folder no longer matches a list: the next build renders all


def test_content_cache_folder_follows_settings_and_code():
    base = builder.load_settings(str(REPO / "pelicanconf.py"))
    first = builder.cache_settings(base)
    assert first["LOAD_CONTENT_CACHE"] and first["CACHE_CONTENT"]
    assert first == builder.cache_settings(base)
    assert builder.cache_settings({**base, "MARKDOWN": {}})["CACHE_PATH"] != first["CACHE_PATH"]
    assert builder.cache_settings({**base, "BUILD_CACHE": False})["LOAD_CONTENT_CACHE"] is False


def test_a_cached_production_build_reuses_compressed_copies_and_equals_a_fresh_one(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    publish = REPO / "publishconf.py"
    served, cache = tmp_path / "served", str(tmp_path / "cache")
    assert build_site(served, content, settings_file=publish, CACHE_PATH=cache) == 0
    # Hold on to every file of that build: a later build may link them, but must never write into them.
    kept = tmp_path / "kept"
    stamps = {}
    for name in files_in(served):
        (kept / name).parent.mkdir(parents=True, exist_ok=True)
        os.link(served / name, kept / name)
        stamps[name] = (kept / name).stat().st_mtime_ns
    assert build_site(served, content, settings_file=publish, CACHE_PATH=cache) == 0  # nothing changed
    assert {name: (kept / name).stat().st_mtime_ns for name in stamps} == stamps
    for name in ("aktivitet/forelasning-somn/index.html.br", "pagefind/pagefind-entry.json.gz"):
        assert (served / name).stat().st_ino == (kept / name).stat().st_ino  # linked, not made again
    replace_text(_activity(content, "stolgympa.md"), "Vi rör på oss", "Vi rör oss lugnt")
    assert build_site(served, content, settings_file=publish, CACHE_PATH=cache) == 0
    assert build_site(tmp_path / "fresh", content, settings_file=publish, BUILD_CACHE=False) == 0
    assert tree_differences(served, tmp_path / "fresh") == []


def test_old_content_cache_folders_are_pruned(tmp_path):
    cache = tmp_path / "cache"
    for number in range(5):
        old = cache / "content" / f"old{number}"
        old.mkdir(parents=True)
        os.utime(old, (1_000_000 + number, 1_000_000 + number))
    assert build_site(tmp_path / "output", FIXTURE_CONTENT, CACHE_PATH=str(cache)) == 0
    left = sorted(p.name for p in (cache / "content").iterdir())
    assert len(left) == 3 and "old4" in left and "old0" not in left
    assert any(not name.startswith("old") for name in left)  # the folder this build used


def test_a_cached_page_links_to_a_file_added_after_it_was_cached(tmp_path):
    """Pelican's content cache keeps each object with the context of the build that read it; links between
    files must resolve against the present build."""
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    (content / "sidor").mkdir(exist_ok=True)  # the fixture has no pages (an empty folder is not in Git)
    (content / "sidor" / "om.md").write_text("Title: Om oss\nSlug: om\nLang: sv\n\nLäs [det nya]({filename}/sidor/ny.md).\n",
                                              encoding="utf-8")
    served, cache = tmp_path / "served", str(tmp_path / "cache")
    assert build_site(served, content, CACHE_PATH=cache) == 0
    (content / "sidor" / "ny.md").write_text("Title: Nytt\nSlug: ny\nLang: sv\n\nNytt hos oss.\n", encoding="utf-8")
    assert build_site(served, content, CACHE_PATH=cache) == 0
    assert build_site(tmp_path / "fresh", content, BUILD_CACHE=False) == 0
    assert 'href="/ny/"' in (tmp_path / "fresh" / "om" / "index.html").read_text(encoding="utf-8")
    assert tree_differences(served, tmp_path / "fresh") == []


def test_an_edit_undone_gets_the_search_index_of_its_pages(project, tmp_path):
    """Edit, build, undo the edit, build: the search index is the one of the pages as they are again, not the
    previous build's (which indexed the edit) because an earlier build once made an index for the same pages."""
    content, theme, served = project
    page = _activity(content, "stolgympa.md")
    original = page.read_text(encoding="utf-8")
    replace_text(page, "Vi rör på oss", "Vi dansar tango")
    assert build_site(served, content, THEME=str(theme), CACHE_PATH=str(tmp_path / "cache")) == 0
    page.write_text(original, encoding="utf-8")
    assert build_site(served, content, THEME=str(theme), CACHE_PATH=str(tmp_path / "cache")) == 0
    assert build_site(tmp_path / "fresh", content, THEME=str(theme), BUILD_CACHE=False) == 0
    assert tree_differences(served, tmp_path / "fresh") == []
