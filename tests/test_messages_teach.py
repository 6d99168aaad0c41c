"""Messages that teach: each mistake on its own line, in the communicator's words, the same in the build and
`make check`; raw HTML the site removes is named; `make translations` touches only what changed."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO, TODAY, build_site, copy_content, html, replace_text
from halsolots.commands.check import check
from halsolots.commands.translations import translations
from halsolots.content.rawhtml import removed_html

SETTINGS = str(REPO / "pelicanconf.py")


@pytest.fixture
def content(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)  # paths in messages as typed from the project folder: content/…
    return copy_content(FIXTURE_CONTENT, tmp_path / "content")


def check_lines(content: Path, lang: str = "sv") -> list[str]:
    out = io.StringIO()
    check(SETTINGS, lang, {"TODAY": TODAY, "PATH": str(content)}, stream=out)
    return out.getvalue().splitlines()


def test_a_date_that_does_not_exist_is_not_a_format_error(content):
    replace_text(content / "aktiviteter" / "stolgympa.md", "Start: 2027-03-02 10:00", "Start: 2027-02-30 10:00")
    replace_text(content / "aktiviteter" / "stolgympa.md", "Until: 2027-04-13", "Until: 2027-04-31")
    lines = check_lines(content)
    assert ("fel: content/aktiviteter/stolgympa.md:5: Start: '2027-02-30 10:00': 30 februari 2027 finns inte "
            "(februari 2027 har 28 dagar)") in lines
    assert ("fel: content/aktiviteter/stolgympa.md:8: Until: '2027-04-31': 31 april 2027 finns inte "
            "(april 2027 har 30 dagar)") in lines
    english = check_lines(content, "en")
    assert any("Start: '2027-02-30 10:00': 30 February 2027 does not exist (February 2027 has 28 days)" in line
               for line in english)
    # Still a format error when it is one.
    replace_text(content / "aktiviteter" / "stolgympa.md", "Start: 2027-02-30 10:00", "Start: 2027-2-3 10:00")
    assert any("Start: '2027-2-3 10:00' är inte ett datum med tid" in line or "'2027-2-3 10:00'" in line
               for line in check_lines(content))


def test_a_series_without_an_end_is_reported_on_the_repeat_line(content):
    path = content / "aktiviteter" / "stolgympa.md"
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.split("\n") if not line.startswith("Until:")]
    path.write_text("\n".join(lines), encoding="utf-8")
    repeat_line = next(i for i, line in enumerate(lines, 1) if line.startswith("Repeat:"))
    assert (f"fel: content/aktiviteter/stolgympa.md:{repeat_line}: Repeat: är weekly, men serien har inget sista "
            "datum (lägg till en rad Until: med det sista datumet, t.ex. Until: 2026-05-26)") in check_lines(content)


@pytest.mark.parametrize("broken", ["activities", "health page"])
def test_build_and_check_print_the_very_same_lines(content, tmp_path, capsys, broken):
    if broken == "activities":
        replace_text(content / "aktiviteter" / "stolgympa.md", "Start: 2027-03-02 10:00", "Start: 2027-02-30 10:00")
        replace_text(content / "aktiviteter" / "studentdans.md", "Groups: studenter", "Groups: senior")
    else:
        (content / "halsa" / "ny.md").write_text("Title: Ny\nLang: sv\nThemes: somn\nReviewed: 2027-13-01\n"
                                                  "Summary: x\n\nText.\n", encoding="utf-8")
    errors = [line for line in check_lines(content) if line.startswith("fel: ")]
    assert len(errors) == (2 if broken == "activities" else 1)
    capsys.readouterr()
    assert build_site(tmp_path / "output", content, MESSAGES_LANG="sv") == 2
    built = capsys.readouterr().err.splitlines()
    assert [line for line in built if line.startswith("fel: ")] == errors  # same prefix, path, line, field, words
    assert [line for line in built if line.startswith("content/")] == []  # no line without its fel:/varning:


def test_news_and_pages_are_checked_from_the_same_descriptions(content, tmp_path, capsys):
    (content / "nyheter").mkdir()
    (content / "nyheter" / "nytt.md").write_text("Title: Nytt\nLang: sv\nDate: 2027-02-29\nStatsu: draft\n\nText.\n",
                                                 encoding="utf-8")
    lines = check_lines(content)
    assert ("fel: content/nyheter/nytt.md:3: Date: '2027-02-29': 29 februari 2027 finns inte "
            "(februari 2027 har 28 dagar)") in lines
    assert any(line.startswith("varning: content/nyheter/nytt.md:4: Statsu: 'Statsu' är inget fält") and
               "menade du Status?" in line for line in lines)
    capsys.readouterr()
    assert build_site(tmp_path / "output", content, MESSAGES_LANG="sv") == 2
    assert "fel: content/nyheter/nytt.md:3: Date: '2027-02-29'" in capsys.readouterr().err


def test_removed_html_is_named_with_its_reason_and_leaves_no_stray_parenthesis(content, tmp_path, capsys):
    path = content / "aktiviteter" / "stolgympa.md"
    path.write_text(path.read_text(encoding="utf-8") + '\n<script>alert("x")</script>\n\n'
                    'Se <iframe src="https://example.com/karta"></iframe> kartan.\n\n'
                    'Klicka [här](javascript:alert("hej")) för mer.\n\n`<script>` i kod stannar.\n',
                    encoding="utf-8")
    lines = [line for line in check_lines(content) if "stolgympa.md" in line and "Text:" in line]
    assert any("Text: <script> tas bort från sidan: webbplatsen kör inga skript från texten" in line for line in lines)
    assert any("Text: <iframe> tas bort från sidan: webbplatsen visar inget från andra webbplatser" in line
               for line in lines)
    assert any("Text: javascript: tas bort från sidan" in line for line in lines)
    assert all(line.startswith("varning: content/aktiviteter/stolgympa.md:") for line in lines)
    assert len(lines) == 3  # the code span is text, not HTML
    capsys.readouterr()
    assert build_site(tmp_path / "output", content, MESSAGES_LANG="sv") == 0
    err = capsys.readouterr().err
    assert "varning: content/aktiviteter/stolgympa.md:" in err and "<script> tas bort från sidan" in err
    page = html(tmp_path / "output" / "aktivitet" / "stolgympa" / "index.html")
    body = page.find("main").get_text(" ")
    assert "Klicka här för mer." in " ".join(body.split()) and "här ) för" not in body and "här) för" not in body
    assert page.find("main").find("script") is None and page.find("main").find("iframe") is None


def test_removed_html_finder_knows_markdown_from_html():
    found = removed_html("Title: x\n\nA <b onclick=\"x()\">b</b> <https://ok.example> <span style=\"c\">s</span>\n\n"
                         "    <script>in a code block</script>\n\n```\n<iframe>\n```\n[ok](https://ok.example)\n")
    assert [(line, what) for line, what, _why in found] == [(3, "onclick="), (3, "style=")]


def test_the_missing_translation_warning_names_the_file_after_the_original(content):
    # A file whose name is not its Slug: the guide says to name the translation after the file.
    (content / "aktiviteter" / "studentdans.md").rename(content / "dans-for-studenter.md")
    shutil.move(str(content / "dans-for-studenter.md"), str(content / "aktiviteter" / "dans-for-studenter.md"))
    lines = check_lines(content)
    assert any("aktiviteter/dans-for-studenter.md" in line and "en fil dans-for-studenter.en.md med samma Slug" in line
               for line in lines), lines


# --- make translations ---------------------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of what `make translations` reads and writes: the theme and the plugins."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "theme", root / "theme")
    shutil.copytree(REPO / "plugins", root / "plugins", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "theme" / "translations").rglob("*"))
            if p.is_file()}


def test_translations_twice_changes_nothing_the_second_time(project):
    translations(str(project), stream=io.StringIO())
    first = snapshot(project)
    stamps = {p: p.stat().st_mtime_ns for p in (project / "theme" / "translations").rglob("*.po*")}
    out = io.StringIO()
    translations(str(project), stream=out)
    assert snapshot(project) == first
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # not even rewritten with the same bytes
    assert "up to date" in out.getvalue()


def test_a_new_string_adds_only_its_entry(project):
    translations(str(project), stream=io.StringIO())
    before = snapshot(project)
    template = project / "theme" / "templates" / "base.html"
    template.write_text(template.read_text(encoding="utf-8") + "\n{{ _('A brand new sentence') }}\n", encoding="utf-8")
    translations(str(project), stream=io.StringIO())
    after = snapshot(project)
    for name in before:
        old, new = before[name].decode().splitlines(), after[name].decode().splitlines()
        added = [line for line in new if line not in old]
        removed = [line for line in old if line not in new]
        assert removed == [], (name, removed)  # no date, no order churn
        assert set(added) <= {'msgid "A brand new sentence"', 'msgstr ""', ""}, (name, added)
        assert 'msgid "A brand new sentence"' in added
    assert 'msgid "A brand new sentence"' in after["theme/translations/messages.pot"].decode()


def test_make_translations_runs_the_command():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntranslations: deps\n", 1)[1].split("\n\n", 1)[0]
    assert "-m halsolots translations" in recipe and "pybabel" not in recipe
    assert subprocess.run([sys.executable, "-m", "halsolots", "translations", "--help"], cwd=REPO,
                          env={"PYTHONPATH": str(REPO / "plugins"), "PATH": "/usr/bin:/bin"},
                          capture_output=True).returncode == 0


def test_a_fuzzy_entry_is_not_shown_but_a_fuzzy_header_keeps_the_catalogue(tmp_path):
    """What the guide says about `#, fuzzy` in a new language's catalogue."""
    from halsolots.content.messages import compile_catalogue

    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text('#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: ar\\n"\n'
                                        '"Content-Type: text/plain; charset=utf-8\\n"\n\n'
                                        'msgid "Hello"\nmsgstr "Marhaba"\n\n#, fuzzy\nmsgid "Bye"\nmsgstr "Salam"\n',
                                        encoding="utf-8")
    catalogue = compile_catalogue(str(tmp_path), "ar")
    assert catalogue.gettext("Hello") == "Marhaba" and catalogue.gettext("Bye") == "Bye"
    guide_text = (REPO / "docs" / "guide-for-kommunikatorer.md").read_text(encoding="utf-8")
    assert "`#, fuzzy`" in guide_text and "make translations" in guide_text
