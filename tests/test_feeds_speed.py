"""The fast feed writer (each event serialised once, shared by its feeds) gives the same bytes as building
each VCALENDAR on its own with icalendar."""

from __future__ import annotations

import pytest
from calendar_support import Model
from conftest import FIXTURE_CONTENT, REPO, TODAY

from halsolots import i18n
from halsolots.feeds import Calendars, to_bytes


@pytest.fixture(scope="module")
def calendars():
    model = Model(FIXTURE_CONTENT, TODAY)
    i18n.load_catalogues(str(REPO / "theme" / "translations"), model.site.languages)
    return Calendars(model.site, {"activities": model.all})


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
