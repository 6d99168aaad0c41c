"""Shortcuts that keep the build fast give the same output as the straightforward way: the feed writer
(each event serialised once, shared by its feeds) and the programme's listings (built once per build)."""

from __future__ import annotations

import pytest

from halsolots.site import i18n
from halsolots.generators.feeds import to_bytes
from halsolots.content.programme import Listing, Programme


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_feed_files_are_byte_identical_to_whole_calendars(calendars, lang):
    with i18n.language(lang):
        files = dict(calendars.feed_files(lang))
        expected = {calendars.url(feed, lang): to_bytes(calendars.calendar(feed, lang)) for feed in calendars.feeds}
        expected.update({calendars.activity_url(a, lang): to_bytes(calendars.activity_calendar(a, lang))
                         for a in calendars.activities})
    assert files.keys() == expected.keys()
    for url, data in expected.items():
        assert files[url] == data, url
    # The fixture has feeds with several events and a series with a cancelled-date override.
    assert max(data.count(b"BEGIN:VEVENT") for data in files.values()) > 2
    assert any(b"RECURRENCE-ID" in data for data in files.values())


def _shape(listing):
    return ([a.slug for a in listing.activities],
            [(day, [(occ.activity.slug, occ.start) for occ in occs]) for day, occs in listing.days])


def test_listings_are_built_once_and_equal_fresh_ones(model):
    site = model.site
    programme = Programme(model.all, site.today, 4, site.vocabularies.target_groups)
    for district in site.vocabularies.districts:
        listing = programme.listing("districts", district.id)
        assert programme.listing("districts", district.id) is listing
        fresh = Listing([a for a in model.all if district.id in a.term_ids["districts"]], site.today, 4)
        assert _shape(listing) == _shape(fresh)
        for group in programme.groups_in("districts", district.id):
            narrowed = listing.narrowed("target_groups", group.id)
            assert listing.narrowed("target_groups", group.id) is narrowed
            expected = Listing([a for a in fresh.activities if group.id in a.term_ids["target_groups"]], site.today, 4)
            assert _shape(narrowed) == _shape(expected) and narrowed.activities


def test_a_shared_fragment_is_rendered_once_per_language_and_build(tmp_path):
    from datetime import date

    from halsolots.build import fragments
    from halsolots.build.outputcache import OutputCache

    calls = []

    def macro(value):
        calls.append((i18n.active_language(), value))
        return f"<p>{value}</p>"

    macro.name = "x"  # as a Jinja macro has

    def new_build():
        return fragments.Fragments(OutputCache({}, date(2026, 12, 1), [], previous_output="", output=str(tmp_path),
                                               cache_root=str(tmp_path), enabled=False, in_place=False))

    fragment = new_build()
    for lang in ("sv", "en", "sv"):
        with i18n.language(lang):
            assert fragment(macro, "a") == "<p>a</p>"
    assert calls == [("sv", "a"), ("en", "a")]
    fragment = new_build()  # a new build (or devserver rebuild) renders again
    with i18n.language("sv"):
        fragment(macro, "a")
    assert len(calls) == 3


def test_summaries_on_listings_match_each_activity(fixture_site):
    """A cached summary is the right one on every page: its link goes to its own activity."""
    from conftest import html

    checked = 0
    for page in [*fixture_site.glob("omrade/*/index.html"), *fixture_site.glob("en/group/*/index.html")]:
        for article in html(page).select("article.activity-summary"):
            link = article.select_one(".activity-summary__title a")
            target = fixture_site / link["href"].lstrip("/") / "index.html"
            assert html(target).h1.get_text(strip=True) == link.get_text(strip=True), (page, link["href"])
            checked += 1
    assert checked > 5
