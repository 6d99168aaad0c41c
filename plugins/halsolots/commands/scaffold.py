"""`python -m halsolots new KIND` (make ny-aktivitet, ny-halsosida, ny-film, ny-nyhet, ny-sida): asks for a new
file's facts and writes a correct file. `new-activity` is `new activity`.

The fields, their order, which are asked and the flags all come from the field descriptions (content/schema.py).
Every answer is checked with the build's own validation as soon as it is given, and the finished header is
validated once more before anything is written. Flags answer questions up front (every field of the kind has
one); with --no-input nothing is asked (for tests and scripts).
"""

from __future__ import annotations

import os
import sys

from ..content.messages import gettext, normalise
from ..content.problems import N_, ProblemCollector
from ..content.schema import ACTIVITY, KINDS, ONLINE, Kind
from ..content.source import parse_header
from .options import add_settings_arguments

# Swedish names of the kinds for the command line (make ny-halsosida …).
KIND_ALIASES = {"aktivitet": "activity", "halsosida": "health", "film": "film", "nyhet": "news", "sida": "page"}
# The vocabulary whose ids a question lists.
OPTIONS = {spec.key: spec.vocabulary for spec in ACTIVITY.fields if spec.vocabulary}
# Kept for callers of the activity scaffold: (key, question, flag help) in the order asked.
QUESTIONS = tuple((spec.key, spec.question, spec.help_en) for spec in ACTIVITY.fields if spec.question)


def asked(kind: Kind) -> tuple:
    """The fields a scaffold asks for: those with a question (activities), else the required ones and Summary."""
    if any(spec.question for spec in kind.fields):
        return tuple(spec for spec in kind.fields if spec.question)
    return tuple(spec for spec in kind.fields if (spec.required or spec.key == "summary") and not spec.today)


# A field's flag is --<field>, but where that is argparse's own (--help for a health page's Help).
FLAGS = {"help": "help-contacts"}


def flag(key: str) -> str:
    return "--" + FLAGS.get(key, key)


def _add_field_flags(cmd, kinds) -> None:
    seen = set()
    for kind in kinds:
        for spec in kind.fields:
            if spec.key not in seen and spec.key not in ("slug", "lang"):
                seen.add(spec.key)
                cmd.add_argument(flag(spec.key), dest=spec.key.replace("-", "_"), help=spec.help_en)


def _common(cmd) -> None:
    add_settings_arguments(cmd)
    cmd.add_argument("--lang", default="sv", help="language of questions and messages: sv (default) or en")
    cmd.add_argument("--no-input", action="store_true", help="ask nothing; fail on missing or wrong answers")
    cmd.add_argument("--draft", action="store_true", help="Status: draft (shown only in the preview)")
    cmd.add_argument("--today", help="the date for Modified, Reviewed or Date (YYYY-MM-DD); default today")


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("new-activity", help="write a new activity file, asking for its facts")
    _common(cmd)
    _add_field_flags(cmd, [ACTIVITY])
    cmd.set_defaults(func=lambda args: new_command(args, "activity"))
    cmd = sub.add_parser("new", help="write a new file of a kind (activity, health, film, news, page), asking for "
                         "its facts")
    cmd.add_argument("kind", help="activity, health, film, news or page (or aktivitet, halsosida, film, nyhet, sida)")
    _common(cmd)
    _add_field_flags(cmd, KINDS.values())
    cmd.set_defaults(func=lambda args: new_command(args, args.kind))


def new_command(args, kind_name: str) -> int:
    from ..build.build import load_settings

    kind_name = KIND_ALIASES.get(kind_name, kind_name)
    if kind_name not in KINDS:
        print(f"{kind_name}: {', '.join(KINDS)}", file=sys.stderr)
        return 2
    kind = KINDS[kind_name]
    settings = load_settings(args.settings, {"TODAY": args.today} if args.today else {})
    answers = {spec.key: getattr(args, spec.key.replace("-", "_"), None) for spec in kind.fields}
    answers = {key: value for key, value in answers.items() if value is not None}
    return new_item(settings, kind_name, answers, lang=args.lang, interactive=not args.no_input, draft=args.draft)


def _slugify(title: str, settings: dict) -> str:
    from pelican.utils import slugify

    return slugify(title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))


def render(answers: dict, modified: str, draft: bool = False, kind: Kind = ACTIVITY, lang: str = "sv") -> str:
    """The file's text: the header in the fields' order (schema.py), then what to write below it."""
    answers = dict(answers)
    if draft and "status" in kind.names:
        answers["status"] = "draft"
    for spec in kind.fields:
        if spec.today and not answers.get(spec.key):
            answers[spec.key] = modified
    lines = [f"{spec.name}: {answers[spec.key]}" for spec in kind.fields if answers.get(spec.key)]
    body = gettext(N_("Write here: {what} Keep it short and simple."), lang).format(
        what=kind.body_sv if lang == "sv" else kind.body_en)
    return "\n".join(lines) + "\n\n" + body + "\n"


