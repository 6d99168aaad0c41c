"""The site's TIMEZONE setting: activities' times are wall-clock times there, in the model, the pages and the
.ics feeds (Europe/Stockholm in pelicanconf.py; here also Europe/Helsinki, one hour ahead)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from calendar_support import Model, rfc5545_problems, unfold
from conftest import FIXTURE_CONTENT, TODAY, build_site, copy_content
from halsolots.content.settings import ContentSettings
from halsolots.generators.feeds import vtimezone

HELSINKI = ZoneInfo("Europe/Helsinki")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_the_model_reads_times_in_the_sites_timezone():
    # The same content folder read twice in one process: the parsed models kept between builds must not
    # outlive a change of TIMEZONE.
    stockholm = Model(FIXTURE_CONTENT, TODAY)
    helsinki = Model(FIXTURE_CONTENT, TODAY, TIMEZONE="Europe/Helsinki")
    assert (stockholm.site.timezone, helsinki.site.timezone) == (STOCKHOLM, HELSINKI)
    occurrences = helsinki.occurrences("stolgympa")
    assert [start.strftime("%Y-%m-%d %H:%M") for start, _end, _cancelled in occurrences] == [
        "2027-03-02 10:00", "2027-03-09 10:00", "2027-03-16 10:00", "2027-03-23 10:00", "2027-04-06 10:00",
        "2027-04-13 10:00"]
    assert all(start.tzinfo is HELSINKI and end.tzinfo is HELSINKI for start, end, _c in occurrences)
    # Helsinki's summer time starts on 2027-03-28 like Stockholm's: 10:00 stays 10:00, the offset moves.
    assert [start.utcoffset() for start, _e, _c in occurrences] == [timedelta(hours=2)] * 4 + [timedelta(hours=3)] * 2
    # The same wall-clock time an hour further east is an hour earlier.
    for (east, _e1, _c1), (west, _e2, _c2) in zip(occurrences, stockholm.occurrences("stolgympa")):
        assert west - east == timedelta(hours=1)
    assert [end - start for start, end, _c in occurrences] == [timedelta(hours=1)] * 6


@pytest.fixture(scope="module")
def helsinki_site(tmp_path_factory):
    """A copy of the fixture site built with TIMEZONE = "Europe/Helsinki"."""
    root = tmp_path_factory.mktemp("helsinki")
    content = copy_content(FIXTURE_CONTENT, root / "content")
    output = root / "output"
    assert build_site(output, content, TIMEZONE="Europe/Helsinki") == 0
    return output, Model(content, TODAY, TIMEZONE="Europe/Helsinki")


def test_the_ics_files_are_in_the_sites_timezone(helsinki_site):
    output, model = helsinki_site
    lines = unfold((output / "aktivitet" / "stolgympa" / "stolgympa.ics").read_bytes())
    assert "DTSTART;TZID=Europe/Helsinki:20270302T100000" in lines
    assert "DTEND;TZID=Europe/Helsinki:20270302T110000" in lines
    # UNTIL is UTC: the end of the last day in Helsinki (summer time, UTC+3).
    assert "RRULE:FREQ=WEEKLY;UNTIL=20270413T205959Z" in lines
    assert "EXDATE;TZID=Europe/Helsinki:20270330T100000" in lines
    assert "RECURRENCE-ID;TZID=Europe/Helsinki:20270316T100000" in lines
    vtimezone_lines = lines[lines.index("BEGIN:VTIMEZONE"):lines.index("END:VTIMEZONE") + 1]
    assert vtimezone_lines == [
        "BEGIN:VTIMEZONE", "TZID:Europe/Helsinki", "X-LIC-LOCATION:Europe/Helsinki",
        "BEGIN:DAYLIGHT", "DTSTART:19960331T030000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", "TZNAME:EEST",
        "TZOFFSETFROM:+0200", "TZOFFSETTO:+0300", "END:DAYLIGHT",
        "BEGIN:STANDARD", "DTSTART:19961027T040000", "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", "TZNAME:EET",
        "TZOFFSETFROM:+0300", "TZOFFSETTO:+0200", "END:STANDARD", "END:VTIMEZONE"]
    assert "X-WR-TIMEZONE:Europe/Helsinki" in unfold((output / "kalender" / "alla.ics").read_bytes())
    feeds = {path: path.read_bytes() for path in sorted(output.rglob("*.ics"))}
    assert {str(path): found for path, data in feeds.items() if (found := rfc5545_problems(data))} == {}
    assert not [path for path, data in feeds.items() if b"Stockholm" in data]
    # Expanded by an independent reader, every feed gives the site's own (Helsinki) occurrences.
    calendar = icalendar.Calendar.from_ical(feeds[output / "kalender" / "alla.ics"])
    found = sorted((e.start, e.end) for e in recurring_ical_events.of(calendar).all()
                   if str(e["UID"]).startswith("stolgympa@"))
    assert found == sorted((start, end) for start, end, _c in model.occurrences("stolgympa"))


def test_the_pages_show_times_in_the_sites_timezone(helsinki_site):
    output, _model = helsinki_site
    page = (output / "aktivitet" / "stolgympa" / "index.html").read_text(encoding="utf-8")
    assert 'datetime="2027-03-02T10:00:00+02:00"' in page
    assert 'datetime="2027-04-06T10:00:00+03:00"' in page
    assert "+01:00" not in page


def test_the_stockholm_vtimezone_is_unchanged():
    assert vtimezone(2026, 2028).to_ical() == vtimezone(2026, 2028, STOCKHOLM).to_ical() == (
        b"BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm\r\nX-LIC-LOCATION:Europe/Stockholm\r\nBEGIN:DAYLIGHT\r\n"
        b"DTSTART:19960331T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nTZNAME:CEST\r\nTZOFFSETFROM:+0100\r\n"
        b"TZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nDTSTART:19961027T030000\r\n"
        b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nTZNAME:CET\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"
        b"END:STANDARD\r\nEND:VTIMEZONE\r\n")


@pytest.mark.parametrize("name", ["Europe/Helsinki", "Europe/London", "Europe/Lisbon", "Atlantic/Azores"])
def test_the_vtimezone_of_a_zone_on_the_eu_rule_matches_tzdata(name):
    zone = ZoneInfo(name)
    calendar = icalendar.Calendar.from_ical(
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + vtimezone(2026, 2028, zone).to_ical() + b"END:VCALENDAR\r\n")
    tz = calendar.timezones[0].to_tz()
    for year in (2026, 2027, 2028):
        for month, day in ((3, 29 if year == 2026 else 28 if year == 2027 else 26),
                           (10, 25 if year == 2026 else 31 if year == 2027 else 29)):
            change = datetime(year, month, day, 1, tzinfo=ZoneInfo("UTC"))
            for moment in (change - timedelta(minutes=1), change, change + timedelta(hours=1)):
                local = moment.astimezone(zone).replace(tzinfo=None)
                assert local.replace(tzinfo=tz).utcoffset() == moment.astimezone(zone).utcoffset(), (name, moment)
        summer = datetime(year, 7, 1, 12)
        assert summer.replace(tzinfo=tz).utcoffset() == summer.replace(tzinfo=zone).utcoffset()


@pytest.mark.parametrize("name", ["America/New_York", "Asia/Tokyo", "Australia/Sydney", "UTC"])
def test_a_zone_off_the_eu_rule_is_refused_with_a_clear_message(name):
    with pytest.raises(ValueError, match=f"TIMEZONE {name} does not follow the EU summer-time rule"):
        vtimezone(2026, 2027, ZoneInfo(name))


def test_a_build_in_a_zone_the_feeds_cannot_describe_fails_and_says_why(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    capsys.readouterr()
    assert build_site(tmp_path / "output", content, TIMEZONE="America/New_York") != 0
    err = capsys.readouterr().err
    assert "TIMEZONE America/New_York does not follow the EU summer-time rule" in err
    assert not (tmp_path / "output").exists()


def _settings(**values) -> dict:
    return {"PATH": str(FIXTURE_CONTENT), "DEFAULT_LANG": "sv", **values}


def test_content_settings_read_the_timezone():
    assert ContentSettings(_settings(TIMEZONE="Europe/Helsinki")).timezone is HELSINKI
    assert ContentSettings(_settings()).timezone is STOCKHOLM  # no TIMEZONE: the plugin's default
    with pytest.raises(ValueError, match="TIMEZONE 'Europe/Stokholm' is not a time zone"):
        ContentSettings(_settings(TIMEZONE="Europe/Stokholm"))


@pytest.mark.parametrize("name", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_today_is_the_date_in_the_sites_timezone(name):
    zone = ZoneInfo(name)  # UTC+14 and UTC-11: on most days of the year a different date
    before = datetime.now(zone).date()
    today = ContentSettings(_settings(TIMEZONE=name)).today
    assert today in (before, datetime.now(zone).date())
