"""Options every command that reads the settings shares."""

from __future__ import annotations

import contextlib
import os

from ..build.build import SITE_VARIABLE


def add_settings_arguments(cmd, default: str = "pelicanconf.py") -> None:
    cmd.add_argument("--settings", default=default)
    cmd.add_argument("--site", help="another site of the repository: its folder name in sites/ (e.g. sodra-alvsborg) "
                     "or the path of a site's folder; default: the settings file's own site")


@contextlib.contextmanager
def choose_site(args):
    """`--site`: while the command runs, every load of the settings (builds, checks, the devserver's rebuilds) is
    that site's."""
    site = getattr(args, "site", None)
    if not site:
        yield
        return
    before = os.environ.get(SITE_VARIABLE)
    os.environ[SITE_VARIABLE] = site
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SITE_VARIABLE, None)
        else:
            os.environ[SITE_VARIABLE] = before
