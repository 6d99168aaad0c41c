"""Times that do not exist or happen twice: on the night the clocks go forward, 02:00–03:00 does not exist in
Europe/Stockholm and is refused with a plain message; on the night they go back, 02:00–03:00 happens twice and
the first is meant (RFC 5545), the same on the page, in the JSON and in the feeds. No occurrence ever ends before
it starts, for the model and for the feeds, whatever the series (a Hypothesis test across DST nights)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone

import icalendar
import pytest
import recurring_ical_events
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURE_CONTENT, REPO, build_site, copy_content, html, replace_text
from halsolots.content.activity import ActivityParser, ActivityText
from halsolots.content.problems import ProblemCollector
from halsolots.content.source import parse_header
from halsolots.content.vocabulary import Vocabularies
from halsolots.generators.feeds import Calendars, to_bytes
from halsolots.site import i18n

FIXTURE_DATA = FIXTURE_CONTENT / "data"
HEADER = """\
Title: Nattpromenad
Start: {start}
End: {end}
{repeat}Venue: biblioteket
Districts: centrum
Groups: seniorer
Category: rorelse
Organiser: Hälsolots Centrum
Registration: drop-in
Languages: sv
"""


@pytest.fixture(scope="module")
def vocabularies():
    return Vocabularies(str(FIXTURE_DATA), "sv")


def parse(vocabularies, start: str, end: str, until: str | None = None):
    repeat = f"Repeat: weekly\nUntil: {until}\n" if until else ""
    header = parse_header(HEADER.format(start=start, end=end, repeat=repeat))
    problems = ProblemCollector("nattpromenad.md", header)
    activity = ActivityParser(vocabularies, ["sv", "en"]).parse("nattpromenad", "nattpromenad.md", header, problems)
    return activity, [p.format() for p in problems.problems]


def test_a_start_in_the_skipped_hour_is_refused_with_a_plain_message(vocabularies):
    activity, problems = parse(vocabularies, "2027-03-28 02:30", "03:30")
    assert activity is None
    assert problems == ["nattpromenad.md:2: Start: 2027-03-28 02:30 does not exist: the clocks go forward at 02:00 "
                        "that night, to 03:00 (a time before 02:00 or from 03:00)"]
    _activity, problems = parse(vocabularies, "2027-03-28 01:30", "02:15")
    assert problems == ["nattpromenad.md:3: End: 02:15 does not exist: the clocks go forward at 02:00 that night, "
                        "to 03:00 (a time before 02:00 or from 03:00)"]


def test_a_series_meeting_in_the_skipped_hour_is_refused_and_the_way_out_named(vocabularies):
    activity, problems = parse(vocabularies, "2027-03-14 02:15", "02:45", until="2027-04-04")
    assert activity is None
    assert problems == ["nattpromenad.md:2: Start: the series meets on 2027-03-28 at 02:15, which does not exist: "
                        "the clocks go forward at 02:00 that night, to 03:00 (another time, or 2027-03-28 "
                        "in Except)"]


def test_the_message_is_in_swedish_too(vocabularies):
    header = parse_header(HEADER.format(start="2027-03-28 02:30", end="03:30", repeat=""))
    problems = ProblemCollector("nattpromenad.md", header)
    ActivityParser(vocabularies, ["sv", "en"]).parse("nattpromenad", "nattpromenad.md", header, problems)
    (problem,) = problems.problems
    assert "finns inte: klockan ställs fram klockan 02:00 den natten, till 03:00" in problem.format(lang="sv")


def test_the_hour_that_happens_twice_means_the_first(vocabularies):
    activity, problems = parse(vocabularies, "2027-10-31 02:30", "03:30")
    assert problems == []
    (occ,) = activity.occurrences
    assert occ.start.fold == 0 and occ.start.utcoffset() == timedelta(hours=2)  # summer time: the first 02:30
    assert occ.start.astimezone(timezone.utc) == datetime(2027, 10, 31, 0, 30, tzinfo=timezone.utc)
    assert occ.end.astimezone(timezone.utc) == datetime(2027, 10, 31, 2, 30, tzinfo=timezone.utc)


def test_page_json_and_feed_agree_on_the_hour_that_happens_twice(tmp_path):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    replace_text(content / "aktiviteter" / "studentdans.md", "Start: 2026-12-03 18:00\nEnd: 19:30",
                 "Start: 2027-10-31 02:30\nEnd: 03:30")
    output = tmp_path / "output"
    assert build_site(output, content) == 0
    first = "2027-10-31T02:30:00+02:00"
    page = html(output / "aktivitet" / "studentdans" / "index.html")
    assert page.find("time", datetime=first) or first in str(page.find("script", type="application/ld+json"))
    record = next(r for r in json.loads((output / "api" / "activities.json").read_text())["activities"]
                  if r["id"] == "studentdans")
    assert record["occurrences"][0]["start"] == first
    calendar = icalendar.Calendar.from_ical((output / "aktivitet/studentdans/studentdans.ics").read_bytes())
    (event,) = recurring_ical_events.of(calendar).all()
    assert event.start.astimezone(timezone.utc) == datetime(2027, 10, 31, 0, 30, tzinfo=timezone.utc)
    assert event.end.astimezone(timezone.utc) == datetime(2027, 10, 31, 2, 30, tzinfo=timezone.utc)


# The last Sundays of March and October, when the clocks change in Europe/Stockholm.
DST_NIGHTS = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31), date(2028, 3, 26),
              date(2028, 10, 29)]


@settings(max_examples=80, deadline=None)
@given(night=st.sampled_from(DST_NIGHTS), weeks_before=st.integers(0, 3), weeks_after=st.integers(0, 3),
       hour=st.sampled_from([0, 1, 2, 3, 4, 23]), minute=st.sampled_from([0, 15, 30, 45, 59]),
       minutes=st.integers(1, 240))
def test_no_occurrence_ever_ends_before_it_starts_in_the_model_or_the_feeds(vocabularies, night, weeks_before,
                                                                           weeks_after, hour, minute, minutes):
    first = datetime.combine(night - timedelta(weeks=weeks_before), time(hour, minute))
    end = first + timedelta(minutes=minutes)
    if end.date() != first.date():
        return  # a weekly occasion ends on the day it starts (the model says so itself)
    until = night + timedelta(weeks=weeks_after)
    activity, problems = parse(vocabularies, first.strftime("%Y-%m-%d %H:%M"), end.strftime("%H:%M"),
                               until=until.isoformat())
    if activity is None:  # refused: only because an occasion falls in the skipped hour, and it says so
        assert problems and all("the clocks go forward" in p for p in problems), problems
        assert hour == 2 or end.hour == 2
        return
    assert problems == []
    for occ in activity.occurrences:
        assert occ.end.astimezone(timezone.utc) > occ.start.astimezone(timezone.utc), occ
        assert occ.start.fold == 0 and occ.end.fold == 0  # the first of an hour that happens twice
    # The feed, read back and expanded: the same moments, each ending after it starts.
    activity.texts["sv"] = ActivityText(lang="sv", title="Nattpromenad", summary="", body="")
    calendars = _calendars()
    with i18n.language("sv"):
        data = to_bytes(calendars.activity_calendar(activity, "sv"))
    expanded = recurring_ical_events.of(icalendar.Calendar.from_ical(data)).all()
    utc = lambda moment: moment.astimezone(timezone.utc)
    assert sorted((utc(e.start), utc(e.end)) for e in expanded) == [
        (utc(o.start), utc(o.end)) for o in activity.occurrences]
    assert all(utc(e.end) > utc(e.start) for e in expanded)


_CALENDARS: list = []


def _calendars() -> Calendars:
    if not _CALENDARS:
        from calendar_support import Model

        model = Model(FIXTURE_CONTENT, "2026-01-01")
        i18n.load_catalogues(str(REPO / "theme" / "translations"), model.site.languages)
        _CALENDARS.append(Calendars(model.site, {"activities": []}))
    return _CALENDARS[0]
