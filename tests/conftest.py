"""Shared test helpers: build a site (the demo content or a fixture) into a temporary folder, parse HTML."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import settings as hypothesis_settings

from halsolots.build import build as builder
from halsolots.commands import serve

# Property tests explore new random inputs on developers' machines; CI replays a fixed sequence, so a run
# that lands is repeatable (a new find on a laptop becomes a regression test).
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

REPO = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = REPO / "tests" / "fixtures" / "site"
# Builds in tests pretend it is this day, so the programme is the same whenever the tests run.
TODAY = "2026-12-01"


def build_site(output: Path, content: Path | None = None, settings_file: Path | None = None, preview: bool = False,
               **overrides) -> int:
    """Build like `make html` does (atomic, same checks; `preview` like the devserver) and return its exit code."""
    settings = {"TODAY": TODAY, "CACHE_PATH": str(output.parent / f"{output.name}-cache"), **overrides}
    if content is not None:
        settings["PATH"] = str(content)
    return builder.build(str(settings_file or REPO / "pelicanconf.py"), str(output), settings, preview=preview)


def copy_content(source: Path, target: Path) -> Path:
    """A writable copy of some content (to break on purpose)."""
    shutil.copytree(source, target)
    return target


def replace_text(path: Path, old: str, new: str) -> None:
    """Edit a content (or theme) file: replace old, which must be there, with new."""
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def html(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The real demo content in content/, built once per test run."""
    output = tmp_path_factory.mktemp("demo") / "output"
    assert build_site(output) == 0
    return output


@pytest.fixture(scope="session")
def demo_server(demo_site):
    """The built demo site served over HTTP on 127.0.0.1 (a free port), as production serves it: its base URL."""
    yield from _serve(demo_site)


def _serve(site: Path):
    """Serve a built site on 127.0.0.1 (a free port) until the generator is closed; yields its base URL."""
    handler = functools.partial(serve.SiteRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# --- every site of the repository -------------------------------------------------------------------------------
# Checks that hold for any site (every page, feed, link …) run on each of them through `each_site`; checks of
# Gothenburg's particular demo content stay on `demo_site`.

DEFAULT_SITE = "goteborg"  # pelicanconf.py's SITE_ID: the repository's own content/
# then every folder of sites/ that holds a site (content/sites.py)
SITES = (DEFAULT_SITE, *sorted(p.name for p in (REPO / "sites").iterdir() if (p / "settings.yaml").is_file()))


def site_overrides(site_id: str) -> dict:
    """The build overrides that choose a site (none for the default site)."""
    return {} if site_id == DEFAULT_SITE else {"SITE": site_id}


_built_sites: dict[str, Path] = {}


def built_site(request, site_id: str) -> Path:
    """Site `site_id` built once per test run (Gothenburg's is the `demo_site` build, not a second one)."""
    if site_id == DEFAULT_SITE:
        return request.getfixturevalue("demo_site")
    if site_id not in _built_sites:
        output = request.getfixturevalue("tmp_path_factory").mktemp(site_id) / "output"
        assert build_site(output, **site_overrides(site_id)) == 0, site_id
        _built_sites[site_id] = output
    return _built_sites[site_id]


@pytest.fixture(scope="session", params=SITES, ids=SITES)
def each_site_id(request) -> str:
    """Each site of the repository in turn: a test (or fixture) asking for it runs once per site."""
    return request.param


@pytest.fixture(scope="session")
def each_site(request, each_site_id) -> Path:
    """Each site of the repository, built once per test run: its output folder."""
    return built_site(request, each_site_id)


@pytest.fixture(scope="session")
def each_server(request, each_site_id, each_site):
    """`each_site` served like `demo_server` (Gothenburg's is `demo_server` itself): its base URL."""
    if each_site_id == DEFAULT_SITE:
        yield request.getfixturevalue("demo_server")
    else:
        yield from _serve(each_site)


def site_model(site_id: str):
    """Site `site_id`'s activities as the site's model reads them (tests/calendar_support.py), with the other
    sites' activities listed on it (Also-in); `.settings` are the site's settings."""
    from calendar_support import Model

    if site_id == DEFAULT_SITE:
        return Model(REPO / "content", TODAY)
    return Model(None, TODAY, **site_overrides(site_id))


@pytest.fixture(scope="session")
def each_model(each_site_id):
    """`each_site`'s model (site_model)."""
    return site_model(each_site_id)


# Debian's Chromium (never `playwright install`); flags keep it from calling home.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole run (Playwright); tests open their own contexts and pages."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The small fixture site in tests/fixtures/site, built once per test run."""
    output = tmp_path_factory.mktemp("fixture") / "output"
    assert build_site(output, FIXTURE_CONTENT) == 0
    return output


@pytest.fixture(scope="module")
def model():
    """The fixture site's activities as the site's model reads them (tests/calendar_support.py)."""
    from calendar_support import Model

    return Model(FIXTURE_CONTENT, TODAY)


@pytest.fixture(scope="module")
def calendars(model):
    """The fixture site's calendar feeds (feeds.Calendars), interface text from the theme's catalogues."""
    from halsolots.site import i18n
    from halsolots.generators.feeds import Calendars

    i18n.load_catalogues(str(REPO / "theme" / "translations"), model.site.languages)
    return Calendars(model.site, {"activities": model.all})
