"""Trustworthy output: atomic builds, reproducible builds, safe content, production files.

Each test builds a real site into a temporary folder and reads the files a web server would serve; the checks
that hold for any site (reproducible, policy, sitemap, robots, 404, compressed copies) run on each site of the
repository (conftest.SITES).
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import brotli
import pytest

from conftest import FIXTURE_CONTENT, REPO, TODAY, build_site, copy_content, html, site_overrides
from halsolots.generators import activities as generator
from site_pages import files_in, tree_differences

SITEURL = "https://halsolots.test"
PUBLISHCONF = REPO / "publishconf.py"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def production_build(output: Path, site_id: str) -> int:
    """Build site `site_id` as `make publish` does, at SITEURL (a test host, like a staging build's)."""
    with pytest.MonkeyPatch.context() as patch:
        # publishconf.py and a site's `publish:` settings both give way to SITEURL from the environment.
        patch.setenv("SITEURL", SITEURL)
        return build_site(output, settings_file=PUBLISHCONF, SITEURL=SITEURL, **site_overrides(site_id))


def leftovers(output: Path) -> list[str]:
    return sorted(p.name for p in output.parent.iterdir() if p.name.startswith(f"{output.name}."))


@pytest.fixture
def good_site(tmp_path) -> Path:
    output = tmp_path / "output"
    assert build_site(output, FIXTURE_CONTENT) == 0
    return output


# --- atomic publishing --------------------------------------------------------------------------------------


def test_content_error_leaves_previous_site_byte_for_byte(good_site, tmp_path, capsys):
    before = snapshot(good_site)
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    broken = content / "aktiviteter" / "stolgympa.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("Start: 2027-03-02 10:00", "Start: 2027-02-30 10:00"),
                      encoding="utf-8")
    code = build_site(good_site, content)
    err = capsys.readouterr().err
    assert code != 0
    assert "stolgympa.md" in err and "2027-02-30" in err
    assert "Traceback" not in err
    assert snapshot(good_site) == before
    assert leftovers(good_site) == []


def test_exception_inside_a_generator_leaves_previous_site(good_site, monkeypatch, capsys):
    before = snapshot(good_site)

    def explode(self, writer):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(generator.ActivityGenerator, "generate_output", explode)
    code = build_site(good_site, FIXTURE_CONTENT)
    err = capsys.readouterr().err
    assert code == 1
    assert "previous site is unchanged" in err and "disk on fire" in err
    assert "Traceback" not in err
    assert snapshot(good_site) == before
    assert leftovers(good_site) == []


def test_interrupted_build_leaves_no_staging_folder(good_site, monkeypatch):
    before = snapshot(good_site)

    def interrupt(self, writer):
        raise KeyboardInterrupt

    monkeypatch.setattr(generator.ActivityGenerator, "generate_output", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build_site(good_site, FIXTURE_CONTENT)
    assert snapshot(good_site) == before
    assert leftovers(good_site) == []


def test_stale_staging_from_a_killed_build_is_removed(good_site):
    dead = good_site.parent / f"{good_site.name}.building-999999999-abc"  # no such process
    unnamed = good_site.parent / f"{good_site.name}.building-xyz"
    alive = good_site.parent / f"{good_site.name}.building-{os.getpid()}-other"  # a build still running
    for folder in (dead, unnamed, alive):
        (folder / "half").mkdir(parents=True)
    assert build_site(good_site, FIXTURE_CONTENT) == 0
    assert leftovers(good_site) == [alive.name]


def test_swap_cut_between_renames_is_recovered(good_site, tmp_path):
    before = snapshot(good_site)
    previous = good_site.parent / f"{good_site.name}.previous"
    good_site.rename(previous)  # as if the build was killed between its two renames
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    (content / "aktiviteter" / "trasig.md").write_text("Title: Trasig\n", encoding="utf-8")
    assert build_site(good_site, content) != 0
    assert snapshot(good_site) == before
    assert leftovers(good_site) == []


def test_file_that_is_not_utf8_is_named(good_site, tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    (content / "aktiviteter" / "latin1.md").write_bytes("Title: Stolgympa för äldre\n\nText\n".encode("latin-1"))
    assert build_site(good_site, content) == 2
    err = capsys.readouterr().err
    assert "latin1.md:1: file: is not UTF-8 text" in err
    assert "Traceback" not in err


def test_command_line_failure_is_plain(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    (content / "aktiviteter" / "trasig.md").write_text("Title: Trasig\nStart: i morgon\n", encoding="utf-8")
    output = tmp_path / "output"
    # The settings file's PATH is relative, so point the build at the copy through an override module.
    settings = tmp_path / "conf.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(REPO)!r})\nfrom pelicanconf import *\n"
                        f"PATH = {str(content)!r}\nTHEME = {str(REPO / 'theme')!r}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "halsolots", "build", "--settings", str(settings), "--today", TODAY,
         "--output", str(output)],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(REPO / "plugins")},
    )
    assert result.returncode == 2
    assert "trasig.md" in result.stderr and "i morgon" in result.stderr
    assert "Traceback" not in result.stderr
    assert not output.exists() and leftovers(output) == []


