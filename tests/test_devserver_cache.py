"""The devserver's rebuild reuses the caches (content, output, search index) and still writes the same site as
a fresh build; the search index is refreshed in the background."""

from __future__ import annotations

import os

from conftest import FIXTURE_CONTENT, build_site, copy_content
from site_pages import tree_differences

from halsolots.commands import devserver


def test_cached_rebuild_after_an_edit_equals_a_fresh_build(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    cache = {**devserver.PREVIEW_SETTINGS, "CACHE_PATH": str(tmp_path / "cache")}
    assert build_site(tmp_path / "served", content, **cache) == 0
    edited = sorted(p for p in (content / "aktiviteter").glob("*.md") if p.name.count(".") == 1)[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    assert build_site(tmp_path / "served", content, **cache) == 0
    assert os.listdir(tmp_path / "cache" / "content")  # the content cache was written and read
    assert build_site(tmp_path / "fresh", content, BUILD_CACHE=False) == 0
    devserver.SearchRefresher().refresh(str(tmp_path / "served")).join(timeout=120)  # as the devserver does
    assert tree_differences(tmp_path / "served", tmp_path / "fresh") == []
    pages = (tmp_path / "served" / "aktivitet").rglob("index.html")
    assert any("En ny mening." in page.read_text(encoding="utf-8") for page in pages)


def test_the_preview_refreshes_its_search_index_in_the_background(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    served = tmp_path / "served"
    cache = {**devserver.PREVIEW_SETTINGS, "CACHE_PATH": str(tmp_path / "cache")}
    assert build_site(served, content, **cache) == 0
    index = served / "pagefind" / "pagefind-entry.json"
    assert index.exists()  # the first build has no index to reuse, so it makes one
    edited = content / "aktiviteter" / "stolgympa.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("Title: Stolgympa", "Title: Sittgympa"),
                      encoding="utf-8")
    assert build_site(served, content, **cache) == 0
    assert index.exists()  # the previous index, linked: search keeps working during the preview
    devserver.SearchRefresher().refresh(str(served)).join(timeout=120)
    assert build_site(tmp_path / "fresh", content, BUILD_CACHE=False) == 0
    assert tree_differences(served / "pagefind", tmp_path / "fresh" / "pagefind") == []
