"""`make check`: every content kind read and validated exactly as the build reads it, without building."""

from __future__ import annotations

from .library import read_library
from .pages import read_pages
from .participants import read_participants
from .problems import Problem
from .reading import read_activities
from .settings import ContentSettings


def run_checks(settings: dict, names=None) -> list[Problem]:
    """Every kind's problems (errors and warnings, sorted) in settings['PATH']; `names` picks kinds."""
    facts = ContentSettings(settings)
    path = settings["PATH"]
    read: dict = {}

    def activities():  # read once for both the activities and the participant records that refer to them
        if "activities" not in read:
            read["activities"] = read_activities(path, settings, facts)
        return read["activities"]

    kinds = {"activities": lambda: activities().problems,
             "library": lambda: read_library(path, settings, facts).problems,
             "pages": lambda: read_pages(path, settings, facts).problems,  # news and pages (content/pages.py)
             # The yearly follow-up's records (content/deltagare): each date an occasion that took place.
             "participants": lambda: read_participants(path, settings, activities().activities, facts.today).problems}
    problems: set[Problem] = set()
    for name, kinds_read in kinds.items():
        if names is None or name in names:
            problems.update(kinds_read())
    return sorted(problems)