# --- reproducible ---------------------------------------------------------------------------------------------


def test_two_production_builds_are_byte_identical(tmp_path, each_site_id):
    first, second = tmp_path / "a" / "output", tmp_path / "b" / "output"
    for output in (first, second):
        assert production_build(output, each_site_id) == 0
    assert tree_differences(first, second) == []
    one = files_in(first)
    assert any(name.endswith(".br") for name in one) and "sitemap.xml" in one


# --- safe content ---------------------------------------------------------------------------------------------

HOSTILE_TITLE = 'Gympa <script>alert("t")</script> & "vänner"'
HOSTILE_BODY = """Vi rör på oss.

<script>alert("body")</script>
<p onclick="alert('click')" style="color:red">Klicka <a href="javascript:alert('js')">här</a>
<a href="JaVaScRiPt:alert(1)">där</a> <img src="x.png" onerror="alert('img')" alt="bild">
<img src="https://tracker.example/pixel.gif" alt="spårare"></p>
<iframe src="https://evil.example/"></iframe>
<object data="x.swf"></object><form action="https://evil.example/"><input name="q"></form>
<svg><script>alert("svg")</script></svg>
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    content = copy_content(FIXTURE_CONTENT, root / "content")
    activity = content / "aktiviteter" / "stolgympa.md"
    text = activity.read_text(encoding="utf-8")
    header, body = text.split("\n\n", 1)
    header = header.replace("Title: Stolgympa", f"Title: {HOSTILE_TITLE}")
    header = header.replace("Summary: Gympa sittande på stol.", 'Summary: Gympa <script>alert("s")</script> **nu**')
    activity.write_text(f"{header}\n\n{HOSTILE_BODY}", encoding="utf-8")
    (content / "sidor").mkdir(exist_ok=True)
    (content / "sidor" / "farlig.md").write_text(f"Title: {HOSTILE_TITLE}\nSlug: farlig\n\n{HOSTILE_BODY}",
                                                 encoding="utf-8")
    output = root / "output"
    assert build_site(output, content) == 0
    return output


def _data_block(script) -> bool:
    """The event data (JSON-LD): never run; its text is JSON with no character that could end the element."""
    if script.get("type") != "application/ld+json" or script.get("src"):
        return False
    text = script.get_text()
    json.loads(text)
    assert not set("<>&") & set(text), script
    return True


def assert_harmless(page: Path):
    soup = html(page)
    scripts = [s for s in soup.find_all("script") if not _data_block(s)]
    assert all(s.get("src") and not s.get_text(strip=True) for s in scripts), page
    assert soup.find_all(["iframe", "object", "embed", "form"]) == [] or all(
        tag.name == "form" and urlsplit(tag.get("action", "")).netloc in ("", urlsplit(SITEURL).netloc)
        for tag in soup.find_all(["iframe", "object", "embed", "form"])), page
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (page, tag)
            if name in ("href", "src", "action"):
                assert not str(value).strip().lower().startswith("javascript:"), (page, tag)
    # Whatever survives is inert text: no element in the content carries the payloads.
    assert not [tag for tag in soup.find("main").find_all(True) if "alert(" in str(tag.attrs)], page


def test_hostile_markdown_and_metadata_are_made_harmless(hostile_site):
    activity = hostile_site / "aktivitet" / "stolgympa" / "index.html"
    assert_harmless(activity)
    soup = html(activity)
    assert soup.find("h1").get_text(strip=True) == HOSTILE_TITLE  # shown as text, not markup
    assert "&lt;script&gt;" in activity.read_text(encoding="utf-8")
    body = soup.find("main")
    assert body.find("img", alt="bild") is not None  # harmless markup is kept
    assert not any(img.get("src", "").startswith("https://") for img in body.find_all("img"))
    page = next(hostile_site.rglob("farlig/index.html"))
    assert_harmless(page)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_hostile_text_is_escaped_in_json_and_calendars(hostile_site):
    import json

    import icalendar

    # A title round-trips exactly: it could not break out of a JSON string or an iCal property.
    for path in hostile_site.rglob("*.json"):
        for text in _strings(json.loads(path.read_text(encoding="utf-8"))):
            if text.startswith("Gympa <script>"):
                assert text == HOSTILE_TITLE, path
    summaries = []
    for path in hostile_site.rglob("*.ics"):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        summaries += [str(event["SUMMARY"]) for event in calendar.walk("VEVENT") if "Gympa" in event.get("SUMMARY", "")]
    assert summaries and all(text.endswith(HOSTILE_TITLE) for text in summaries)  # cancelled ones carry a prefix


# --- Content-Security-Policy and third-party origins ---------------------------------------------------------


def _third_party(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.netloc) and parts.netloc != urlsplit(SITEURL).netloc or parts.scheme not in ("", "http", "https", "data", "mailto", "tel")


def test_no_page_has_inline_code_or_third_party_assets(each_site):
    pages = sorted(each_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        soup = html(page)
        meta = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert meta is not None, page
        assert "script-src 'self'" in meta["content"] and "unsafe-inline" not in meta["content"], page
        for script in soup.find_all("script"):
            if _data_block(script):
                continue
            assert script.get("src") and not script.get_text(strip=True), (page, script)
            assert not _third_party(script["src"]), (page, script)
        assert soup.find_all("style") == [], page
        for tag in soup.find_all(True):
            assert not any(name.lower().startswith("on") for name in tag.attrs), (page, tag)
            assert "style" not in tag.attrs, (page, tag)  # style-src 'self' blocks style attributes
        for link in soup.find_all("link", rel=True):
            if set(link["rel"]) & {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}:
                assert not _third_party(link["href"]), (page, link)
        for tag in soup.find_all(["img", "source", "video", "audio", "track", "iframe", "embed", "object", "input"]):
            for attribute in ("src", "poster", "data"):
                if tag.get(attribute):
                    assert not _third_party(tag[attribute]), (page, tag)
            for candidate in (tag.get("srcset") or "").split(","):
                if candidate.strip():
                    assert not _third_party(candidate.split()[0]), (page, tag)


def test_stylesheets_load_nothing_from_elsewhere(each_site):
    import re

    for css in each_site.rglob("*.css"):
        text = css.read_text(encoding="utf-8")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(r"@import\s+['\"]([^'\"]+)", text):
            assert not _third_party(url), (css, url)


def test_headers_file_carries_the_policy_and_frame_ancestors(each_site):
    headers = (each_site / "_headers").read_text(encoding="utf-8")
    assert headers.startswith("/*\n")
    policy = next(line for line in headers.splitlines() if "Content-Security-Policy:" in line)
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
                      "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in policy
    assert "X-Content-Type-Options: nosniff" in headers
    assert "/*.ics\n  Content-Type: text/calendar; charset=utf-8\n" in headers
    meta = html(each_site / "index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "frame-ancestors" not in meta  # ignored in a <meta>; the header carries it


def test_film_provider_origins_are_the_only_frames(tmp_path):
    output = tmp_path / "output"
    assert build_site(output, FIXTURE_CONTENT, FILM_PROVIDER_ORIGINS=["https://www.youtube-nocookie.com",
                                                                      "https://player.vimeo.com"]) == 0
    meta = html(output / "index.html").find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "frame-src https://player.vimeo.com https://www.youtube-nocookie.com" in meta


def test_a_film_whose_player_the_policy_would_block_is_refused(tmp_path, capsys):
    # The same setting decides what the policy frames and which providers films may use.
    assert build_site(tmp_path / "output", FIXTURE_CONTENT, FILM_PROVIDER_ORIGINS=["https://player.vimeo.com"]) != 0
    assert "External: films from YouTube are not allowed on this site" in capsys.readouterr().err


# --- production settings ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def production_site(tmp_path_factory, each_site_id) -> Path:
    """Each site of the repository built as `make publish` does."""
    output = tmp_path_factory.mktemp(f"production-{each_site_id}") / "output"
    assert production_build(output, each_site_id) == 0
    return output


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_sitemap_lists_every_published_page_with_alternates(production_site):
    root = ET.parse(production_site / "sitemap.xml").getroot()
    urls = [url.find(f"{SITEMAP}loc").text for url in root]
    assert urls == sorted(urls) and len(urls) == len(set(urls))
    assert all(url.startswith(SITEURL + "/") for url in urls)
    assert root.find(f"{SITEMAP}url/{SITEMAP}lastmod") is None  # no build dates
    listed = {urlsplit(url).path for url in urls}
    redirects = 0
    for page in production_site.rglob("index.html"):
        folder = page.parent.relative_to(production_site).as_posix()
        path = "/" if folder == "." else f"/{folder}/"
        if html(page).find("meta", attrs={"http-equiv": "refresh"}):  # an old address that moved (noindex)
            redirects += 1
            assert path not in listed, page
        else:
            assert path in listed, page
    assert redirects > 0  # the old /en/<Swedish>/ addresses
    assert not any("404" in url or "utkast" in url for url in urls)
    home = next(url for url in root if url.find(f"{SITEMAP}loc").text == SITEURL + "/")
    links = {link.get("hreflang"): link.get("href") for link in home.findall(f"{XHTML}link")}
    assert links == {"sv": SITEURL + "/", "en": SITEURL + "/en/", "x-default": SITEURL + "/"}


def test_pages_use_absolute_urls_in_production(production_site):
    soup = html(production_site / "index.html")
    assert soup.find("link", rel="stylesheet")["href"].startswith(SITEURL + "/")
    assert soup.find("link", hreflang="en")["href"] == SITEURL + "/en/"


def test_robots_and_security_txt(production_site):
    robots = (production_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITEURL}/sitemap.xml" in robots
    security = (production_site / ".well-known" / "security.txt").read_text(encoding="utf-8")
    fields = dict(line.split(": ", 1) for line in security.splitlines())
    assert fields["Contact"].startswith(("mailto:", "https://"))
    assert fields["Expires"] > f"{TODAY}T"  # a fixed date from the settings, still in the future
    assert fields["Preferred-Languages"] == "sv, en"
    assert fields["Canonical"] == f"{SITEURL}/.well-known/security.txt"


def test_404_page_in_each_language(production_site):
    swedish, english = html(production_site / "404.html"), html(production_site / "en" / "404.html")
    assert swedish.html["lang"] == "sv" and english.html["lang"] == "en"
    assert swedish.find("h1").get_text(strip=True) == "Sidan finns inte"
    assert english.find("h1").get_text(strip=True) == "Page not found"
    assert english.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    # Served at any missing address, so links must not be relative to the folder.
    for soup in (swedish, english):
        for tag in soup.find_all(["a", "link"], href=True):
            assert tag["href"].startswith((SITEURL, "#", "mailto:", "tel:")), tag


def test_precompressed_copies_match_their_originals(production_site):
    checked = 0
    for path in sorted(production_site.rglob("*")):
        if path.suffix in (".gz", ".br"):
            original = path.with_suffix("").read_bytes()
            packed = path.read_bytes()
            assert (gzip.decompress(packed) if path.suffix == ".gz" else brotli.decompress(packed)) == original
            assert len(packed) < len(original)
            checked += 1
    assert (production_site / "index.html.gz").exists() and (production_site / "index.html.br").exists()
    assert (production_site / "sitemap.xml.gz").exists()
    assert checked > 100
    assert not list(production_site.rglob("*.gz.br")) and not list(production_site.rglob("*.gz.gz"))


def test_local_build_has_no_sitemap_or_compressed_copies(fixture_site):
    assert not (fixture_site / "sitemap.xml").exists()
    assert not list(fixture_site.rglob("*.gz"))
    assert (fixture_site / "robots.txt").exists() and (fixture_site / "404.html").exists()
