"""Every calendar feed of the built demo and fixture sites, read by independent real parsers and checked against
RFC 5545 and against the site's own programme (the activity model): Python icalendar, vobject,
recurring_ical_events and Mozilla ical.js (Thunderbird's parser, run with Node)."""

from __future__ import annotations

from datetime import datetime

import icalendar
import pytest
import recurring_ical_events
import vobject

from calendar_support import Model, icaljs, rfc5545_problems, uid_slug
from conftest import FIXTURE_CONTENT, REPO, TODAY
from halsolots.content.activity import TIMEZONE


@pytest.fixture(scope="module", params=["demo", "fixture"])
def built(request):
    """(output folder, model of its content, {relative .ics path: bytes})."""
    if request.param == "demo":
        output, model = request.getfixturevalue("demo_site"), Model(REPO / "content", TODAY)
    else:
        output, model = request.getfixturevalue("fixture_site"), Model(FIXTURE_CONTENT, TODAY)
    files = {path.relative_to(output).as_posix(): path.read_bytes() for path in sorted(output.rglob("*.ics"))}
    return output, model, files


def local(moment: datetime) -> str:
    return moment.astimezone(TIMEZONE).strftime("%Y-%m-%dT%H:%M:%S")


def test_the_site_has_exactly_the_feeds_it_should(built):
    _output, model, files = built
    assert sorted(files) == sorted(model.feed_contents())
    assert len(files) >= 2 * (1 + len(model.published))


def test_every_feed_passes_strict_rfc5545_checks(built):
    _output, _model, files = built
    problems = {path: rfc5545_problems(data) for path, data in files.items()}
    assert {path: found for path, found in problems.items() if found} == {}


def test_python_icalendar_reads_every_feed(built):
    _output, model, files = built
    for path, data in files.items():
        calendar = icalendar.Calendar.from_ical(data)
        calendar.validate()
        assert calendar.get_missing_tzids() == set(), path
        uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
        assert {uid_slug(uid) for uid in uids} == model.feed_contents()[path], path
        for event in calendar.walk("VEVENT"):
            assert event.start.tzinfo is not None and event["DTSTART"].params["TZID"] == "Europe/Stockholm"
            assert event.end > event.start


def test_recurring_ical_events_expands_every_feed_to_the_sites_own_occurrences(built):
    _output, model, files = built
    for path, data in files.items():
        found: dict[str, list] = {}
        for event in recurring_ical_events.of(icalendar.Calendar.from_ical(data)).all():
            found.setdefault(uid_slug(str(event["UID"])), []).append(
                (local(event.start), local(event.end), event.get("STATUS") == "CANCELLED"))
        expected = {slug: [(local(s), local(e), c) for s, e, c in model.occurrences(slug)]
                    for slug in model.feed_contents()[path]}
        assert {slug: sorted(v) for slug, v in found.items()} == expected, path


def test_vobject_reads_every_feed_and_its_timezone_gives_the_right_offsets(built):
    _output, model, files = built
    for path, data in files.items():
        calendar = next(vobject.readComponents(data.decode("utf-8")))
        for event in calendar.vevent_list:
            if hasattr(event, "recurrence_id"):
                continue  # overrides: vobject's rruleset lists the date once, from the series
            slug = uid_slug(event.uid.value)
            rules = event.getrruleset(addRDate=True)
            starts = list(rules) if rules else [event.dtstart.value]
            expected = [start for start, _end, _cancelled in model.occurrences(slug)]
            # vobject converts with the feed's own VTIMEZONE: same instants and wall-clock times as the site.
            assert starts == expected, (path, slug)
            assert [s.utcoffset() for s in starts] == [e.utcoffset() for e in expected], (path, slug)
            assert [s.strftime("%H:%M") for s in starts] == [e.strftime("%H:%M") for e in expected]


@pytest.mark.checkers  # ical.js from node_modules
def test_mozilla_icaljs_reads_every_feed_to_the_sites_own_occurrences(built):
    output, model, files = built
    parsed = icaljs([output / path for path in files])
    for path in files:
        result = parsed[str(output / path)]
        assert result["version"] == "2.0"
        # Subscription feeds are named; a single activity's file is not (Outlook would open it as a calendar).
        assert bool(result["name"]) == ("kalender/" in path), path
        found: dict[str, list] = {}
        for occ in result["occurrences"]:
            assert occ["tzid"] == "Europe/Stockholm"
            found.setdefault(uid_slug(occ["uid"]), []).append(
                (occ["local"], occ["start"], occ["end"], occ["status"] == "CANCELLED"))
        expected = {slug: [(local(s), int(s.timestamp()), int(e.timestamp()), c) for s, e, c in model.occurrences(slug)]
                    for slug in model.feed_contents()[path]}
        assert {slug: sorted(v) for slug, v in found.items()} == expected, path


def test_feeds_are_small_enough_for_phones(built):
    """Calendar apps refresh feeds over mobile data; a feed of the whole site stays well below a megabyte."""
    _output, _model, files = built
    assert max(len(data) for data in files.values()) < 1_000_000