class Scaffold:
    """Validates answers with the build's parser of the kind, field by field."""

    def __init__(self, settings: dict, lang: str, kind: Kind = ACTIVITY):
        from ..site.site import Site

        self.settings = settings
        self.kind = kind
        self.site = Site(settings)
        self.lang = normalise(lang)
        self.parse = self._parser()

    def _parser(self):
        vocabularies = self.site.vocabularies
        if self.kind.name == "activity":
            return self.site.activity_parser().parse
        if self.kind.name in ("health", "film"):
            from ..content.library import LibraryParser

            media = os.path.join(self.settings["PATH"], (self.settings.get("STATIC_PATHS") or ["media"])[0])
            parser = LibraryParser(vocabularies, media, self.settings.get("FILM_PROVIDER_ORIGINS"))
            return parser.health if self.kind.name == "health" else parser.film
        from ..content.pages import check_header
        from ..content.schema import check_known_fields

        def parse(_slug, _path, header, collector):
            check_known_fields(self.kind, header, collector)
            check_header(self.kind, header, collector, vocabularies)

        return parse

    def problems(self, answers: dict, only: str | None = None, draft: bool = False) -> list:
        """Problems in the answers given so far; `only` limits them to one field (not 'is missing')."""
        text = render({**answers, "slug": "x", "lang": self.site.default_lang}, self.site.today.isoformat(), draft,
                      self.kind, self.lang)
        header = parse_header(text)
        collector = ProblemCollector("(svar)", header)
        self.parse("x", "(svar)", header, collector)
        found = collector.problems
        if only is not None:
            name = self.kind.names[only]
            found = [p for p in found if p.field == name and p.message != "is missing"]
        return found

    def question(self, key: str, text: str = "") -> str:
        spec = self.kind.field(key)
        options = ", ".join(self.site.vocabularies[spec.vocabulary].ids()) if spec.vocabulary else ""
        if spec.choices and spec.key != "repeat":
            options = " / ".join(spec.choices)
        text = text or spec.question
        if text:
            return gettext(text, self.lang).format(options=options)
        question = f"{spec.name} ({spec.help(self.lang)})"
        if spec.type == "venue":
            options = f"{options}, {ONLINE}"
        return f"{question} [{options}]" if options else question

    def message(self, problem) -> str:
        return problem.format(lang=self.lang).split(": ", 1)[1]


def new_activity(settings: dict, answers: dict, lang: str = "sv", interactive: bool = True, draft: bool = False,
                 ask=input, stream=None) -> int:
    return new_item(settings, "activity", answers, lang, interactive, draft, ask, stream)


def new_item(settings: dict, kind_name: str, answers: dict, lang: str = "sv", interactive: bool = True,
             draft: bool = False, ask=input, stream=None) -> int:
    """Ask for what `answers` lacks (unless not interactive), validate, write content/<folder>/<slug>.md."""
    stream = stream or sys.stdout
    kind = KINDS[kind_name]
    scaffold = Scaffold(settings, lang, kind)
    answers = dict(answers)
    for spec in asked(kind):
        key = spec.key
        if not _applies(key, answers):
            answers.pop(key, None)
            continue
        while True:
            if key not in answers:
                if not interactive:
                    break
                answers[key] = ask(scaffold.question(key) + ": ").strip()
            wrong = scaffold.problems(answers, only=key)
            if not [p for p in wrong if p.severity == "error"]:
                break
            for problem in wrong:
                print(scaffold.message(problem), file=stream)
            if not interactive:
                break
            del answers[key]
    problems = scaffold.problems(answers, draft=draft)
    for problem in problems:
        print(scaffold.message(problem), file=stream)
    if any(p.severity == "error" for p in problems):
        print(gettext(N_("Nothing was written."), scaffold.lang), file=stream)
        return 2
    slug = _slugify(answers["title"], settings)
    folder = os.path.join(settings["PATH"], kind.folder(settings))
    path = os.path.join(folder, f"{slug}.md")
    if os.path.exists(path):
        print(gettext(N_("{path} already exists; nothing was written. Choose another title or edit that file."),
                      scaffold.lang).format(path=os.path.relpath(path)), file=stream)
        return 1
    os.makedirs(folder, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(render({**answers, "slug": slug, "lang": scaffold.site.default_lang},
                            scaffold.site.today.isoformat(), draft, kind, scaffold.lang))
    print(gettext(N_("Wrote {path}. Write the description in it, then run make check."), scaffold.lang)
          .format(path=os.path.relpath(path)), file=stream)
    return 0


def _applies(key: str, answers: dict) -> bool:
    """Until only for a weekly series, How-to-register only when registration is required."""
    if key == "until":
        return answers.get("repeat", "").strip().lower() == "weekly"
    if key == "how-to-register":
        return answers.get("registration", "").strip().lower() == "required"
    return True


__all__ = ["new_activity", "new_item", "render", "Scaffold", "asked", "flag", "KIND_ALIASES"]
