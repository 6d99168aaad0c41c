"""`make check`: every content kind read and validated exactly as the build reads it, without building."""

from __future__ import annotations

from .library import read_library
from .problems import Problem
from .reading import read_activities
from .settings import ContentSettings


def run_checks(settings: dict, names=None) -> list[Problem]:
    """Every kind's problems (errors and warnings, sorted) in settings['PATH']; `names` picks kinds."""
    facts = ContentSettings(settings)
    path = settings["PATH"]
    kinds = {"activities": lambda: read_activities(path, settings, facts).problems,
             "library": lambda: read_library(path, settings, facts).problems}
    problems: set[Problem] = set()
    for name, read in kinds.items():
        if names is None or name in names:
            problems.update(read())
    return sorted(problems)
