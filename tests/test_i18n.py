"""Languages: catalogues complete, Babel formatting per locale, hreflang, and a third (right-to-left) language
added with a catalogue, one setting and translated content only."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from conftest import FIXTURE_CONTENT, REPO, build_site, copy_content, html
from halsolots.site import i18n
from halsolots.content.activity import TIMEZONE

TRANSLATIONS = REPO / "theme" / "translations"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}


def extracted_messages() -> set:
    """Every msgid (with context) in templates, components and plugins, as `make translations` finds them."""
    method_map = [("plugins/**.py", "python"), ("theme/templates/**.html", "jinja2"), ("theme/components/**.html", "jinja2")]
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}
    found = set()
    for _, _, message, _, context in extract_from_dir(str(REPO), method_map, options, keywords=KEYWORDS):
        found.add((context, message if isinstance(message, str) else tuple(message)[0]))
    return found


@pytest.mark.parametrize("lang", sorted(p.name for p in TRANSLATIONS.iterdir() if p.is_dir()))
def test_every_interface_string_is_translated(lang):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {}
    for message in catalog:
        if message.id:
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            translated[(message.context, msgid)] = all(strings) and not message.fuzzy
    missing = sorted(str(m) for m in extracted_messages() if m not in translated)
    empty = sorted(str(m) for m in extracted_messages() if m in translated and not translated[m])
    assert missing == [], f"not in the {lang} catalogue (run `make translations`)"
    assert empty == [], f"untranslated in the {lang} catalogue"


@pytest.fixture
def catalogues():
    i18n.load_catalogues(str(TRANSLATIONS), ["sv", "en"])


def test_dates_and_times_are_formatted_by_locale(catalogues):
    start = datetime(2026, 3, 3, 10, 0, tzinfo=TIMEZONE)
    end = datetime(2026, 3, 3, 11, 0, tzinfo=TIMEZONE)
    with i18n.language("sv"):
        assert i18n.format_when(start, end) == "tisdag 3 mars 2026, kl. 10.00–11.00"
        assert i18n.weekday_name(start) == "tisdag"
        assert i18n.language_name("en") == "engelska"
    with i18n.language("en"):
        assert i18n.format_when(start, end) == "Tuesday 3 March 2026, 10:00–11:00"
        assert i18n.weekday_name(start) == "Tuesday"
        assert i18n.language_name("sv") == "Swedish"
    assert i18n.direction("ar") == "rtl" and i18n.direction("sv") == "ltr"


def alternates_of(page) -> dict[str, str]:
    return {link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')}


def page_for(site: Path, href: str) -> Path:
    path = site / href.lstrip("/")
    return path / "index.html" if href.endswith("/") or not href.strip("/") else path


def test_hreflang_is_reciprocal_and_resolves(each_site):
    checked = 0
    for path in sorted(each_site.rglob("*.html")):
        page = html(path)
        alternates = alternates_of(page)
        if not alternates:
            continue
        own_lang = page.html["lang"]
        assert own_lang in alternates, f"{path} has no hreflang to itself"
        own_href = alternates[own_lang]
        assert page_for(each_site, own_href) == path
        # x-default is the Swedish page where there is one, else the page itself.
        assert alternates["x-default"] == alternates.get("sv", own_href)
        for lang, href in alternates.items():
            target = page_for(each_site, href)
            assert target.exists(), f"{path}: hreflang {lang} → {href} does not exist"
            if lang != "x-default":
                back = alternates_of(html(target))
                assert back.get(own_lang) == own_href, f"{target} does not link back to {path}"
                assert html(target).html["lang"] == lang
        checked += 1
    assert checked > 100


def test_language_switcher_leads_to_translation_or_home(demo_site):
    translated = html(demo_site / "en" / "om-oss" / "index.html")
    switch = {a["hreflang"]: a["href"] for a in translated.select(".language-switcher a")}
    assert switch == {"sv": "/om-oss/"}
    only_english = html(demo_site / "en" / "international-students" / "index.html")
    switch = {a["hreflang"]: a["href"] for a in only_english.select(".language-switcher a")}
    assert switch == {"sv": "/"}


def test_untranslated_activity_appears_in_english_with_swedish_text_marked(fixture_site):
    page = html(fixture_site / "en" / "aktivitet" / "forelasning-somn" / "index.html")
    assert page.html["lang"] == "en"
    article = page.select_one("article.activity")
    assert article["lang"] == "sv" and page.h1.get_text() == "Föreläsning om sömn"
    facts = page.select_one(".facts").find_parent(["div", "section"])
    assert facts["lang"] == "en"
    assert "Lectures" in facts.get_text() and "Wednesday 2 December 2026" in facts.get_text()
    programme = html(fixture_site / "en" / "programme" / "index.html")
    link = programme.find("a", string="Föreläsning om sömn")
    assert link["lang"] == "sv" and link["href"] == "/en/aktivitet/forelasning-somn/"
    translated = html(fixture_site / "en" / "aktivitet" / "stolgympa" / "index.html")
    assert translated.h1.get_text() == "Chair exercise" and not translated.select_one("article.activity").has_attr("lang")


ARABIC_PO = '''\
msgid ""
msgstr ""
"Language: ar\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Programme"
msgstr "البرنامج"

msgid "Skip to main content"
msgstr "انتقل إلى المحتوى الرئيسي"

msgid "Free activities for your health"
msgstr "أنشطة مجانية لصحتك"
'''


def test_a_right_to_left_language_needs_no_code_change(tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(REPO / "theme", theme)
    (theme / "translations" / "ar" / "LC_MESSAGES").mkdir(parents=True)
    (theme / "translations" / "ar" / "LC_MESSAGES" / "messages.po").write_text(ARABIC_PO, encoding="utf-8")
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    (content / "aktiviteter" / "stolgympa.ar.md").write_text(
        "Title: تمارين على الكرسي\nSlug: stolgympa\nLang: ar\nSummary: تمارين وأنت جالس.\n\nنتحرك معاً.\n", encoding="utf-8")
    output = tmp_path / "output"
    assert build_site(output, content, THEME=str(theme), LANGUAGES=["sv", "en", "ar"]) == 0

    home = html(output / "ar" / "index.html")
    assert (home.html["lang"], home.html["dir"]) == ("ar", "rtl")
    assert home.h1.get_text() == "أنشطة مجانية لصحتك"
    assert home.select_one(".skip-link").get_text() == "انتقل إلى المحتوى الرئيسي"
    assert home.select_one(".site-nav a").get_text() == "البرنامج"
    activity = html(output / "ar" / "aktivitet" / "stolgympa" / "index.html")
    assert activity.h1.get_text() == "تمارين على الكرسي"
    assert alternates_of(activity) == {"sv": "/aktivitet/stolgympa/", "en": "/en/aktivitet/stolgympa/",
                                       "ar": "/ar/aktivitet/stolgympa/", "x-default": "/aktivitet/stolgympa/"}
    # Babel formats the dates in Arabic; untranslated Swedish text is marked as Swedish.
    dates = activity.select_one(".dates__list li").get_text()
    assert "مارس" in dates
    untranslated = html(output / "ar" / "aktivitet" / "forelasning-somn" / "index.html")
    assert untranslated.select_one("article.activity")["lang"] == "sv"
    swedish = html(output / "aktivitet" / "stolgympa" / "index.html")
    assert {a["hreflang"] for a in swedish.select(".language-switcher a")} == {"en", "ar"}


def test_template_gettext_renders_exactly_as_jinjas_newstyle_gettext():
    from jinja2 import Environment

    from halsolots.site import i18n

    source = ('{{ _("Programme") }}|{{ _("100%% free") }}|{{ _("Week of %(date)s", date="<b>1 dec</b>") }}|'
              '{{ ngettext("%(num)d film", "%(num)d films", 2) }}|{{ ngettext("%(num)d film", "%(num)d films", 1) }}')
    rendered = {}
    for fast in (False, True):
        env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
        env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)
        if fast:
            env.globals.update(i18n.template_gettext_globals())
        with i18n.language("sv"):
            rendered[fast] = env.from_string(source).render()
    assert rendered[True] == rendered[False]
    assert "100% free" in rendered[True] and "&lt;b&gt;" in rendered[True]
