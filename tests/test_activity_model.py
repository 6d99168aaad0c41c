"""Unit tests of the activity model: parsing, validation messages and series expansion."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from halsolots.content.activity import TIMEZONE, ActivityParser, check_translation_header
from halsolots.content.problems import ProblemCollector
from halsolots.content.source import parse_header
from halsolots.content.vocabulary import Vocabularies

FIXTURE_DATA = Path(__file__).parent / "fixtures" / "site" / "data"

BASE = """\
Title: Stolgympa
Start: 2027-03-02 10:00
End: 11:00
Venue: biblioteket
Districts: centrum
Groups: seniorer
Category: rorelse
Organiser: Hälsolots Centrum
Registration: drop-in
Languages: sv
"""


@pytest.fixture(scope="module")
def vocabularies():
    vocab = Vocabularies(str(FIXTURE_DATA), "sv")
    assert vocab.problems == []
    return vocab


def parse(vocabularies, text, path="x.md"):
    header = parse_header(text)
    collector = ProblemCollector(path, header)
    activity = ActivityParser(vocabularies, ["sv", "en"]).parse("x", path, header, collector)
    return activity, [p.format() for p in collector.problems]


def test_single_occasion_parses_to_local_times(vocabularies):
    activity, problems = parse(vocabularies, BASE)
    assert problems == []
    (occ,) = activity.occurrences
    assert occ.start == datetime(2027, 3, 2, 10, 0, tzinfo=TIMEZONE)
    assert occ.end == datetime(2027, 3, 2, 11, 0, tzinfo=TIMEZONE)
    assert activity.venue.id == "biblioteket" and not activity.online
    assert [t.id for t in activity.districts] == ["centrum"]
    assert activity.category.id == "rorelse"
    assert activity.drop_in and not activity.cancelled


def test_weekly_series_keeps_local_time_across_daylight_saving(vocabularies):
    text = BASE + "Repeat: weekly\nUntil: 2027-04-13\nExcept: 2027-03-30\nCancelled-dates: 2027-03-16\n"
    activity, problems = parse(vocabularies, text)
    assert problems == []
    starts = [occ.start for occ in activity.occurrences]
    assert [s.date() for s in starts] == [
        date(2027, 3, 2), date(2027, 3, 9), date(2027, 3, 16), date(2027, 3, 23), date(2027, 4, 6), date(2027, 4, 13)]
    # Summer time starts 2027-03-28: the wall clock stays 10:00, the UTC offset moves from +1 to +2.
    assert {(s.hour, s.minute) for s in starts} == {(10, 0)}
    assert starts[3].utcoffset().total_seconds() == 3600
    assert starts[4].utcoffset().total_seconds() == 7200
    cancelled = [occ.day for occ in activity.occurrences if occ.cancelled]
    assert cancelled == [date(2027, 3, 16)]


def test_upcoming_drops_past_occurrences(vocabularies):
    activity, _ = parse(vocabularies, BASE + "Repeat: weekly\nUntil: 2027-03-23\n")
    assert [o.day for o in activity.upcoming(date(2027, 3, 10))] == [date(2027, 3, 16), date(2027, 3, 23)]
    assert activity.next_occurrence(date(2027, 3, 10)).day == date(2027, 3, 16)
    assert activity.is_past(date(2027, 3, 24)) and not activity.is_past(date(2027, 3, 23))


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("End: 09:00", "x.md:3: End: ends (09:00) before or when it starts (2027-03-02 10:00) (an end after the start)"),
        ("Start: 2027-02-30 10:00", "x.md:2: Start: '2027-02-30 10:00': 30 February 2027 does not exist"),
        ("Districts: centrum, Hisingen", "x.md:5: Districts: 'Hisingen' is not a known value (one of: centrum, nordost)"),
        ("Groups: senior", "x.md:6: Groups: 'senior' is not a known value (one of: seniorer, studenter, alla; did you mean seniorer?)"),
        ("Venue: bibliotek", "x.md:4: Venue: 'bibliotek' is not a known venue"),
        ("Registration: maybe", "x.md:9: Registration: 'maybe' is not allowed (drop-in or required)"),
        ("Languages: svenska", "x.md:10: Languages: 'svenska' is not a language code"),
    ],
)
def test_validation_names_file_line_field_and_expectation(vocabularies, change, expected):
    key = change.split(":")[0]
    text = "\n".join(change if line.startswith(key + ":") else line for line in BASE.splitlines()) + "\n"
    _, problems = parse(vocabularies, text)
    assert any(p.startswith(expected) for p in problems), problems


def test_missing_required_fields_are_all_reported(vocabularies):
    _, problems = parse(vocabularies, "Title: Något\n")
    fields = {p.split(": ")[1] for p in problems}
    assert {"Start", "End", "Venue", "Districts", "Groups", "Category", "Organiser", "Registration", "Languages"} <= fields


def test_series_rules(vocabularies):
    _, problems = parse(vocabularies, BASE + "Repeat: weekly\n")
    assert any("Repeat: is weekly, but the series has no last date" in p for p in problems)
    _, problems = parse(vocabularies, BASE + "Repeat: weekly\nUntil: 2027-04-13\nExcept: 2027-03-31\n")
    assert any("Except: 2027-03-31 is a Wednesday, not a Tuesday like the series" in p for p in problems)
    _, problems = parse(vocabularies, BASE + "Repeat: weekly\nUntil: 2027-01-05\n")
    assert any("Until: 2027-01-05 is before the first occasion" in p for p in problems)
    _, problems = parse(vocabularies, BASE + "Repeat: monthly\nUntil: 2027-04-13\n")
    assert any("Repeat: 'monthly' is not a repeat rule (weekly)" in p for p in problems)
    _, problems = parse(vocabularies, BASE + "Except: 2027-03-09\n")
    assert any("Except: only applies to a weekly series" in p for p in problems)


def test_registration_and_cancellation_need_their_text(vocabularies):
    text = BASE.replace("Registration: drop-in", "Registration: required") + "Status: cancelled\n"
    _, problems = parse(vocabularies, text)
    assert any("How-to-register: is missing" in p for p in problems)
    assert any("Cancellation-note: is missing" in p for p in problems)


def test_online_activity_has_no_venue(vocabularies):
    activity, problems = parse(vocabularies, BASE.replace("Venue: biblioteket", "Venue: online"))
    assert problems == [] and activity.online


def test_translation_may_not_carry_facts():
    header = parse_header("Title: Chair exercise\nSlug: stolgympa\nLang: en\nStart: 2027-03-02 10:00\n")
    collector = ProblemCollector("x.en.md", header)
    check_translation_header(header, collector)
    assert [p.format() for p in collector.problems] == [
        "x.en.md:4: Start: belongs in the original file only; a translation holds only text "
        "(Title, Slug, Lang, Summary, How-to-register, Cancellation-note, Organiser-description and the text)"]


def test_unknown_venue_district_in_vocabulary_is_reported(tmp_path):
    for name in ("districts.yaml", "target-groups.yaml", "categories.yaml", "accessibility-features.yaml"):
        (tmp_path / name).write_text((FIXTURE_DATA / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "venues.yaml").write_text("- id: a\n  name: A\n  district: centrum\n- id: b\n  name: B\n  district: väster\n",
                                          encoding="utf-8")
    problems = [p.format() for p in Vocabularies(str(tmp_path), "sv").problems]
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path}/venues.yaml:4: district: venue 'b' has unknown district")


def test_a_list_of_only_commas_is_a_missing_field(vocabularies):
    activity, problems = parse(vocabularies, BASE.replace("Category: rorelse", "Category: , "))
    assert activity is None
    assert any(p.startswith("x.md:7: Category: is missing") for p in problems), problems
