"""The command line: `python -m halsolots build|serve|check|devserver|new-activity|guide` (argument parsing only).
"""

from __future__ import annotations

import argparse
import logging
from ..build.build import build
from .serve import serve


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="halsolots", description="Build, preview and check Hälsolots webb.")
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="build the site atomically into the output folder")
    build_cmd.add_argument("--settings", default="pelicanconf.py")
    build_cmd.add_argument("--output")
    build_cmd.add_argument("--today", help="build as if today were this date (YYYY-MM-DD)")
    build_cmd.add_argument("--debug", action="store_true")
    build_cmd.add_argument("--print-from", help="make the printed programmes (PRINT) from this date (YYYY-MM-DD)")
    build_cmd.add_argument("--print-to", help="… to this date (YYYY-MM-DD); without both, the coming season")
    serve_cmd = sub.add_parser("serve", help="serve the built site on 127.0.0.1")
    serve_cmd.add_argument("--output", default="output")
    serve_cmd.add_argument("--port", type=int, default=8000)
    from .check import add_subcommands

    add_subcommands(sub)  # check, new-activity, guide, devserver
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    if getattr(args, "func", None):
        return args.func(args)
    if args.command == "build":
        overrides = {"TODAY": args.today} if args.today else {}
        overrides["MESSAGES_LANG"] = args.lang  # content problems in Swedish unless --lang en
        if args.print_from or args.print_to:
            overrides.update(PRINT=True, PRINT_FROM=args.print_from, PRINT_TO=args.print_to)
        return build(args.settings, args.output, overrides, args.debug)
    if args.command == "serve":
        serve(args.output, args.port)
    return 0
