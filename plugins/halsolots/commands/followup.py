"""`python -m halsolots uppfoljning --year 2027 [--logs GLOB …] [--output DIR]` (make uppfoljning): the yearly
follow-up report (followup/report.py). Argument parsing and what is printed only."""

from __future__ import annotations

import os
import sys

from ..content.messages import gettext, normalise
from ..content.problems import N_
from ..content.reading import format_problem
from .options import add_settings_arguments


def add_subcommand(sub) -> None:
    cmd = sub.add_parser("uppfoljning", aliases=["followup"],
                         help="the yearly follow-up: participants, visits, searches and subscriptions (CSV and HTML)")
    cmd.add_argument("--year", type=int, required=True, help="the calendar year, e.g. 2027")
    cmd.add_argument("--logs", nargs="*", default=[],
                     help="access-log files or glob patterns (plain or .gz), e.g. '/var/log/nginx/halsolots.access.log*'")
    cmd.add_argument("--output", help="the folder to write (default uppfoljning/<year>)")
    add_settings_arguments(cmd)
    cmd.add_argument("--today", help="as if today were this date (YYYY-MM-DD)")
    cmd.add_argument("--lang", default="sv", help="language of the messages: sv (default) or en")
    cmd.set_defaults(func=followup_command)


def followup_command(args, stream=None) -> int:
    from ..build.build import load_settings
    from ..followup.report import make_report

    stream = stream or sys.stdout
    lang = normalise(args.lang)
    settings = load_settings(args.settings, {"TODAY": args.today} if args.today else {})
    output = args.output or os.path.join("uppfoljning", str(args.year))
    patterns = [pattern for pattern in args.logs if pattern.strip()]
    report = make_report(settings, args.year, patterns, output)
    cwd = os.getcwd()
    root = cwd if os.path.abspath(settings["PATH"]).startswith(cwd + os.sep) else None
    if report.problems:
        for problem in report.problems:
            print(format_problem(problem, root, lang), file=stream)
        print(gettext(N_("Nothing was written: fix the problems above first (make check lists them)."), lang),
              file=stream)
        return 2
    logs = report.logs
    for path in report.unreadable:
        print(gettext(N_("Could not read the log file {path} (permissions?): it was left out."), lang)
              .format(path=path), file=stream)
    if patterns and logs is not None and not logs.lines:
        print(gettext(N_("No log lines were found in: {patterns}"), lang).format(patterns=" ".join(patterns)),
              file=stream)
    if logs is not None and logs.broken:
        print(gettext(N_("{count} log lines were in no known format and were skipped."), lang)
              .format(count=logs.broken), file=stream)
    print(gettext(N_("The follow-up for {year} is in {folder}/index.html ({count} files)."), lang)
          .format(year=args.year, folder=output, count=len(report.files)), file=stream)
    return 0
