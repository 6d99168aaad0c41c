"""`python -m halsolots new-activity` (make ny-aktivitet): asks for an activity's facts and writes a correct file.

Every answer is checked with the build's own validation (ActivityParser) as soon as it is given, and the
finished header is validated once more before anything is written. Flags answer questions up front;
with --no-input nothing is asked (for tests and scripts).
"""

from __future__ import annotations

import os
import sys

from ..content.activity import FIELD_NAMES, REGISTRATION_VALUES, VOCABULARY_FIELDS, ActivityParser
from ..content.messages import gettext, normalise
from ..content.problems import N_, ProblemCollector
from ..content.source import parse_header

# (key, question, flag help); asked in this order, so a field's dependencies (Start before End) come first.
QUESTIONS = (
    ("title", N_("Title (the activity's name)"), "the activity's name"),
    ("summary", N_("Summary (one or two sentences for listings)"), "one or two sentences"),
    ("start", N_("Start: date and time of the first occasion (YYYY-MM-DD HH:MM)"), "e.g. 2027-02-03 10:00"),
    ("end", N_("End: end time (HH:MM)"), "e.g. 11:00"),
    ("repeat", N_("Repeat: write weekly for a weekly series, leave empty for a single occasion"), "weekly or empty"),
    ("until", N_("Until: date of the last occasion (YYYY-MM-DD)"), "last date of a weekly series"),
    ("venue", N_("Venue ({options}, or online)"), "a venue id or online"),
    ("districts", N_("Districts, separated by commas ({options})"), "district ids"),
    ("groups", N_("Groups (target groups), separated by commas ({options})"), "target group ids"),
    ("category", N_("Category, exactly one ({options})"), "a category id"),
    ("organiser", N_("Organiser (who arranges it, e.g. Hälsolots Centrum)"), "who arranges it"),
    ("registration", N_("Registration ({options})"), "drop-in or required"),
    ("how-to-register", N_("How-to-register (phone number, e-mail or web address)"), "how to register"),
    ("languages", N_("Languages the activity is held in, e.g. sv, en"), "language codes"),
)
# The vocabulary whose ids a question lists (themes are not asked).
OPTIONS = {"venue": "venues", **VOCABULARY_FIELDS}


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("new-activity", help="write a new activity file, asking for its facts")
    cmd.add_argument("--settings", default="pelicanconf.py")
    cmd.add_argument("--lang", default="sv", help="language of questions and messages: sv (default) or en")
    cmd.add_argument("--no-input", action="store_true", help="ask nothing; fail on missing or wrong answers")
    cmd.add_argument("--draft", action="store_true", help="Status: draft (shown only in the preview)")
    cmd.add_argument("--today", help="the date for Modified (YYYY-MM-DD); default today")
    for key, _question, help_text in QUESTIONS:
        cmd.add_argument(f"--{key}", dest=key.replace("-", "_"), help=help_text)
    cmd.set_defaults(func=lambda args: new_activity_command(args))


def new_activity_command(args) -> int:
    from ..build.build import load_settings

    settings = load_settings(args.settings, {"TODAY": args.today} if args.today else {})
    answers = {key: getattr(args, key.replace("-", "_")) for key, _q, _h in QUESTIONS}
    answers = {key: value for key, value in answers.items() if value is not None}
    return new_activity(settings, answers, lang=args.lang, interactive=not args.no_input, draft=args.draft)


def _slugify(title: str, settings: dict) -> str:
    from pelican.utils import slugify

    return slugify(title, regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []))


def render(answers: dict, modified: str, draft: bool = False) -> str:
    """The file's text: the header in the order of the demo content, then the description to write."""
    lines = [f"{FIELD_NAMES[key]}: {answers[key]}" for key in FIELD_NAMES if answers.get(key)]
    if draft:
        lines.append("Status: draft")
    lines.append(f"Modified: {modified}")
    body = ("Skriv här vad aktiviteten är, vem den passar och vad man behöver ta med sig. "
            "Skriv kort och enkelt.")
    return "\n".join(lines) + "\n\n" + body + "\n"


class Scaffold:
    """Validates answers with the build's parser, field by field."""

    def __init__(self, settings: dict, lang: str):
        from ..site.site import Site

        self.settings = settings
        self.site = Site(settings)
        self.lang = normalise(lang)
        self.parser = ActivityParser(self.site.vocabularies, self.site.languages, self.site.timezone)

    def problems(self, answers: dict, only: str | None = None, draft: bool = False) -> list:
        """Problems in the answers given so far; `only` limits them to one field (not 'is missing')."""
        text = render({**answers, "slug": "x", "lang": self.site.default_lang}, self.site.today.isoformat(), draft)
        header = parse_header(text)
        collector = ProblemCollector("(svar)", header)
        self.parser.parse("x", "(svar)", header, collector)
        found = collector.problems
        if only is not None:
            name = FIELD_NAMES[only]
            found = [p for p in found if p.field == name and p.message != "is missing"]
        return found

    def question(self, key: str, text: str) -> str:
        vocabulary = OPTIONS.get(key)
        options = ", ".join(self.site.vocabularies[vocabulary].ids()) if vocabulary else ""
        if key == "registration":
            options = " / ".join(REGISTRATION_VALUES)
        return gettext(text, self.lang).format(options=options)

    def message(self, problem) -> str:
        return problem.format(lang=self.lang).split(": ", 1)[1]


def new_activity(settings: dict, answers: dict, lang: str = "sv", interactive: bool = True, draft: bool = False,
                 ask=input, stream=None) -> int:
    """Ask for what `answers` lacks (unless not interactive), validate, write content/aktiviteter/<slug>.md."""
    stream = stream or sys.stdout
    scaffold = Scaffold(settings, lang)
    answers = dict(answers)
    for key, text, _help in QUESTIONS:
        if not _applies(key, answers):
            answers.pop(key, None)
            continue
        while True:
            if key not in answers:
                if not interactive:
                    break
                answers[key] = ask(scaffold.question(key, text) + ": ").strip()
            wrong = scaffold.problems(answers, only=key)
            if not wrong:
                break
            for problem in wrong:
                print(scaffold.message(problem), file=stream)
            if not interactive:
                break
            del answers[key]
    problems = scaffold.problems(answers, draft=draft)
    if problems:
        for problem in problems:
            print(scaffold.message(problem), file=stream)
        print(gettext(N_("Nothing was written."), scaffold.lang), file=stream)
        return 2
    slug = _slugify(answers["title"], settings)
    folder = os.path.join(settings["PATH"], settings.get("ACTIVITY_PATHS", ["aktiviteter"])[0])
    path = os.path.join(folder, f"{slug}.md")
    if os.path.exists(path):
        print(gettext(N_("{path} already exists; nothing was written. Choose another title or edit that file."),
                      scaffold.lang).format(path=os.path.relpath(path)), file=stream)
        return 1
    os.makedirs(folder, exist_ok=True)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(render({**answers, "slug": slug, "lang": scaffold.site.default_lang},
                            scaffold.site.today.isoformat(), draft))
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


__all__ = ["new_activity", "render", "Scaffold"]
