"""Accessibility and integrity checks over every built page of each site of the repository, read as HTML (no
browser).

Written generically: each check walks all .html files of the build, so pages added later (and sites added later,
conftest.SITES) are covered too.
The W3C Nu HTML checker needs Java, which `make test` installs with the browser dependencies, hence its mark.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from conftest import REPO, html
from halsolots.site import i18n
from site_pages import html_pages, page_url

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LANDMARKS = ("header", "nav", "main", "footer")
# Link texts that say nothing once read out of context (screen readers list links on their own).
VAGUE_LINK_TEXTS = {"read more", "more", "click here", "here", "link", "this", "continue",
                    "läs mer", "mer", "klicka här", "här", "länk", "detta", "fortsätt"}
# Attributes that make the browser fetch something; such URLs must stay on the site.
RESOURCE_ATTRIBUTES = {"img": ("src", "srcset"), "source": ("src", "srcset"), "script": ("src",),
                       "video": ("src", "poster"), "audio": ("src",), "track": ("src",), "iframe": ("src",),
                       "embed": ("src",), "object": ("data",), "input": ("src",)}
FETCHED_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon", "prefetch"}


def _report(problems: list[str]) -> str:
    return f"{len(problems)} problem(s):\n" + "\n".join(problems)


@functools.lru_cache(maxsize=None)
def _soup(path: Path):
    # Each checker walks every page; parse each file once per test run.
    return html(path)


def _parsed_pages(site: Path):
    for path in html_pages(site):
        yield page_url(site, path), _soup(path)


def test_site_has_pages(each_site):
    # Guards the walkers below against silently checking nothing.
    assert len(html_pages(each_site)) > 50


def structure_problems(site: Path) -> list[str]:
    problems = []
    for url, soup in _parsed_pages(site):
        for landmark in LANDMARKS:
            if not soup.find(landmark):
                problems.append(f"{url}: no <{landmark}> landmark")
        if len(soup.find_all("main")) != 1:
            problems.append(f"{url}: {len(soup.find_all('main'))} <main> elements, expected 1")
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        if levels.count(1) != 1:
            problems.append(f"{url}: {levels.count(1)} <h1> elements, expected exactly 1")
        first_in_main = soup.main.find(re.compile(r"^h[1-6]$")) if soup.main else None
        if first_in_main is not None and first_in_main.name != "h1":
            problems.append(f"{url}: main content starts with <{first_in_main.name}>, not <h1>")
        for before, after in zip(levels, levels[1:]):
            if after > before + 1:
                problems.append(f"{url}: heading level jumps from h{before} to h{after}")
                break
    return problems


def skip_link_problems(site: Path) -> list[str]:
    problems = []
    for url, soup in _parsed_pages(site):
        first = (soup.body or soup).find(["a", "button", "input", "select", "textarea", "summary"])
        target = (first.get("href") or "") if first else ""
        if not target.startswith("#") or not soup.find(id=target[1:]) or soup.find(id=target[1:]).name != "main":
            problems.append(f"{url}: the first focusable element is not a skip link to <main>: {first}")
    return problems


def _accessible_text(element) -> str:
    label = element.get("aria-label")
    return " ".join((label or element.get_text(" ")).split()).strip().lower()


def link_text_problems(site: Path) -> list[str]:
    problems = []
    for url, soup in _parsed_pages(site):
        for link in soup.find_all("a", href=True):
            text = _accessible_text(link)
            described = link.get("aria-describedby") or link.get("aria-labelledby")
            if (text.strip(" .:!…»›→") in VAGUE_LINK_TEXTS) and not described:
                problems.append(f"{url}: link text {text!r} says nothing out of context ({link['href']})")
            elif not text and not link.find("img", alt=True):
                problems.append(f"{url}: link without text ({link['href']})")
    return problems


def lang_problems(site: Path) -> list[str]:
    problems = []
    for url, soup in _parsed_pages(site):
        if not soup.html.get("lang"):
            problems.append(f"{url}: <html> has no lang")
        for element in soup.find_all(lang=True):
            if not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", element["lang"]):
                problems.append(f"{url}: invalid lang={element['lang']!r} on <{element.name}>")
    return problems


def label_problems(site: Path) -> list[str]:
    problems = []
    for url, soup in _parsed_pages(site):
        for field in soup.find_all(["input", "select", "textarea"]):
            if field.get("type") in ("hidden", "submit", "button", "reset", "image"):
                continue
            labelled = (field.get("aria-label") or field.get("aria-labelledby") or field.find_parent("label")
                        or (field.get("id") and soup.find("label", attrs={"for": field["id"]})))
            if not labelled:
                problems.append(f"{url}: <{field.name} name={field.get('name')!r}> has no label")
    return problems


def _is_internal(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def _target_file(site: Path, url: str) -> Path | None:
    """The built file a site-absolute URL is served from, or None when there is none."""
    path = unquote(urlsplit(url).path)
    candidate = site / path.lstrip("/")
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    return candidate if candidate.is_file() else None


def _urls(element, attribute: str) -> list[str]:
    value = element.get(attribute) or ""
    if attribute == "srcset":
        return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
    return [value] if value else []


def reference_problems(site: Path) -> list[str]:
    problems = []
    for url, soup in _parsed_pages(site):
        references = [(link, "href") for link in soup.find_all(["a", "link", "area"], href=True)]
        references += [(element, attribute) for name, attributes in RESOURCE_ATTRIBUTES.items()
                       for element in soup.find_all(name) for attribute in attributes if element.get(attribute)]
        for element, attribute in references:
            for reference in _urls(element, attribute):
                if not _is_internal(reference) or reference.startswith(("data:", "mailto:", "tel:")):
                    continue
                absolute = urljoin(url, reference)
                target = _target_file(site, absolute)
                if target is None:
                    problems.append(f"{url}: <{element.name} {attribute}={reference!r}> points to no built file")
                    continue
                fragment = urlsplit(absolute).fragment
                if fragment and target.suffix == ".html":
                    document = soup if urlsplit(absolute).path == url else _soup(target)
                    if not document.find(id=unquote(fragment)):
                        problems.append(f"{url}: {reference!r}: no element with id {fragment!r}")
                hreflang = element.get("hreflang")
                if hreflang and hreflang != "x-default" and target.suffix == ".html":
                    target_lang = _soup(target).html.get("lang")
                    if target_lang != hreflang:
                        problems.append(f"{url}: hreflang={hreflang!r} link {reference!r} leads to lang={target_lang!r}")
    return problems


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)|@import\s+['"]([^'"]+)""")


