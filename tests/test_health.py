"""Health information and theme pages on the built fixture site, and their validation."""

from __future__ import annotations

import pytest

from conftest import FIXTURE_CONTENT, build_site, copy_content, html


def hrefs(page, selector: str) -> list[str]:
    return [a["href"] for a in page.select(selector)]


def test_health_page_has_summary_review_date_text_and_help_cards(fixture_site):
    page = html(fixture_site / "halsa" / "sova-battre" / "index.html")
    article = page.select_one("article.health-page")
    # The plain-language summary comes first, right under the heading.
    assert article.h1.get_text() == "Sova bättre"
    assert article.h1.find_next_sibling("div")["class"] == ["health-page__summary"]
    assert article.select_one(".health-page__summary").get_text(" ", strip=True).endswith(
        "Regelbundna tider hjälper sömnen.")
    reviewed = article.select_one(".health-page__meta time")
    assert reviewed["datetime"] == "2026-10-05"
    assert reviewed.get_text() == "5 oktober 2026"
    assert "Senast granskad:" in article.select_one(".health-page__meta").get_text()
    assert hrefs(article, ".health-page__meta a") == ["/tema/somn/"]
    assert "samma tid varje kväll" in article.select_one(".body").get_text()
    cards = page.select(".help-cards .help-card")
    assert [c.select_one(".help-card__name").get_text() for c in cards] == ["1177 Vårdguiden", "Vårdcentralen"]
    assert cards[0].select_one("a[href='tel:1177']").get_text() == "1177"
    assert hrefs(cards[1], "a") == ["https://www.1177.se/hitta-vard/"]
    assert page.select_one(".health-page__help h2").get_text() == "Här får du hjälp"


def test_translated_health_page_and_fallbacks(fixture_site):
    page = html(fixture_site / "en" / "health" / "sova-battre" / "index.html")
    assert page.html["lang"] == "en"
    assert page.h1.get_text() == "Sleep better"
    assert "Regular times help your sleep." in page.select_one(".health-page__summary").get_text()
    assert page.select_one(".health-page__meta time").get_text() == "5 October 2026"
    cards = page.select(".help-card")
    assert cards[0].select_one(".help-card__name").get_text() == "1177 healthcare guide"
    # The health centre has no English description: the Swedish one is shown, marked as Swedish.
    assert cards[1].select_one(".help-card__description")["lang"] == "sv"
    untranslated = html(fixture_site / "en" / "health" / "sluta-snusa" / "index.html")
    assert untranslated.select_one("article.health-page")["lang"] == "sv"
    assert untranslated.select_one(".health-page__meta")["lang"] == "en"


def test_health_index_groups_pages_by_theme(fixture_site):
    page = html(fixture_site / "halsa" / "index.html")
    groups = {section.h2.get_text(): hrefs(section, ".health-card__title a")
              for section in page.select("main section")}
    assert groups == {
        "Sömn": ["/halsa/sova-battre/", "/halsa/stress-och-somn/"],
        "Stress": ["/halsa/stress-och-somn/"],
        "Tobak och snus": ["/halsa/sluta-snusa/"],
    }


@pytest.mark.parametrize("theme, health, activities, films", [
    # Past (forra-arets-kurs) and wholly cancelled (installd-promenad) activities are left out.
    ("somn", ["/halsa/sova-battre/", "/halsa/stress-och-somn/"], ["/aktivitet/forelasning-somn/"],
     ["/filmer/somnforelasning/"]),
    ("stress", ["/halsa/stress-och-somn/"], ["/aktivitet/webbinarium-stress/", "/aktivitet/stolgympa/"],
     ["/filmer/andas-lugnt/"]),
    ("tobak", ["/halsa/sluta-snusa/"], [], ["/filmer/snus-och-halsa/"]),
])
def test_theme_pages_gather_exactly_their_items(fixture_site, theme, health, activities, films):
    page = html(fixture_site / "tema" / theme / "index.html")
    assert hrefs(page, ".theme-section--health .health-card__title a") == health
    assert hrefs(page, ".theme-section--activities .activity-summary__title a") == activities
    assert hrefs(page, ".theme-section--films .film-card__title a") == films
    if not activities:
        assert "Just nu finns inga kommande aktiviteter" in page.select_one(".theme-section--activities").get_text()
    english = html(fixture_site / "en" / "theme" / theme / "index.html")
    assert hrefs(english, ".theme-section--films .film-card__title a") == ["/en" + href.replace("/filmer/", "/films/", 1) for href in films]


def test_navigation_and_activity_pages_link_the_new_sections(fixture_site):
    page = html(fixture_site / "en" / "programme" / "index.html")
    nav = {a.get_text(): a["href"] for a in page.select(".site-nav a")}
    assert nav["Health information"] == "/en/health/"
    assert nav["Films"] == "/en/films/"
    activity = html(fixture_site / "aktivitet" / "forelasning-somn" / "index.html")
    assert "/tema/somn/" in hrefs(activity, ".facts a")


def test_health_problems_fail_the_build(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "site")
    halsa = content / "halsa"
    original = halsa / "sova-battre.md"
    original.write_text(original.read_text(encoding="utf-8")
                        .replace("Themes: somn", "Themes: somn, sömnlöshet")
                        .replace("Help: 1177, vardcentral", "Help: 1177, vc"), encoding="utf-8")
    translation = halsa / "sova-battre.en.md"
    translation.write_text(translation.read_text(encoding="utf-8").replace("Lang: en", "Lang: en\nThemes: somn"),
                           encoding="utf-8")
    stress = halsa / "stress-och-somn.md"
    stress.write_text(stress.read_text(encoding="utf-8").replace("Reviewed: 2026-09-01\n", "Reviewed: 1/9 2026\n"),
                      encoding="utf-8")
    snus = halsa / "snus.md"
    snus.write_text(snus.read_text(encoding="utf-8").replace("Reviewed: 2026-08-15\n", ""), encoding="utf-8")
    output = tmp_path / "output"
    assert build_site(output, content) == 2
    assert not output.exists()
    lines = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("warning:")]
    assert lines == [
        "error: site/halsa/snus.md:1: Reviewed: is missing (the date the text was last checked, YYYY-MM-DD)",
        "error: site/halsa/sova-battre.en.md:4: Themes: belongs in the original file only; a translation holds only text "
        "(Title, Slug, Lang, Summary and the text)",
        "error: site/halsa/sova-battre.md:5: Themes: 'sömnlöshet' is not a known value (one of: somn, stress, tobak)",
        "error: site/halsa/sova-battre.md:7: Help: 'vc' is not a known value (one of: 1177, vardcentral)",
        "error: site/halsa/stress-och-somn.md:6: Reviewed: '1/9 2026' is not a date (YYYY-MM-DD, e.g. 2026-11-20)",
        "5 problems in the content; nothing was published.",
    ]


def test_health_pages_show_a_few_activities_and_link_to_their_themes(tmp_path):
    # stress-och-somn has three upcoming activities on its themes; with a limit of one, it shows the first.
    output = tmp_path / "output"
    assert build_site(output, FIXTURE_CONTENT, RELATED_ACTIVITIES=1) == 0
    page = html(output / "halsa" / "stress-och-somn" / "index.html")
    related = page.select_one(".related-activities")
    assert hrefs(related, ".activity-summary__title a") == ["/aktivitet/forelasning-somn/"]
    assert hrefs(related, ".related-activities__more a") == ["/tema/stress/", "/tema/somn/"]
    theme = html(output / "tema" / "stress" / "index.html")
    assert len(theme.select(".theme-section--activities .activity-summary")) == 2  # the theme page lists them all
