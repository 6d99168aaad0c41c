"""Every calendar feed of each site of the repository (conftest.SITES) and of the fixture site, read by
independent real parsers and checked against RFC 5545 and against the site's own programme (the activity model):
Python icalendar, vobject, recurring_ical_events, Mozilla ical.js (Thunderbird's parser, run with Node) and
libical (GNOME Evolution's, run with Debian's Python)."""

from __future__ import annotations

import re
from datetime import datetime

import icalendar
import pytest
import recurring_ical_events
import vobject

from calendar_support import Model, icaljs, rfc5545_problems, uid_slug, unfold
from conftest import FIXTURE_CONTENT, REPO, SITES, TODAY, built_site, site_model
from halsolots.content.activity import TIMEZONE


@pytest.fixture(scope="module", params=[*SITES, "fixture"])
def built(request):
    """(output folder, model of its content, {relative .ics path: bytes}) of each site and the fixture site."""
    if request.param == "fixture":
        output, model = request.getfixturevalue("fixture_site"), Model(FIXTURE_CONTENT, TODAY)
    else:
        output, model = built_site(request, request.param), site_model(request.param)
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
        for event in getattr(calendar, "vevent_list", []):  # a pair's feed may be empty for a while
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


def _interface_fragments() -> list[tuple[str, str]]:
    """(English, Swedish) wording of every interface string the feeds write (generators/feeds.py), cut at its
    placeholders: the pieces long enough to say which language they are in."""
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    with open(REPO / "theme" / "translations" / "sv" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        swedish = {m.id: m.string for m in read_po(handle) if isinstance(m.id, str) and m.id}
    pairs = []
    for _line, message, _comments, _context in extract_from_file(
            "python", str(REPO / "plugins" / "halsolots" / "generators" / "feeds.py"), keywords={"_": None}):
        english, translated = message, swedish[message]
        pieces = lambda text: {p.strip(" .:–") for p in re.split(r"%\(\w+\)s|\{\w+\}", text)}
        for piece in pieces(english) - pieces(translated):
            if len(piece) >= 6:
                pairs.append((piece, ""))
        for piece in pieces(translated) - pieces(english):
            if len(piece) >= 6:
                pairs.append(("", piece))
    return pairs


def _feed_text(data: bytes) -> str:
    text = "\n".join(unfold(data))
    return text.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_no_swedish_feed_has_english_interface_text_and_no_english_feed_swedish(built):
    _output, model, files = built
    fragments = _interface_fragments()
    assert any(english == "More information" for english, _ in fragments)
    assert any(swedish == "Mer information" for _, swedish in fragments)
    for path, data in files.items():
        lang = "en" if path.startswith("en/") else "sv"
        text = _feed_text(data)
        for activity in model.all:  # an untranslated activity's own words are content, not interface
            words = activity.text(lang)
            if words.lang != lang:
                for value in (words.title, words.summary, words.how_to_register, words.cancellation_note):
                    text = text.replace(value, "") if value else text
        for english, swedish in fragments:
            wrong = english if lang == "sv" else swedish
            assert not wrong or wrong not in text, (path, wrong)


def test_text_values_are_escaped_as_rfc5545_says(calendars, model):
    """Commas, semicolons, backslashes and newlines in TEXT values (X-WR-CALNAME and X-WR-CALDESC too) are
    escaped, and every parser reads them back unchanged."""
    from halsolots.content.vocabulary import Term, Text
    from halsolots.generators.feeds import Feed, to_bytes
    from halsolots.site import i18n

    label = "Walks; talks, and \\ more"
    term = Term("x", Text((("sv", label), ("en", label)), "sv"), Text((), "sv"))
    with i18n.language("en"):
        data = to_bytes(calendars.calendar(Feed("calendar_category", "categories", term), "en", activities=()))
    lines = unfold(data)
    for name in ("X-WR-CALNAME", "NAME", "X-WR-CALDESC", "DESCRIPTION"):
        (line,) = [line for line in lines if line.startswith(name + ":")]
        assert "Walks\\; talks\\, and \\\\ more" in line, line
    parsed = next(vobject.readComponents(data.decode("utf-8")))
    assert label in parsed.x_wr_calname.value and label in parsed.x_wr_caldesc.value
    assert label in str(icalendar.Calendar.from_ical(data)["DESCRIPTION"])  # icalendar keeps X- and NAME raw


LIBICAL_PYTHON = "/usr/bin/python3"  # Debian's, with python3-gi and gir1.2-ical-3.0 (make test installs them)


def libical(paths: list) -> dict[str, dict]:
    """What libical makes of each file (tests/libical_parse.py, run by Debian's Python)."""
    import json
    import subprocess

    probe = subprocess.run([LIBICAL_PYTHON, "-c", "import gi; gi.require_version('ICalGLib', '3.0')"],
                           capture_output=True, text=True)
    assert probe.returncode == 0, ("libical is not installed: `make test` installs gir1.2-ical-3.0 and python3-gi "
                                   f"(make browser-deps): {probe.stderr[-300:]}")
    result = subprocess.run([LIBICAL_PYTHON, str(REPO / "tests" / "libical_parse.py"), *map(str, paths)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


@pytest.mark.checkers  # libical from Debian's packages
def test_libical_reads_every_feed_strictly_to_the_same_utc_occurrences_as_recurring_ical_events(built):
    """libical's own expansion, per UID in UTC, equals recurring_ical_events' and the site's; its strict check
    (what METHOD:PUBLISH requires, e.g. an ORGANIZER) finds nothing."""
    output, model, files = built
    parsed = libical([output / path for path in files])
    for path, data in files.items():
        result = parsed[str(output / path)]
        assert "error" not in result, (path, result)
        assert result["errors"] == [] and result["strict"] and result["strict_errors"] == [], (path, result)
        assert bool(result["name"]) == ("kalender/" in path), path
        found: dict[str, list] = {}
        for occ in result["occurrences"]:
            assert occ["tzid"] == "Europe/Stockholm"
            found.setdefault(uid_slug(occ["uid"]), []).append((occ["start"], occ["end"], occ["status"] == "CANCELLED"))
        others: dict[str, list] = {}
        for event in recurring_ical_events.of(icalendar.Calendar.from_ical(data)).all():
            others.setdefault(uid_slug(str(event["UID"])), []).append(
                (int(event.start.timestamp()), int(event.end.timestamp()), event.get("STATUS") == "CANCELLED"))
        expected = {slug: [(int(s.timestamp()), int(e.timestamp()), c) for s, e, c in model.occurrences(slug)]
                    for slug in model.feed_contents()[path]}
        found = {slug: sorted(v) for slug, v in found.items()}
        assert found == {slug: sorted(v) for slug, v in others.items()} == expected, path


@pytest.mark.checkers
def test_libical_finds_what_a_feed_without_organizer_lacks(tmp_path):
    """The strict check is real: the same event without its ORGANIZER fails it."""
    event = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\n"
             "UID:a@example.org\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261203T170000Z\r\n"
             "DTEND:20261203T180000Z\r\nSUMMARY:A\r\n{organizer}END:VEVENT\r\nEND:VCALENDAR\r\n")
    good, bad = tmp_path / "good.ics", tmp_path / "bad.ics"
    good.write_text(event.format(organizer="ORGANIZER;CN=A:mailto:a@example.org\r\n"), newline="")
    bad.write_text(event.format(organizer=""), newline="")
    parsed = libical([good, bad])
    assert parsed[str(good)]["strict"] and not parsed[str(bad)]["strict"]