def third_party_problems(site: Path) -> list[str]:
    """Visitors' browsers fetch nothing from other origins (privacy; no CDNs, web fonts or embeds)."""
    problems = []
    for url, soup in _parsed_pages(site):
        fetched = [(link, "href") for link in soup.find_all("link", href=True)
                   if FETCHED_LINK_RELS & set(link.get("rel") or [])]
        fetched += [(element, attribute) for name, attributes in RESOURCE_ATTRIBUTES.items()
                    for element in soup.find_all(name) for attribute in attributes if element.get(attribute)]
        for element, attribute in fetched:
            for reference in _urls(element, attribute):
                if not _is_internal(reference) and not reference.startswith("data:"):
                    problems.append(f"{url}: <{element.name} {attribute}={reference!r}> loads from another origin")
        for style in soup.find_all(style=True) + soup.find_all("style"):
            text = style.get("style") if style.get("style") else style.string or ""
            for match in CSS_URL.finditer(text):
                reference = match.group(1) or match.group(2)
                if not _is_internal(reference) and not reference.startswith("data:"):
                    problems.append(f"{url}: inline CSS loads {reference!r} from another origin")
    for stylesheet in sorted(site.rglob("*.css")):
        for match in CSS_URL.finditer(stylesheet.read_text(encoding="utf-8")):
            reference = match.group(1) or match.group(2)
            if not _is_internal(reference) and not reference.startswith("data:"):
                problems.append(f"{stylesheet.relative_to(site)}: loads {reference!r} from another origin")
            elif _is_internal(reference) and not reference.startswith("data:"):
                css_url = "/" + stylesheet.relative_to(site).as_posix()
                if _target_file(site, urljoin(css_url, reference)) is None:
                    problems.append(f"{stylesheet.relative_to(site)}: {reference!r} points to no built file")
    return problems


def test_every_page_has_landmarks_one_h1_and_a_logical_heading_order(each_site):
    problems = structure_problems(each_site)
    assert not problems, _report(problems)


def test_skip_link_is_the_first_link_and_targets_main(each_site):
    problems = skip_link_problems(each_site)
    assert not problems, _report(problems)


def test_link_texts_make_sense_out_of_context(each_site):
    problems = link_text_problems(each_site)
    assert not problems, _report(problems)


def test_every_page_declares_a_language_and_lang_attributes_are_valid(each_site):
    problems = lang_problems(each_site)
    assert not problems, _report(problems)


def test_form_fields_have_labels(each_site):
    problems = label_problems(each_site)
    assert not problems, _report(problems)


def test_every_internal_link_asset_and_hreflang_target_resolves(each_site):
    problems = reference_problems(each_site)
    assert not problems, _report(problems)


def test_no_third_party_scripts_styles_fonts_or_images(each_site):
    problems = third_party_problems(each_site)
    assert not problems, _report(problems)


