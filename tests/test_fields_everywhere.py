"""Every field of every kind is described once (content/schema.py), and the validator, the guide, the scaffolds
and the editor all say the same: a field added to one place only fails here."""

from __future__ import annotations

import argparse
import io
import re

import pytest

from conftest import REPO, TODAY, copy_content
from halsolots.build import build as builder
from halsolots.commands import guide, scaffold
from halsolots.content import activity, library
from halsolots.content.checks import run_checks
from halsolots.content.editor import COLLECTION_NAMES, editor_config, format_fields
from halsolots.content.problems import ProblemCollector
from halsolots.content.schema import KINDS
from halsolots.content.source import parse_header
from halsolots.site.site import Site

SETTINGS = str(REPO / "pelicanconf.py")


def guide_tables() -> dict[str, list[str]]:
    """Field names of each kind's table in the committed guide ('### Alla fält i en film' → ['Title', …])."""
    text = (REPO / guide.GUIDE).read_text(encoding="utf-8")
    tables = {}
    for kind, title in guide.KIND_TITLES.items():
        section = text.split(f"### Alla fält i {title}\n", 1)[1].split("\n### ", 1)[0]
        tables[kind] = re.findall(r"^\| `([^`]+)` \|", section, re.MULTILINE)
    return tables


def test_the_guide_has_a_table_for_every_kind_with_every_field():
    tables = guide_tables()
    for name, kind in KINDS.items():
        assert tables[name] == [spec.name for spec in kind.fields], name


def test_the_guide_names_what_a_translation_holds():
    text = (REPO / guide.GUIDE).read_text(encoding="utf-8")
    section = text.split("### Fält i en översättning\n", 1)[1].split("\n### ", 1)[0]
    for kind in KINDS.values():
        assert all(f"`{spec.name}`" in section for spec in kind.translated)
    assert "`Captions: sv: filmer/textning/" in text and "`External: https://" in text  # film syntax, in the guide


def test_the_parsers_read_the_descriptions():
    assert activity.FIELD_NAMES == KINDS["activity"].names
    assert activity.REQUIRED_FIELDS == KINDS["activity"].required
    assert library.HEALTH_NAMES == KINDS["health"].names and library.FILM_NAMES == KINDS["film"].names
    vocabularies = Site(builder.load_settings(SETTINGS)).vocabularies
    header = parse_header("Title: x\n")
    problems = ProblemCollector("x.md", header)
    activity.ActivityParser(vocabularies).parse("x", "x.md", header, problems)
    missing = {p.field for p in problems.problems if p.message == "is missing"}
    assert missing == {KINDS["activity"].names[key] for key in KINDS["activity"].required} - {"Title"}


def test_an_unknown_field_is_named_with_the_closest_known_one():
    vocabularies = Site(builder.load_settings(SETTINGS)).vocabularies
    header = parse_header("Title: x\nGrops: alla\n")
    problems = ProblemCollector("x.md", header)
    activity.ActivityParser(vocabularies).parse("x", "x.md", header, problems)
    [unknown] = [p for p in problems.problems if p.field == "Grops"]
    assert unknown.severity == "warning" and unknown.line == 2 and unknown.suggestion == "Groups"
    assert "'Grops' är inget fält i den här sortens fil och läses inte" in unknown.format(lang="sv")


def example_answers(kind, **changes) -> dict:
    answers = {spec.key: spec.example for spec in kind.fields if spec.key not in ("slug", "lang")}
    answers.update(changes)
    return {key: value for key, value in answers.items() if value is not None}


