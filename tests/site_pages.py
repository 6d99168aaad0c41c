"""Every page of a built site, for the checks that must cover all of them (axe, Nu checker, links, headings),
and the comparison of two built trees (reproducible, cached and parallel builds)."""

from __future__ import annotations

import filecmp
import os
from pathlib import Path


def html_pages(output: Path) -> list[Path]:
    """All built HTML files, sorted; theme/ holds assets only."""
    return sorted(path for path in output.rglob("*.html") if path.relative_to(output).parts[0] != "theme")


def page_url(output: Path, path: Path) -> str:
    """The site-absolute URL a page is served at (folder URLs for index.html)."""
    relative = path.relative_to(output).as_posix()
    if relative == "index.html":
        return "/"
    if relative.endswith("/index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def files_in(root: Path) -> list[str]:
    """Every file under root, as sorted paths relative to it."""
    return sorted(os.path.relpath(os.path.join(folder, name), root)
                  for folder, _, files in os.walk(root) for name in files)


def tree_differences(left: Path, right: Path) -> list[str]:
    """The files only one of two trees has, then the files both have whose bytes differ (or cannot be read)."""
    left_files, right_files = files_in(left), files_in(right)
    missing = sorted(set(left_files) ^ set(right_files))
    common = sorted(set(left_files) & set(right_files))
    _, mismatch, errors = filecmp.cmpfiles(left, right, common, shallow=False)
    return missing + mismatch + errors
