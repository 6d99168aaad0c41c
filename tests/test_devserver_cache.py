"""The devserver's rebuild uses Pelican's content cache and still writes the same site as a fresh build."""

from __future__ import annotations

import filecmp
import os

from conftest import FIXTURE_CONTENT, build_site, copy_content

from halsolots import devserver


def _differences(left, right) -> list[str]:
    comparison = filecmp.dircmp(left, right)
    found = comparison.left_only + comparison.right_only + comparison.diff_files + comparison.funny_files
    for name in comparison.common_dirs:
        found += _differences(os.path.join(left, name), os.path.join(right, name))
    return found


def test_cache_settings_follow_the_settings_file(tmp_path):
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text("SITENAME = 'a'\n")
    second.write_text("SITENAME = 'b'\n")
    a, b = devserver.cache_settings(str(first)), devserver.cache_settings(str(second))
    assert a["LOAD_CONTENT_CACHE"] and a["CACHE_CONTENT"]
    assert a["CACHE_PATH"] != b["CACHE_PATH"]
    assert a == devserver.cache_settings(str(first))


def test_cached_rebuild_after_an_edit_equals_a_fresh_build(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    cache = devserver.cache_settings(str(devserver.__file__))  # any file: a private cache folder
    assert build_site(tmp_path / "served", content, **cache) == 0
    edited = sorted(p for p in (content / "aktiviteter").glob("*.md") if p.name.count(".") == 1)[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    assert build_site(tmp_path / "served", content, **cache) == 0
    assert os.listdir(cache["CACHE_PATH"])  # the content cache was written and read
    assert build_site(tmp_path / "fresh", content) == 0
    assert _differences(tmp_path / "served", tmp_path / "fresh") == []
    pages = (tmp_path / "served" / "aktivitet").rglob("index.html")
    assert any("En ny mening." in page.read_text(encoding="utf-8") for page in pages)
