"""`make check`: the build's validation without building, messages in Swedish (and English), warnings."""

from __future__ import annotations

import ast
import io
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import FIXTURE_CONTENT, REPO, TODAY, build_site, copy_content, replace_text
from halsolots.content import checks as content_check
from halsolots.commands.check import check
from halsolots.content.messages import LOCALE_PATH, extract_templates

SETTINGS = str(REPO / "pelicanconf.py")


def run_check(content: Path | None = None, lang: str = "sv", **settings) -> tuple[int, list[str]]:
    overrides = {"TODAY": TODAY, **settings}
    if content is not None:
        overrides["PATH"] = str(content)
    out = io.StringIO()
    code = check(SETTINGS, lang, overrides, stream=out)
    return code, out.getvalue().splitlines()


@pytest.fixture
def content(tmp_path) -> Path:
    return copy_content(FIXTURE_CONTENT, tmp_path / "content")


def test_demo_content_checks_fast_without_errors():
    started = time.perf_counter()
    code, lines = run_check()
    elapsed = time.perf_counter() - started
    assert code == 0, lines
    assert "Inga fel: innehållet kan publiceras." in lines
    assert not any(line.startswith("fel:") for line in lines)
    assert elapsed < 2.0, f"make check took {elapsed:.2f} s"


# (edit to the fixture, Swedish line, English line): every activity error message, both languages.
ERRORS = [
    ("studentdans.md", "Groups: studenter", "Groups: senior",
     "fel: {f}:9: Groups: 'senior' finns inte i listan (något av: seniorer, studenter, alla; menade du seniorer?)",
     "error: {f}:9: Groups: 'senior' is not a known value (one of: seniorer, studenter, alla; did you mean seniorer?)"),
    ("studentdans.md", "End: 19:30", "End: 17:00",
     "fel: {f}:6: End: slutar (17:00) före eller samtidigt som den börjar (2026-12-03 18:00) (en sluttid efter starttiden)",
     "error: {f}:6: End: ends (17:00) before or when it starts (2026-12-03 18:00) (an end after the start)"),
    ("studentdans.md", "Start: 2026-12-03 18:00", "Start: 3 december",
     "fel: {f}:5: Start: '3 december' är inget datum med klockslag (ÅÅÅÅ-MM-DD TT:MM, t.ex. 2026-02-03 10:00)",
     "error: {f}:5: Start: '3 december' is not a date and time (YYYY-MM-DD HH:MM, e.g. 2026-02-03 10:00)"),
    ("studentdans.md", "Venue: torget", "Venue: torg",
     "fel: {f}:7: Venue: 'torg' är ingen lokal vi känner till (ett lokal-id från venues.yaml eller 'online'; menade du torget?)",
     "error: {f}:7: Venue: 'torg' is not a known venue (a venue id from venues.yaml or 'online'; did you mean torget?)"),
    ("studentdans.md", "Organiser: Hälsoteket i Nordost\n", "",
     "fel: {f}:1: Organiser: saknas (vem som arrangerar, t.ex. Hälsolots Centrum)",
     "error: {f}:1: Organiser: is missing (who arranges it, e.g. Hälsolots Centrum)"),
    ("stolgympa.md", "Except: 2027-03-30", "Except: 2027-03-31",
     "fel: {f}:9: Except: 2027-03-31 är en onsdag, inte en tisdag som serien (en tisdag)",
     "error: {f}:9: Except: 2027-03-31 is a Wednesday, not a Tuesday like the series (a Tuesday)"),
]


@pytest.mark.parametrize(("name", "old", "new", "swedish", "english"), ERRORS)
def test_error_messages_in_swedish_and_english(content, name, old, new, swedish, english):
    path = content / "aktiviteter" / name
    replace_text(path, old, new)
    where = str(path)  # content outside the project folder is named by its full path
    for lang, expected in (("sv", swedish), ("en", english)):
        code, lines = run_check(content, lang)
        assert code == 2
        assert expected.format(f=where) in lines, lines


def test_error_summary_in_both_languages(content):
    replace_text(content / "aktiviteter" / "studentdans.md", "Groups: studenter", "Groups: senior")
    assert "1 fel måste rättas innan webbplatsen kan publiceras." in run_check(content, "sv")[1]
    assert "1 error must be fixed before the site can be published." in run_check(content, "en")[1]


def _warnings(lines, prefix):
    return [line for line in lines if line.startswith(prefix)]


