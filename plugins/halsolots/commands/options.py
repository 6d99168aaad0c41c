"""Options every command that reads the settings shares."""

from __future__ import annotations

import os

from ..build.build import SITE_VARIABLE


def add_settings_arguments(cmd, default: str = "pelicanconf.py") -> None:
    cmd.add_argument("--settings", default=default)
    cmd.add_argument("--site", help="another site of the repository: its folder name in sites/ (e.g. sodra-alvsborg) "
                     "or the path of a site's folder; default: the settings file's own site")


def choose_site(args) -> None:
    """`--site`: every load of the settings in this process (builds, checks, the devserver's rebuilds) is that site's."""
    if getattr(args, "site", None):
        os.environ[SITE_VARIABLE] = args.site