# Every field with its example, in one file per kind (a film has Video or External, so two files).
RUNS = [("activity", {"registration": "required"}), ("health", {}), ("film", {"external": None}),
        ("film", {"video": None, "title": "Sömn, en film på Vimeo"}), ("news", {}), ("page", {})]


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory):
    """Each kind's scaffold run with every field's example on a copy of the demo content: the files written."""
    content = copy_content(REPO / "content", tmp_path_factory.mktemp("scaffolds") / "content")
    settings = builder.load_settings(SETTINGS, {"PATH": str(content), "TODAY": TODAY})
    written = []
    for name, changes in RUNS:
        before = set(content.rglob("*.md"))
        out = io.StringIO()
        code = scaffold.new_item(settings, name, example_answers(KINDS[name], **changes), interactive=False,
                                 stream=out)
        assert code == 0, (name, out.getvalue())
        [path] = set(content.rglob("*.md")) - before
        written.append((name, path))
    return settings, written


def test_every_field_of_every_kind_is_in_a_scaffold_and_the_files_check(scaffolded):
    settings, written = scaffolded
    for name, kind in KINDS.items():
        texts = [path.read_text(encoding="utf-8") for kind_name, path in written if kind_name == name]
        for spec in kind.fields:
            assert any(f"\n{spec.name}: " in "\n" + text for text in texts), (name, spec.name)
    paths = {str(path) for _, path in written}
    errors = [p.format() for p in run_checks(settings) if p.severity == "error"]
    assert errors == []
    warnings = [p for p in run_checks(settings) if str(p.path) in paths and "translation" not in p.message]
    assert warnings == [], [p.format() for p in warnings]


def test_every_field_has_a_flag_in_the_scaffold_command():
    parser = argparse.ArgumentParser()
    scaffold.add_subcommand(parser.add_subparsers(dest="command"))
    for name, kind in KINDS.items():
        flags = ["new", name]
        for spec in kind.fields:
            if spec.key not in ("slug", "lang"):
                flags += [scaffold.flag(spec.key), spec.example]
        args = parser.parse_args(flags)
        for spec in kind.fields:
            if spec.key not in ("slug", "lang"):
                assert getattr(args, spec.key.replace("-", "_")) == spec.example


def test_every_field_is_in_the_editor():
    settings = builder.load_settings(SETTINGS, {"EDITOR_REPOSITORY": str(REPO)})
    site = Site(settings)
    collections = {c["name"]: c for c in editor_config(settings, site.vocabularies, site.languages)["collections"]}
    known = format_fields()
    for name, kind in KINDS.items():
        fields = {f["name"]: f for f in collections[COLLECTION_NAMES[name]]["fields"]}
        for spec in kind.fields:
            assert spec.name in fields, (name, spec.name)
            # The one difference, on purpose: the editor names a new file after its Slug, so it asks for one.
            assert fields[spec.name]["required"] == spec.required or spec.type in ("lang", "slug")
            assert known[spec.key]["name"] == spec.name
            if spec.vocabulary:
                assert {o["value"] for o in fields[spec.name]["options"]} >= set(site.vocabularies[spec.vocabulary].ids())


def test_make_ny_halsosida_through_the_command_line(tmp_path, capsys):
    """`make ny-halsosida` runs `new halsosida`: the Swedish names of the kinds work as the English ones."""
    from halsolots.commands import cli

    content = copy_content(REPO / "content", tmp_path / "content")
    settings_file = tmp_path / "settings.py"
    settings_file.write_text((REPO / "pelicanconf.py").read_text(encoding="utf-8") + f"\nPATH = {str(content)!r}\n",
                             encoding="utf-8")
    args = ["new", "halsosida", "--settings", str(settings_file), "--no-input", "--today", TODAY,
            "--title", "Vila och återhämtning", "--summary", "Om vila.", "--themes", "stress"]
    assert cli.main(args) == 0
    text = (content / "halsa" / "vila-och-aterhamtning.md").read_text(encoding="utf-8")
    assert text.startswith("Title: Vila och återhämtning\nSlug: vila-och-aterhamtning\nLang: sv\nSummary: Om vila.\n"
                           f"Themes: stress\nReviewed: {TODAY}\n\nSkriv här: Texten")
    assert cli.main([*args[:-2], "--themes", "stres"]) == 2
    assert "Themes: 'stres' finns inte i listan" in capsys.readouterr().out
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    assert "ny-halsosida ny-film ny-nyhet ny-sida: deps" in makefile
