"""The communicators' commands: `check`, `new-activity`, `guide` and `devserver` (added to cli.py's parser).

Output is in plain Swedish unless `--lang en` is given; the wording comes from the plugin's catalogue
(messages.py), the same one the build's error report uses.
"""

from __future__ import annotations

import os
import sys
import time

from ..content.checks import run_checks
from ..content.reading import format_problem
from ..content.messages import gettext, nmessage, normalise
from ..content.problems import N_, ContentError
from ..site.tokens import site_tokens
from .options import add_settings_arguments


def add_subcommands(sub) -> None:
    """Add the commands to cli.main's subparsers; each sets `func` (args → exit code)."""
    check_cmd = sub.add_parser("check", help="check all content without building (same checks as the build)")
    add_settings_arguments(check_cmd)
    check_cmd.add_argument("--today", help="check as if today were this date (YYYY-MM-DD)")
    check_cmd.add_argument("--lang", default="sv", help="language of the messages: sv (default) or en")
    check_cmd.set_defaults(func=lambda args: check(args.settings, args.lang, _today(args)))

    from . import devserver
    from . import guide
    from . import scaffold
    from . import deploy
    from . import editor
    from . import translations
    from . import followup

    followup.add_subcommand(sub)
    editor.add_subcommand(sub)
    translations.add_subcommand(sub)
    scaffold.add_subcommand(sub)
    guide.add_subcommand(sub)
    devserver.add_subcommand(sub)
    deploy.add_subcommand(sub)
    build_cmd = sub.choices.get("build")
    if build_cmd is not None:
        build_cmd.add_argument("--lang", default="sv", help="language of content problems: sv (default) or en")


def _today(args) -> dict:
    return {"TODAY": args.today} if getattr(args, "today", None) else {}


def check(settings_file: str = "pelicanconf.py", lang: str | None = "sv", overrides: dict | None = None,
          stream=None) -> int:
    """Validate every kind of content; print errors and warnings; exit code 2 when there are errors."""
    from ..build.build import load_settings

    stream = stream or sys.stdout
    lang = normalise(lang)
    started = time.perf_counter()
    settings = load_settings(settings_file, overrides or {})
    problems = run_checks(settings)
    try:
        site_tokens(settings["THEME"], settings)  # the site's colours, checked as the build checks them
    except ContentError as error:
        problems += error.problems
    # Paths as typed from the project folder (content/aktiviteter/x.md); content elsewhere keeps its full path.
    cwd = os.getcwd()
    root = cwd if os.path.abspath(settings["PATH"]).startswith(cwd + os.sep) else None
    for problem in problems:
        print(format_problem(problem, root, lang), file=stream)
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    if errors:
        print(nmessage("{count} error must be fixed before the site can be published.",
                       "{count} errors must be fixed before the site can be published.", errors, lang)
              .format(count=errors), file=stream)
    else:
        print(gettext(N_("No errors: the content can be published."), lang), file=stream)
    if warnings:
        print(nmessage("{count} warning: worth a look, but it does not stop publishing.",
                       "{count} warnings: worth a look, but they do not stop publishing.", warnings, lang)
              .format(count=warnings), file=stream)
    print(gettext(N_("Checked in {seconds} seconds."), lang).format(seconds=f"{time.perf_counter() - started:.2f}"),
          file=stream)
    return 2 if errors else 0