def test_warnings_do_not_fail_the_check(content):
    (content / "halsa").mkdir(exist_ok=True)
    (content / "halsa" / "somn.md").write_text(
        "Title: Sömn\nSlug: somn\nLang: sv\nSummary: Om sömn.\nThemes: somn\nReviewed: 2025-10-01\n\nText.\n",
        encoding="utf-8")
    (content / "halsa" / "nyss.md").write_text(
        "Title: Nyss\nLang: sv\nSummary: Nyss granskad.\nThemes: somn\nReviewed: 2026-11-01\n\nText.\n",
        encoding="utf-8")
    replace_text(content / "data" / "venues.yaml", "- id: torget", "- id: gamla-salen\n  name: Gamla salen\n"
                 "  district: centrum\n- id: torget")
    code, sv = run_check(content, "sv")
    _, en = run_check(content, "en")
    assert code == 0, sv
    root = content
    expected = [
        (f"varning: {root}/aktiviteter/forra-aret.md:8: Until: sista datumet (2025-10-27) har passerat "
         "(flytta filen till arkivet eller ta bort den)",
         f"warning: {root}/aktiviteter/forra-aret.md:8: Until: the last date (2025-10-27) has passed "
         "(move the file to the archive or delete it)"),
        (f"varning: {root}/halsa/somn.md:6: Reviewed: texten granskades senast 2025-10-01, för mer än ett år sedan "
         "(kontrollera fakta och sätt sedan Reviewed till dagens datum, t.ex. 2026-12-01)",
         f"warning: {root}/halsa/somn.md:6: Reviewed: the text was last reviewed 2025-10-01, more than a year ago "
         "(check the facts, then set Reviewed to today's date, e.g. 2026-12-01)"),
        (f"varning: {root}/data/venues.yaml:10: id: ingen aktivitet använder lokalen 'gamla-salen' "
         "(ta bort den från venues.yaml om den inte används längre)",
         f"warning: {root}/data/venues.yaml:10: id: no activity uses the venue 'gamla-salen' "
         "(remove it from venues.yaml if it is no longer used)"),
        (f"varning: {root}/aktiviteter/studentdans.md:3: Lang: saknar översättning till: en "
         "(en fil studentdans.en.md med samma Slug och Lang: en)",
         f"warning: {root}/aktiviteter/studentdans.md:3: Lang: has no translation into: en "
         "(a file studentdans.en.md with the same Slug and Lang: en)"),
        (f"varning: {root}/halsa/somn.md:3: Lang: saknar översättning till: en (en fil somn.en.md med samma Slug och Lang: en)",
         f"warning: {root}/halsa/somn.md:3: Lang: has no translation into: en (a file somn.en.md with the same Slug and Lang: en)"),
    ]
    for swedish, english in expected:
        assert swedish in sv, "\n".join(sv)
        assert english in en, "\n".join(en)
    assert not any("nyss.md:5" in line for line in sv)  # reviewed a month ago: no warning
    assert not any("stolgympa.md:3: Lang" in line for line in sv)  # has its .en.md
    assert not any("forra-aret.md:3: Lang" in line for line in sv)  # past: archive it, don't translate it
    count = len(_warnings(sv, "varning:"))
    assert f"{count} varningar: värda att titta på, men de stoppar inte publiceringen." in sv


