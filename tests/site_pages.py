"""Every page of a built site, for the checks that must cover all of them (axe, Nu checker, links, headings)."""

from __future__ import annotations

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
