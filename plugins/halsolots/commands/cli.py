"""The command line: `python -m halsolots build|serve|check|devserver|new-activity|guide` (argument parsing only).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

from ..build.build import build, build_all
from ..content.problems import ContentError
from .serve import serve
from .options import add_settings_arguments, choose_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="halsolots", description="Build, preview and check Hälsolots webb.")
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="build the site atomically into the output folder")
    add_settings_arguments(build_cmd)
    build_cmd.add_argument("--output")
    build_cmd.add_argument("--today", help="build as if today were this date (YYYY-MM-DD)")
    build_cmd.add_argument("--debug", action="store_true")
    build_cmd.add_argument("--print-from", help="make the printed programmes (PRINT) from this date (YYYY-MM-DD)")
    build_cmd.add_argument("--print-to", help="… to this date (YYYY-MM-DD); without both, the coming season")
    all_cmd = sub.add_parser("publish-all", help="build every site of the repository, each into <into>/<site id>/")
    all_cmd.add_argument("--settings", default="publishconf.py")
    all_cmd.add_argument("--into", default="public")
    all_cmd.add_argument("--lang", default="sv", help="language of content problems: sv (default) or en")
    all_cmd.add_argument("--today", help="build as if today were this date (YYYY-MM-DD)")
    serve_cmd = sub.add_parser("serve", help="serve the built site on 127.0.0.1")
    serve_cmd.add_argument("--output", default="output")
    serve_cmd.add_argument("--port", type=int, default=8000)
    from .check import add_subcommands

    add_subcommands(sub)  # check, new-activity, guide, devserver
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    try:
        with choose_site(args):
            return _run(args)
    except ContentError as error:  # e.g. a site's settings.yaml: the same plain lines as content problems
        error.root = error.root or os.getcwd()
        print(error.report(getattr(args, "lang", None)), file=sys.stderr)
        return error.exitcode


def _run(args) -> int:
    if getattr(args, "func", None):
        return args.func(args)
    if args.command == "build":
        overrides = {"TODAY": args.today} if args.today else {}
        overrides["MESSAGES_LANG"] = args.lang  # content problems in Swedish unless --lang en
        if args.print_from or args.print_to:
            overrides.update(PRINT=True, PRINT_FROM=args.print_from, PRINT_TO=args.print_to)
        return build(args.settings, args.output, overrides, args.debug)
    if args.command == "publish-all":
        return build_all(args.settings, args.into, {"TODAY": args.today} if args.today else {}, args.lang)
    if args.command == "serve":
        serve(args.output, args.port)
    return 0