def test_build_shows_warnings_and_still_succeeds(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    capsys.readouterr()
    assert build_site(tmp_path / "output", content, MESSAGES_LANG="sv") == 0
    err = capsys.readouterr().err
    assert "aktiviteter/forra-aret.md:8: Until: sista datumet (2025-10-27) har passerat" in err
    assert "varning: " in err


def test_build_and_check_report_the_same_errors(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    replace_text(content / "aktiviteter" / "studentdans.md", "Groups: studenter", "Groups: senior")
    replace_text(content / "aktiviteter" / "stolgympa.md", "Except: 2027-03-30", "Except: 2027-03-31")
    problems = [p for p in content_check.run_checks(
        {**__import__("halsolots.build.build", fromlist=["x"]).load_settings(SETTINGS, {"PATH": str(content), "TODAY": TODAY})})
        if p.severity == "error"]
    capsys.readouterr()
    assert build_site(tmp_path / "output", content, MESSAGES_LANG="en") != 0
    err = capsys.readouterr().err
    for problem in problems:
        assert problem.format(str(tmp_path), "en") in err
    assert "2 problems in the content; nothing was published." in err


def test_every_problem_template_has_a_swedish_translation():
    with open(Path(LOCALE_PATH) / "sv" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle, locale="sv")
    translated = set()
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.id and all(strings) and not message.fuzzy:
            translated.update(ids)
    missing = {msgid: places for msgid, places in extract_templates().items() if msgid not in translated}
    assert not missing, f"add these to plugins/halsolots/locale/sv/LC_MESSAGES/messages.po: {missing}"


MESSAGE_CALLS = {"add": (1, 2), "warn": (1, 2), "make": (3, 4), "Problem": (3, 4)}


def test_every_problem_message_is_marked_for_translation():
    """A literal message passed to ProblemCollector.add/warn or Problem(.make) must be wrapped in N_()."""
    unmarked = []
    for path in sorted((REPO / "plugins" / "halsolots").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in MESSAGE_CALLS or (name in ("add", "warn") and not _looks_like_problem_call(node)):
                continue
            for index in MESSAGE_CALLS[name]:
                if index < len(node.args) and isinstance(node.args[index], (ast.Constant, ast.JoinedStr)) \
                        and isinstance(getattr(node.args[index], "value", ""), str) and getattr(node.args[index], "value", "x"):
                    unmarked.append(f"{path.name}:{node.lineno}")
    assert not unmarked, f"wrap these messages in N_() and translate them: {unmarked}"


def _looks_like_problem_call(node: ast.Call) -> bool:
    """collector.add / problems.add / self._problems.add, not an iCalendar component's add()."""
    receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
    name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
    return any(word in name.lower() for word in ("problem", "collector"))


def test_check_validates_health_pages_and_films_like_the_build(tmp_path, capsys):
    content = copy_content(FIXTURE_CONTENT, tmp_path / "content")
    replace_text(content / "filmer" / "snus.md", "Duration: ", "Duration: länge ")
    replace_text(content / "halsa" / "snus.md", "Themes: ", "Themes: somnn, ")
    code, lines = run_check(content, "en")
    errors = [line for line in lines if line.startswith("error: ")]
    assert code != 0 and len(errors) == 2, lines
    assert any("filmer/snus.md" in line and "Duration: 'länge" in line for line in errors)
    assert any("halsa/snus.md" in line and "Themes: 'somnn' is not a known value" in line for line in errors)
    capsys.readouterr()
    assert build_site(tmp_path / "output", content, MESSAGES_LANG="en") != 0
    err = capsys.readouterr().err
    for line in errors:
        assert line.removeprefix("error: ").split("content/", 1)[1] in err


def test_a_build_shows_a_few_warnings_of_each_kind_and_counts_the_rest():
    import io

    from halsolots.content.reading import WARNINGS_SHOWN, report_warnings
    from halsolots.content.problems import Problem

    many = [Problem.make(f"/site/content/aktiviteter/a{i:02d}.md", 3, "Lang", "has no translation into: {languages}",
                         severity="warning", languages="en") for i in range(WARNINGS_SHOWN + 7)]
    other = Problem.make("/site/content/halsa/x.md", 5, "Reviewed", "was last reviewed over a year ago",
                         severity="warning")
    stream = io.StringIO()
    report_warnings(many + [other], "/site", "sv", stream=stream)
    lines = stream.getvalue().splitlines()
    assert len([line for line in lines if "saknar översättning" in line]) == WARNINGS_SHOWN
    assert "… och 7 filer till med samma varning (make check visar alla)" in lines
    assert any("halsa/x.md:5: Reviewed" in line for line in lines)  # another kind is never hidden
    stream = io.StringIO()
    report_warnings(many, "/site", "en", stream=stream, shown=None)  # make check: every one
    assert len(stream.getvalue().splitlines()) == len(many)


def test_a_text_cut_at_an_unquoted_comma_in_a_data_file_is_a_plain_error(content):
    replace_text(content / "data" / "themes.yaml", "label: {sv: Tobak och snus, en: Tobacco and snus}",
                 "label: {sv: Tobak, snus och vejp, en: Tobacco, snus and vaping}")
    code, lines = run_check(content, lang="en")
    assert code == 2
    assert any("themes.yaml:" in line and "label: entry " in line
               and "a text is cut at a comma before 'snus och vejp'" in line and "in quotes" in line for line in lines), lines