def test_cancelled_status_is_said_in_words(each_site):
    """Cancelled occasions are marked in text (not only by colour or strike-through)."""
    cancelled = []
    for url, soup in _parsed_pages(each_site):
        with i18n.language(soup.html["lang"]):
            word = i18n.gettext("Cancelled")
        for item in soup.select(".occurrence--cancelled, .notice--cancelled"):
            cancelled.append(url)
            assert word in item.get_text(" "), f"{url}: cancelled item without the word {word!r}: {item}"
    assert cancelled, "the site should show at least one cancelled occasion"


def test_accessibility_statement_in_both_languages_is_linked_from_every_footer(each_site):
    """The statement follows DIGG's structure: status, shortcomings, contact, enforcement, how it was tested."""
    statements = {"sv": each_site / "tillganglighet" / "index.html", "en": each_site / "en" / "tillganglighet" / "index.html"}
    for lang, path in statements.items():
        soup = _soup(path)
        assert soup.html["lang"] == lang
        assert len(soup.main.find_all("h2")) >= 6, f"{lang}: statement lacks DIGG's sections"
        hrefs = [a["href"] for a in soup.main.find_all("a", href=True)]
        assert any(re.fullmatch(r"mailto:[^@\s]+@[^@\s]+\.[a-z]+", href) for href in hrefs), f"{lang}: no e-mail"
        assert any("digg.se" in href for href in hrefs), f"{lang}: no way to contact DIGG"
        assert "axe" in soup.main.get_text() and "WCAG 2.1" in soup.main.get_text()
    problems = []
    for url, soup in _parsed_pages(each_site):
        expected = "/en/tillganglighet/" if soup.html.get("lang") == "en" else "/tillganglighet/"
        if not soup.footer or not soup.footer.find("a", href=expected):
            problems.append(f"{url}: footer does not link the accessibility statement {expected}")
    assert not problems, _report(problems)


BROKEN_PAGE = """<!DOCTYPE html><html><head><title>x</title>
<link rel="stylesheet" href="https://cdn.example.net/x.css"><link rel="alternate" hreflang="en" href="/en/">
</head><body><a href="/program/">Programme</a><header></header>
<main><h2>Starts low</h2><h1>One</h1><h1>Two</h1><h4>Jump</h4>
<a href="/missing/">Read more</a> <a href="#nowhere">Läs mer</a> <a href="/" lang="svenska">x</a>
<img src="https://images.example.org/a.png" alt="a"><img srcset="/gone.png 2x" alt="b">
<input type="search" name="q"></main></body></html>"""


def test_the_checkers_find_what_is_wrong(tmp_path):
    """Each checker reports a page that breaks its rule (so a clean demo site means something)."""
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "index.html").write_text('<!DOCTYPE html><html lang="sv"><title>t</title></html>')
    (tmp_path / "index.html").write_text(BROKEN_PAGE)
    (tmp_path / "style.css").write_text("@font-face { src: url(https://fonts.example.com/f.woff2); }")
    expectations = {
        structure_problems: ["no <nav>", "no <footer>", "2 <h1>", "starts with <h2>", "jumps from h1 to h4"],
        skip_link_problems: ["not a skip link"],
        link_text_problems: ["'read more'", "'läs mer'"],
        lang_problems: ["<html> has no lang", "lang='svenska'"],
        label_problems: ["name='q'"],
        reference_problems: ["'/missing/'", "'/program/'", "no element with id 'nowhere'", "'/gone.png'",
                             "hreflang='en' link '/en/' leads to lang='sv'"],
        third_party_problems: ["cdn.example.net", "images.example.org", "fonts.example.com"],
    }
    for checker, expected in expectations.items():
        found = "\n".join(checker(tmp_path))
        for fragment in expected:
            assert fragment in found, f"{checker.__name__} missed {fragment!r}:\n{found}"


@pytest.mark.browser
@pytest.mark.checkers  # vnu.jar from node_modules
def test_nu_html_checker_finds_no_errors(each_site):
    """One JVM for all pages and stylesheets (starting Java per file would take minutes)."""
    java = shutil.which("java")
    assert java, "Java is missing: `make test` installs default-jre-headless (make browser-deps)"
    assert VNU.exists(), "vnu.jar is missing: run `npm ci` (make browser-deps)"
    files = [str(path) for path in html_pages(each_site)] + [str(path) for path in sorted(each_site.rglob("*.css"))]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--also-check-css", "--format", "json",
                             *files], capture_output=True, text=True, timeout=600)
    report = json.loads(result.stderr or result.stdout)
    errors = [f"{urlsplit(m.get('url', '')).path.replace(str(each_site), '')}:{m.get('lastLine', '?')}: "
              f"{m.get('type')}: {m.get('message')} [{m.get('extract', '').strip()[:80]}]"
              for m in report["messages"]]
    assert not errors, _report(errors)
    assert result.returncode == 0, result.stderr[-2000:]
