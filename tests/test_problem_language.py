"""Problems in health pages and films speak one language: in Swedish the hints (what is expected) and the
WebVTT reasons are Swedish too, never English inside a Swedish message; in English they read as before."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO, TODAY, copy_content
from halsolots.commands.check import check
from halsolots.content.problems import ProblemCollector
from halsolots.content.webvtt import WebVTTError, check_webvtt

SETTINGS = str(REPO / "pelicanconf.py")


def run_check(content: Path, lang: str) -> list[str]:
    out = io.StringIO()
    assert check(SETTINGS, lang, {"TODAY": TODAY, "PATH": str(content)}, stream=out) == 2
    return out.getvalue().splitlines()


# A broken caption file per WebVTT reason: (language, file name, text, line, English reason, Swedish reason).
CAPTIONS = [
    ("sv", "signatur.vtt", "Hej\n", 1, "the file does not start with the line WEBVTT",
     "filen börjar inte med raden WEBVTT"),
    ("en", "tider-saknas.vtt", "WEBVTT\n\nid\nHej\n", 3,
     "a cue has no timing line such as 00:00:01.000 --> 00:00:04.000",
     "ett textblock saknar raden med tider, t.ex. 00:00:01.000 --> 00:00:04.000"),
    ("ar", "komma.vtt", "WEBVTT\n\n00:01,000 --> 00:02,000\nx\n", 3,
     "'00:01,000 --> 00:02,000' is not a valid cue timing (expected e.g. 00:00:01.000 --> 00:00:04.000)",
     "'00:01,000 --> 00:02,000' är inga giltiga tider för ett textblock (skriv t.ex. 00:00:01.000 --> 00:00:04.000)"),
    ("so", "baklanges.vtt", "WEBVTT\n\n00:03.000 --> 00:02.000\nx\n", 3,
     "the cue ends before or when it starts", "textblocket slutar före eller samtidigt som det börjar"),
    ("fi", "ordning.vtt", "WEBVTT\n\n00:03.000 --> 00:04.000\nx\n\n00:01.000 --> 00:02.000\ny\n", 6,
     "the cue starts before the previous cue", "textblocket börjar tidigare än textblocket ovanför"),
    ("de", "tom.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n", 3,
     "the cue has no text", "textblocket har ingen text"),
    ("fr", "tomrad.vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\nx\n00:02.000 --> 00:03.000\ny\n", 5,
     "cue text contains '-->' (a blank line is missing between cues?)",
     "texten innehåller '-->' (saknas en tom rad mellan två textblock?)"),
    ("es", "inga.vtt", "WEBVTT\n", 1, "the file has no cues", "filen har inga textblock"),
]

# (field, English hint, Swedish hint) of every field a health page or film must have.
HEALTH_MISSING = [
    ("Title", "the page's heading", "sidans rubrik"),
    ("Summary", "a short summary in plain language, shown at the top",
     "en kort sammanfattning med enkla ord, som visas överst på sidan"),
    ("Themes", "one or more of: somn, stress, tobak", "ett eller flera av: somn, stress, tobak"),
    ("Reviewed", "the date the text was last checked, YYYY-MM-DD", "datumet då texten senast granskades, ÅÅÅÅ-MM-DD"),
]
FILM_MISSING = [
    ("Title", "the film's title", "filmens titel"),
    ("Speakers", "who speaks, e.g. Anna Berg, Hälsolots Centrum", "vem som talar, t.ex. Anna Berg, Hälsolots Centrum"),
    ("Recorded", "the recording date, YYYY-MM-DD", "datumet då filmen spelades in, ÅÅÅÅ-MM-DD"),
    ("Duration", "the length, e.g. 45 min or 00:45:00", "filmens längd, t.ex. 45 min eller 00:45:00"),
    ("Themes", "one or more of: somn, stress, tobak", "ett eller flera av: somn, stress, tobak"),
    ("Languages", "language codes of the speech, e.g. sv", "språkkoder för det som sägs i filmen, t.ex. sv"),
    ("Captions", "a WebVTT file per language, e.g. sv: filmer/textning/film.sv.vtt",
     "en WebVTT-fil per språk, t.ex. sv: filmer/textning/film.sv.vtt"),
]
CAPTIONS_LINE = 9


@pytest.fixture(scope="module")
def broken(tmp_path_factory) -> dict:
    """A copy of the fixture content with an empty health page, an empty film and a film whose captions break
    every WebVTT rule; `make check`'s lines in Swedish and in English."""
    content = copy_content(FIXTURE_CONTENT, tmp_path_factory.mktemp("language") / "content")
    health = content / "halsa" / "tom.md"
    health.write_text("Lang: sv\n\nText.\n", encoding="utf-8")
    empty_film = content / "filmer" / "tom.md"
    empty_film.write_text("Lang: sv\nExternal: https://vimeo.com/123456\n\nTranskript.\n", encoding="utf-8")
    folder = content / "media" / "filmer" / "fel"
    folder.mkdir(parents=True)
    for _lang, name, text, *_ in CAPTIONS:
        (folder / name).write_text(text, encoding="utf-8")
    captions = ", ".join(f"{lang}: filmer/fel/{name}" for lang, name, *_ in CAPTIONS)
    film = content / "filmer" / "trasig-textning.md"
    film.write_text("Title: Trasig textning\nLang: sv\nSummary: Fel i textningen.\nSpeakers: Anna Berg\n"
                    "Recorded: 2026-05-20\nDuration: 45 min\nThemes: somn\nLanguages: sv\n"
                    f"Captions: {captions}\nExternal: https://vimeo.com/123456\n\nTranskript.\n", encoding="utf-8")
    assert film.read_text(encoding="utf-8").splitlines()[CAPTIONS_LINE - 1].startswith("Captions:")
    return {"health": str(health), "empty_film": str(empty_film), "film": str(film),
            "sv": run_check(content, "sv"), "en": run_check(content, "en")}


