"""Integration tests: build the fixture site into a temporary folder and read the real HTML."""

from __future__ import annotations

import os
import shutil

from conftest import FIXTURE_CONTENT, build_site, copy_content, html


def text(element) -> str:
    """Visible text with white space collapsed, as a reader hears it."""
    return " ".join(element.get_text().split())


def occurrence_titles(page) -> list[tuple[str, str]]:
    """(day datetime, activity title) for every occurrence listed on a page, in page order."""
    found = []
    for day_heading in page.select(".occurrence-list__day"):
        day = day_heading.time["datetime"]
        for item in day_heading.find_next_sibling("ul").select(".occurrence"):
            found.append((day, item.select_one(".occurrence__what a").get_text(strip=True)))
    return found


def test_activity_page_shows_every_fact(fixture_site):
    page = html(fixture_site / "aktivitet" / "forelasning-somn" / "index.html")
    assert page.html["lang"] == "sv"
    assert page.h1.get_text() == "Föreläsning om sömn"
    facts = {text(row.dt): text(row.dd) for row in page.select(".facts__row")}
    assert facts["När"] == "onsdag 2 december 2026, kl. 12.00–12.45"
    assert page.select_one(".facts time")["datetime"] == "2026-12-02T12:00:00+01:00"
    assert "Stadsbiblioteket" in facts["Var"] and "Götaplatsen 3, 412 56 Göteborg" in facts["Var"]
    assert "Spårvagn till Valand." in facts["Var"]
    assert [text(li) for li in page.select(".facts__list li")] == ["Entré utan trappsteg", "Hörslinga"]
    assert facts["Område"] == "Centrum"
    assert facts["För"] == "Alla, Studenter"
    assert facts["Kategori"] == "Föreläsningar"
    assert facts["Språk"] == "Svenska. Teckenspråkstolkas"
    assert facts["Anmälan"] == "Drop-in, ingen anmälan"
    assert facts["Kostnad"] == "Kostnadsfritt"
    assert facts["Arrangör"] == "Hälsolots Centrum. I samarbete med Stadsbiblioteket"


def test_series_page_lists_upcoming_dates_with_cancellations_in_text(fixture_site):
    page = html(fixture_site / "aktivitet" / "stolgympa" / "index.html")
    dates = page.select(".dates__list li")
    assert [li.time["datetime"][:16] for li in dates] == [
        "2027-03-02T10:00", "2027-03-09T10:00", "2027-03-16T10:00", "2027-03-23T10:00", "2027-04-06T10:00",
        "2027-04-13T10:00"]
    assert "Inställt" in dates[2].get_text() and "Inställt" not in dates[1].get_text()
    assert "30 mars" in page.select_one(".dates").get_text()  # the exception is named


def test_registration_and_cancelled_activity(fixture_site):
    dance = html(fixture_site / "aktivitet" / "studentdans" / "index.html")
    assert "Anmälan krävs: Mejla dans@example.se." in " ".join(dance.get_text().split())
    assert dance.select_one(".facts a[href='mailto:dans@example.se']")  # one tap writes (issue 17)
    cancelled = html(fixture_site / "aktivitet" / "installd-promenad" / "index.html")
    notice = cancelled.select_one(".notice--cancelled").get_text(" ", strip=True)
    assert "Inställt" in notice and "Ledaren är sjuk." in notice
    online = html(fixture_site / "aktivitet" / "webbinarium-stress" / "index.html")
    assert "Digitalt" in online.select_one(".facts").get_text()


def test_programme_groups_upcoming_occurrences_by_day_and_drops_past(fixture_site):
    page = html(fixture_site / "program" / "index.html")
    listed = occurrence_titles(page)
    assert listed == [
        ("2026-12-02", "Föreläsning om sömn"),
        ("2026-12-03", "Dans för studenter"),
        ("2026-12-04", "Inställd promenad"),
        ("2026-12-05", "Hemlig aktivitet"),  # drafts show in the preview build (SHOW_DRAFTS)
        ("2026-12-10", "Webbinarium om stress"),
    ]
    assert "Förra årets kurs" not in page.get_text()
    # Later weeks are separate pages, linked in order; a series appears once per week.
    march = html(fixture_site / "program" / "2027-v09" / "index.html")
    assert occurrence_titles(march) == [("2027-03-02", "Stolgympa")]
    assert page.select_one('a[rel="next"]')["href"] == "/program/2027-v09/"


