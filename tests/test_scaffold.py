"""`make ny-aktivitet` (new-activity), the templates in content/mallar and the generated guide."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CONTENT, REPO, TODAY, build_site, copy_content, html
from halsolots.build import build as builder
from halsolots.commands import cli
from halsolots.commands import guide
from halsolots.content.checks import run_checks
from halsolots.commands.scaffold import new_activity

SETTINGS = str(REPO / "pelicanconf.py")
ANSWERS = {
    "title": "Stavgång för seniorer", "summary": "Vi går med stavar i lugnt tempo.", "start": "2027-03-03 10:00",
    "end": "11:00", "repeat": "weekly", "until": "2027-05-26", "venue": "biblioteket", "districts": "centrum",
    "groups": "seniorer", "category": "rorelse", "organiser": "Hälsolots Centrum", "registration": "required",
    "how-to-register": "Ring 031-123 45 67", "languages": "sv",
}


@pytest.fixture
def content(tmp_path) -> Path:
    return copy_content(FIXTURE_CONTENT, tmp_path / "content")


def settings_for(content: Path) -> dict:
    return builder.load_settings(SETTINGS, {"PATH": str(content), "TODAY": TODAY})


def errors(content: Path) -> list:
    return [p for p in run_checks(settings_for(content)) if p.severity == "error"]


def test_non_interactive_writes_a_file_that_checks_and_builds(content, tmp_path):
    out = io.StringIO()
    code = new_activity(settings_for(content), ANSWERS, interactive=False, stream=out)
    assert code == 0, out.getvalue()
    written = content / "aktiviteter" / "stavgang-for-seniorer.md"
    text = written.read_text(encoding="utf-8")
    assert text.startswith("Title: Stavgång för seniorer\nSlug: stavgang-for-seniorer\nLang: sv\n")
    assert "Repeat: weekly\nUntil: 2027-05-26\n" in text and "How-to-register: Ring 031-123 45 67\n" in text
    assert f"Modified: {TODAY}\n" in text
    assert "Skrev " in out.getvalue() and "make check" in out.getvalue()
    assert errors(content) == []
    output = tmp_path / "output"
    assert build_site(output, content) == 0
    page = html(output / "aktivitet" / "stavgang-for-seniorer" / "index.html")
    assert page.find("h1").get_text(strip=True) == "Stavgång för seniorer"


def test_command_line_flags(content, tmp_path, capsys):
    settings_file = tmp_path / "settings.py"
    settings_file.write_text((REPO / "pelicanconf.py").read_text(encoding="utf-8") + f"\nPATH = {str(content)!r}\n",
                             encoding="utf-8")
    args = ["new-activity", "--settings", str(settings_file), "--no-input", "--draft", "--today", TODAY]
    for key, value in ANSWERS.items():
        args += [f"--{key}", value]
    assert cli.main(args) == 0
    text = (content / "aktiviteter" / "stavgang-for-seniorer.md").read_text(encoding="utf-8")
    assert "Status: draft\n" in text and "Groups: seniorer\n" in text
    assert errors(content) == []
    assert cli.main([*args[:-2], "--languages", "svenska"]) == 2  # and refuses: the answer is wrong
    assert "Languages: 'svenska' är ingen språkkod" in capsys.readouterr().out


def test_refuses_to_overwrite(content):
    settings = settings_for(content)
    assert new_activity(settings, ANSWERS, interactive=False, stream=io.StringIO()) == 0
    path = content / "aktiviteter" / "stavgang-for-seniorer.md"
    path.write_text(path.read_text(encoding="utf-8") + "Egen text.\n", encoding="utf-8")
    before = path.read_bytes()
    out = io.StringIO()
    assert new_activity(settings, ANSWERS, interactive=False, stream=out) == 1
    assert "finns redan" in out.getvalue()
    assert path.read_bytes() == before


def test_wrong_answers_are_explained_and_nothing_is_written(content):
    out = io.StringIO()
    answers = {**ANSWERS, "groups": "senior", "end": "09:00"}
    assert new_activity(settings_for(content), answers, interactive=False, stream=out) == 2
    text = out.getvalue()
    assert "Groups: 'senior' finns inte i listan (något av: seniorer, studenter, alla; menade du seniorer?)" in text
    assert "End: slutar (09:00) före eller samtidigt som den börjar (2027-03-03 10:00)" in text
    assert "Ingen fil skrevs." in text
    assert not (content / "aktiviteter" / "stavgang-for-seniorer.md").exists()


def test_interactive_asks_again_after_a_wrong_answer(content):
    given = {k: v for k, v in ANSWERS.items() if k not in ("districts", "venue")}
    replies = iter(["torg", "torget", "nordöst", "nordost"])
    questions = []

    def ask(question):
        questions.append(question)
        return next(replies)

    out = io.StringIO()
    assert new_activity(settings_for(content), given, ask=ask, stream=out) == 0
    assert questions[0].startswith("Venue, lokal (biblioteket, torget, eller online)")
    assert questions[1] == questions[0]  # asked again after 'torg'
    assert "Venue: 'torg' är ingen lokal vi känner till" in out.getvalue()
    assert "menade du nordost?" in out.getvalue()
    text = (content / "aktiviteter" / "stavgang-for-seniorer.md").read_text(encoding="utf-8")
    assert "Venue: torget\n" in text and "Districts: nordost\n" in text


def test_questions_in_english(content):
    questions = []
    replies = iter(["centrum"])
    given = {k: v for k, v in ANSWERS.items() if k != "districts"}
    assert new_activity(settings_for(content), given, lang="en", ask=lambda q: questions.append(q) or next(replies),
                        stream=io.StringIO()) == 0
    assert questions == ["Districts, separated by commas (centrum, nordost): "]


@pytest.mark.parametrize("template", ["aktivitet.template.md", "veckoserie.template.md", "installd.template.md"])
def test_activity_templates_are_valid_activities(tmp_path, template):
    content = tmp_path / "content"
    shutil.copytree(REPO / "content" / "data", content / "data")
    (content / "aktiviteter").mkdir()
    shutil.copy(REPO / "content" / "mallar" / template, content / "aktiviteter" / "x.md")
    if template == "aktivitet.template.md":  # with its translation
        shutil.copy(REPO / "content" / "mallar" / "oversattning.en.template.md", content / "aktiviteter" / "x.en.md")
    assert errors(content) == [], [p.format() for p in errors(content)]


def test_templates_are_never_published():
    # pelicanconf's IGNORE_FILES keeps *.template.md out of every content kind
    assert "*.template.md" in builder.load_settings(SETTINGS)["IGNORE_FILES"]
    assert sorted(p.name for p in (REPO / "content" / "mallar").iterdir()) == [
        "aktivitet.template.md", "film.template.md", "halsosida.template.md", "installd.template.md",
        "nyhet.template.md", "oversattning.en.template.md", "veckoserie.template.md"]


def test_committed_guide_is_up_to_date(monkeypatch):
    monkeypatch.chdir(REPO)
    current, wanted = guide.expected_guide(builder.load_settings(SETTINGS))
    assert current == wanted, "docs/guide-for-kommunikatorer.md is stale: run make guide"


def test_guide_lists_every_field_and_vocabulary_value(monkeypatch):
    monkeypatch.chdir(REPO)
    _current, text = guide.expected_guide(builder.load_settings(SETTINGS))
    from halsolots.content.activity import FIELD_NAMES
    from halsolots.site.site import Site

    for name in FIELD_NAMES.values():
        assert f"| `{name}` |" in text
    vocabularies = Site(builder.load_settings(SETTINGS)).vocabularies
    for vocabulary in ("districts", "target_groups", "categories", "venues"):
        for term in vocabularies[vocabulary]:
            assert f"| `{term.id}` |" in text