def expected_lines(broken: dict) -> list[tuple[str, str]]:
    """(Swedish line, English line) of every problem in the broken files."""
    lines = []
    for path, missing in ((broken["health"], HEALTH_MISSING), (broken["empty_film"], FILM_MISSING)):
        for field, english, swedish in missing:
            lines.append((f"fel: {path}:1: {field}: saknas ({swedish})", f"error: {path}:1: {field}: is missing ({english})"))
    for _lang, name, _text, line, english, swedish in CAPTIONS:
        where = f"{broken['film']}:{CAPTIONS_LINE}: Captions: 'filmer/fel/{name}'"
        lines.append((f"fel: {where} är inte giltig WebVTT: rad {line}: {swedish} "
                      "(en WebVTT-fil, se https://www.w3.org/TR/webvtt1/)",
                      f"error: {where} is not valid WebVTT: line {line}: {english} "
                      "(a WebVTT file, see https://www.w3.org/TR/webvtt1/)"))
    return lines


def test_swedish_problems_have_swedish_hints_and_reasons(broken):
    for swedish, _english in expected_lines(broken):
        assert swedish in broken["sv"], "\n".join(broken["sv"])


def test_no_english_hint_or_reason_in_the_swedish_output(broken):
    swedish = "\n".join(broken["sv"])
    english = [hint for missing in (HEALTH_MISSING, FILM_MISSING) for _field, hint, _sv in missing]
    english += [reason for *_, reason, _sv in CAPTIONS] + ["one or more of", "is not a valid cue timing", "expected e.g."]
    assert [text for text in english if text in swedish] == []
    ours = [line for line in broken["sv"] if any(path in line for path in (broken["health"], broken["empty_film"],
                                                                               broken["film"]))]
    assert len(ours) == len(expected_lines(broken))


def test_english_problems_read_as_before(broken):
    for _swedish, english in expected_lines(broken):
        assert english in broken["en"], "\n".join(broken["en"])


def test_a_webvtt_reason_is_a_template_with_its_values():
    with pytest.raises(WebVTTError) as raised:
        check_webvtt("WEBVTT\n\n00:01 --> 00:02\nx\n")
    error = raised.value
    assert (error.line, error.reason, error.values) == (
        3, "'{timing}' is not a valid cue timing (expected e.g. 00:00:01.000 --> 00:00:04.000)",
        {"timing": "00:01 --> 00:02"})
    assert error.message == "'00:01 --> 00:02' is not a valid cue timing (expected e.g. 00:00:01.000 --> 00:00:04.000)"
    assert str(error) == f"line 3: {error.message}"


def test_a_communicators_braces_in_a_reason_stay_as_written():
    """The reason's values are the communicator's text: filled in, never read as a template themselves."""
    collector = ProblemCollector("x.md")
    collector.add("Captions", "'{value}' is not valid WebVTT: line {line}: {reason}", value="a.vtt", line=3,
                  reason="'{timing}' is not a valid cue timing (expected e.g. 00:00:01.000 --> 00:00:04.000)",
                  timing="{0} --> {lang}")
    problem = collector.problems[0]
    assert problem.format(lang="sv") == ("x.md:1: Captions: 'a.vtt' är inte giltig WebVTT: rad 3: '{0} --> {lang}' "
                                         "är inga giltiga tider för ett textblock (skriv t.ex. 00:00:01.000 --> "
                                         "00:00:04.000)")
    assert problem.format() == ("x.md:1: Captions: 'a.vtt' is not valid WebVTT: line 3: '{0} --> {lang}' is not a "
                                "valid cue timing (expected e.g. 00:00:01.000 --> 00:00:04.000)")