def test_listing_pages_per_district_group_and_category(fixture_site):
    nordost = html(fixture_site / "omrade" / "nordost" / "index.html")
    assert nordost.h1.get_text() == "Nordost"
    assert [t for _, t in occurrence_titles(nordost)] == ["Dans för studenter", "Inställd promenad", "Webbinarium om stress"]
    combo = html(fixture_site / "omrade" / "nordost" / "studenter" / "index.html")
    assert combo.h1.get_text() == "Studenter i Nordost"
    assert [t for _, t in occurrence_titles(combo)] == ["Dans för studenter"]
    students = html(fixture_site / "malgrupp" / "studenter" / "index.html")
    assert {t for _, t in occurrence_titles(students)} == {"Föreläsning om sömn", "Dans för studenter"}
    lectures = html(fixture_site / "kategori" / "forelasning" / "index.html")
    assert {t for _, t in occurrence_titles(lectures)} == {"Föreläsning om sömn", "Webbinarium om stress"}
    # Series beyond the listed weeks are still found under "All upcoming activities".
    centrum = html(fixture_site / "omrade" / "centrum" / "index.html")
    assert "Stolgympa" in centrum.select_one("#all-heading").find_parent("section").get_text()


def test_home_leads_to_every_listing(fixture_site):
    page = html(fixture_site / "index.html")
    hrefs = {a["href"] for a in page.select("a")}
    for path in ("omrade/centrum", "omrade/nordost", "malgrupp/seniorer", "malgrupp/studenter", "malgrupp/alla",
                 "kategori/rorelse", "kategori/forelasning", "program"):
        assert f"/{path}/" in hrefs
        assert (fixture_site / path / "index.html").exists()
    assert [t for _, t in occurrence_titles(page)][:2] == ["Föreläsning om sömn", "Dans för studenter"]


def test_pages_work_without_javascript(fixture_site):
    # JavaScript may only enhance: an external file from the site itself, never inline code or handlers.
    for page_path in fixture_site.rglob("*.html"):
        for script in html(page_path).find_all("script"):
            if script.get("type") == "application/ld+json":
                continue  # a data block (event data), never run (tests/test_event_data.py)
            assert script.get("src", "").startswith("/theme/js/") and not script.string, (page_path, script)


def test_broken_file_gives_plain_message_and_keeps_previous_site(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    output = tmp_path / "output"
    assert build_site(output, content) == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}

    broken = content / "aktiviteter" / "studentdans.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("Districts: nordost", "Districts: nordöst")
                      .replace("End: 19:30", "End: 17:00"), encoding="utf-8")
    (content / "aktiviteter" / "stolgympa.md").write_text(
        (content / "aktiviteter" / "stolgympa.md").read_text(encoding="utf-8").replace("Except: 2027-03-30", "Except: 2027-03-31"),
        encoding="utf-8")
    capsys.readouterr()
    assert build_site(output, content) != 0
    err = capsys.readouterr().err
    lines = err.strip().splitlines()

    def at(name, field):
        number = next(i for i, line in enumerate((content / "aktiviteter" / name).read_text(encoding="utf-8").splitlines(), 1)
                      if line.startswith(field + ":"))
        return f"error: {content.name}/aktiviteter/{name}:{number}: {field}: "  # as make check prints it

    assert at("stolgympa.md", "Except") + "2027-03-31 is a Wednesday, not a Tuesday like the series (a Tuesday)" in lines
    assert any(line.startswith(at("studentdans.md", "End") + "ends (17:00) before") for line in lines)
    assert at("studentdans.md", "Districts") + "'nordöst' is not a known value (one of: centrum, nordost; did you mean nordost?)" in lines
    assert "Traceback" not in err
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert [name for name in os.listdir(tmp_path) if name.startswith("output.")] == []  # no half-built folder left


def test_non_utf8_file_is_named(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    (content / "aktiviteter" / "latin1.md").write_bytes("Title: Sömn\n".encode("latin-1"))
    assert build_site(tmp_path / "output", content) != 0
    err = capsys.readouterr().err
    assert "aktiviteter/latin1.md:1: file: is not UTF-8 text" in err
    assert not (tmp_path / "output").exists()
    shutil.rmtree(content)


def test_a_slug_cannot_write_outside_the_site(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    activity = content / "aktiviteter" / "studentdans.md"
    activity.write_text(activity.read_text(encoding="utf-8").replace("Slug: studentdans", "Slug: ../../utanfor"),
                        encoding="utf-8")
    assert build_site(tmp_path / "output", content) != 0
    assert "aktiviteter/studentdans.md:2: Slug: '../../utanfor' is not a valid Slug" in capsys.readouterr().err
    assert not (tmp_path / "utanfor").exists() and not (tmp_path / "output").exists()
