"""Page weight (issue 17): residents are on phones and slow connections. What a page costs to load, compressed as
production serves it (gzip -9, build/compress.py), with its stylesheet and scripts; the finder's data, fetched
only when someone filters, counted with the programme page. Figures in BENCHMARKS.md ("Page weight")."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from bs4 import BeautifulSoup

from conftest import build_site

HOME_BUDGET, PROGRAMME_BUDGET, LARGE_PROGRAMME_BUDGET = 30_000, 100_000, 300_000


def weight(site: Path, url: str, extra: tuple[str, ...] = ()) -> dict[str, int]:
    """Compressed bytes of a page and of what it loads from the site (screen stylesheets, scripts) plus `extra`."""
    page = site / url.lstrip("/") / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    parts = [url, *(link["href"] for link in soup.find_all("link", rel="stylesheet") if link.get("media") != "print"),
             *(script["src"] for script in soup.find_all("script", src=True)), *extra]
    sizes = {}
    for part in parts:
        path = page if part == url else site / part.lstrip("/")
        sizes[part] = len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
    return sizes


def figures(site: Path) -> dict[str, dict[str, int]]:
    finder = json.loads((site / "program/hitta/aktiviteter.json").read_text(encoding="utf-8"))
    return {"home": weight(site, "/"), "home_en": weight(site, "/en/"),
            "programme": weight(site, "/program/", ("/program/hitta/aktiviteter.json",)),
            "programme_en": weight(site, "/en/programme/", ("/en/programme/find/activities.json",)),
            "activities_in_finder": {"count": len(finder["activities"]),
                                     "occasions": sum(len(day[3]) for day in finder["days"])}}


def test_each_sites_pages_stay_light(each_site):
    found = figures(each_site)
    print(json.dumps(found, indent=1))
    for name in ("home", "home_en"):
        assert sum(found[name].values()) < HOME_BUDGET, found[name]
    for name in ("programme", "programme_en"):
        assert sum(found[name].values()) < PROGRAMME_BUDGET, found[name]


def test_the_programme_with_its_finder_stays_light_at_1000_activities(tmp_path):
    from halsolots.commands.bench import generate_site

    generate_site(tmp_path, 1000)
    output = tmp_path / "output"
    assert build_site(output, tmp_path / "content") == 0
    found = figures(output)
    print(json.dumps(found, indent=1))
    assert sum(found["programme"].values()) < LARGE_PROGRAMME_BUDGET, found["programme"]
    assert sum(found["home"].values()) < HOME_BUDGET * 2, found["home"]  # this week's list grows with the site
