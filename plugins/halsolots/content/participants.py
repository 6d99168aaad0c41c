"""How many came to each occasion: the communicators' records in `content/deltagare/*.yaml`, read and checked.

One entry per occasion (docs/guide-for-kommunikatorer.md, "Deltagare"):

    - activity: mindfulnesspromenad-slottsskogen
      date: 2026-11-03
      participants: 12
      newcomers: 4        # optional: how many of them came for the first time

The date must be an occasion of that activity that took place (not cancelled, not after "today"); a file named
after a year (2026.yaml) holds that year's occasions only. Every mistake is a Problem (`file:line: field:`),
all of them at once, for `make check` and the yearly report (followup/).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date

import yaml

from .activity import Activity
from .fields import NoSuchDate, parse_date
from .problems import N_, Problem
from .vocabulary import Term, Vocabularies, suggest

FOLDER = "deltagare"  # below the content folder; PARTICIPANTS_PATH changes it
FIELDS = ("activity", "date", "participants", "newcomers")
REQUIRED = ("activity", "date", "participants")
EXTENSIONS = (".yaml", ".yml")
_WHOLE = re.compile(r"^\d+$")
_YEAR = re.compile(r"^(\d{4})$")
# Every value a string (numbers and dates are read here, so "2026-02-30" or "12.5" is a message, not a traceback).
_Loader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)


@dataclass(frozen=True)
class Attendance:
    """One occasion's count, as recorded."""

    activity: Activity
    day: date
    participants: int
    newcomers: int | None
    path: str
    line: int


@dataclass
class Participants:
    records: list[Attendance] = field(default_factory=list)  # sorted by date, then activity
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def in_year(self, year: int) -> list[Attendance]:
        return [record for record in self.records if record.day.year == year]


def focus_area_of(activity: Activity, vocabularies: Vocabularies) -> Term | None:
    """The focus area an activity counts under: its own Focus-area, else its category's `focus-area`."""
    return activity.focus_area or vocabularies.focus_areas.get(activity.category.get("focus-area"))


def participant_files(content_path: str, settings: dict) -> list[str]:
    folder = os.path.join(content_path, settings.get("PARTICIPANTS_PATH", FOLDER))
    if not os.path.isdir(folder):
        return []
    return sorted(os.path.join(folder, name) for name in os.listdir(folder)
                  if name.endswith(EXTENSIONS) and not name.startswith("."))


def read_participants(content_path: str, settings: dict, activities: list[Activity], today: date) -> Participants:
    """Every record of every file, checked against the activities as read (drafts are no occasions)."""
    result = Participants()
    by_slug = {activity.slug: activity for activity in activities if not activity.draft}
    seen: dict[tuple[str, date], str] = {}
    for path in participant_files(content_path, settings):
        _read_file(path, by_slug, today, seen, result)
    result.records.sort(key=lambda record: (record.day, record.activity.slug))
    return result


def _load(path: str, problems: list[Problem]):
    try:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        loader = _Loader(source)
        try:
            return loader.get_single_node()
        finally:
            loader.dispose()
    except UnicodeDecodeError:
        problems.append(Problem.make(path, 1, "participants", N_("the file is not UTF-8 text"), N_("save it as UTF-8")))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problems.append(Problem.make(path, mark.line + 1 if mark else 1, "participants",
                                     N_("the file is not valid YAML: {error}"),
                                     N_("a list of entries, each starting with '- activity: …'"),
                                     error=getattr(error, "problem", error)))
    return None


def _read_file(path: str, by_slug: dict[str, Activity], today: date, seen: dict, result: Participants) -> None:
    problems = result.problems
    node = _load(path, problems)
    if node is None:
        return
    if not isinstance(node, yaml.SequenceNode):
        problems.append(Problem.make(path, node.start_mark.line + 1, "participants",
                                     N_("the file is not a list of entries"),
                                     N_("entries starting with '- activity: …'")))
        return
    year_match = _YEAR.match(os.path.splitext(os.path.basename(path))[0])
    file_year = int(year_match.group(1)) if year_match else None
    for entry in node.value:
        line = entry.start_mark.line + 1
        if not isinstance(entry, yaml.MappingNode):
            problems.append(Problem.make(path, line, "participants", N_("the entry is not a set of fields"),
                                         N_("activity, date and participants, each on its own line")))
            continue
        values: dict[str, tuple[str, int]] = {}
        for key_node, value_node in entry.value:
            key, key_line = str(key_node.value), key_node.start_mark.line + 1
            if key not in FIELDS:
                problems.append(Problem.make(path, key_line, key, N_("is not a field of a participant record"),
                                             N_("one of: {options}"), suggest(key, FIELDS), options=", ".join(FIELDS)))
                continue
            if not isinstance(value_node, yaml.ScalarNode):
                problems.append(Problem.make(path, key_line, key, N_("holds a list or a map, not one value"),
                                             N_("one value on the same line")))
                values[key] = ("", key_line)
                continue
            values[key] = (value_node.value.strip(), key_line)
        record = _record(path, line, values, by_slug, today, file_year, problems)
        if record is None:
            continue
        identity = (record.activity.slug, record.day)
        if identity in seen:
            problems.append(Problem.make(path, values["date"][1], "date",
                                         N_("{activity} on {day} is already recorded at {other}"),
                                         N_("one entry per occasion"), activity=record.activity.slug,
                                         day=record.day.isoformat(), other=seen[identity]))
            continue
        seen[identity] = f"{os.path.basename(path)}:{line}"
        result.records.append(record)


def _record(path, line, values, by_slug, today, file_year, problems) -> Attendance | None:
    before = len(problems)
    for key in REQUIRED:
        if not values.get(key, ("", 0))[0]:
            problems.append(Problem.make(path, values.get(key, ("", line))[1] or line, key, N_("is missing"),
                                         {"activity": N_("the activity's Slug, e.g. {example}"),
                                          "date": N_("the occasion's date, YYYY-MM-DD"),
                                          "participants": N_("how many came, a whole number such as 12")}[key],
                                         example="mindfulnesspromenad-slottsskogen"))
    activity = day = None
    slug, slug_line = values.get("activity", ("", line))
    if slug:
        activity = by_slug.get(slug)
        if activity is None:
            problems.append(Problem.make(path, slug_line, "activity", N_("'{value}' is not a known activity"),
                                         N_("the Slug of an activity in content/aktiviteter"),
                                         suggest(slug, by_slug), value=slug))
    text, date_line = values.get("date", ("", line))
    if text:
        try:
            day = parse_date(text)
        except NoSuchDate:
            problems.append(Problem.make(path, date_line, "date", N_("'{value}' is not a day of the calendar"),
                                         N_("a date that exists, YYYY-MM-DD"), value=text))
        except ValueError:
            problems.append(Problem.make(path, date_line, "date", N_("'{value}' is not a date"),
                                         N_("YYYY-MM-DD, e.g. {example}"), value=text, example="2026-11-03"))
    if day is not None and file_year is not None and day.year != file_year:
        problems.append(Problem.make(path, date_line, "date", N_("{day} is not in {year}, the year of the file"),
                                     N_("a date in {year}, or the entry in the file of its own year"),
                                     day=day.isoformat(), year=file_year))
    elif day is not None and day > today:
        problems.append(Problem.make(path, date_line, "date", N_("{day} is in the future"),
                                     N_("an occasion that has taken place (today is {today})"),
                                     day=day.isoformat(), today=today.isoformat()))
    elif day is not None and activity is not None:
        occasion = next((occ for occ in activity.occurrences if occ.day == day), None)
        if occasion is None:
            held = [occ.day.isoformat() for occ in activity.occurrences if not occ.cancelled and occ.day <= today]
            nearest = sorted(held, key=lambda other: abs((date.fromisoformat(other) - day).days))[:3]
            problems.append(Problem.make(path, date_line, "date", N_("{activity} has no occasion on {day}"),
                                         N_("one of its dates, e.g. {dates}") if nearest
                                         else N_("it has no occasion that has taken place"),
                                         activity=activity.slug, day=day.isoformat(), dates=", ".join(sorted(nearest))))
        elif occasion.cancelled:
            problems.append(Problem.make(path, date_line, "date", N_("{activity} was cancelled on {day}"),
                                         N_("an occasion that took place"), activity=activity.slug,
                                         day=day.isoformat()))
    participants = _count(path, values, "participants", problems)
    newcomers = _count(path, values, "newcomers", problems)
    if participants is not None and newcomers is not None and newcomers > participants:
        problems.append(Problem.make(path, values["newcomers"][1], "newcomers",
                                     N_("{newcomers} newcomers is more than the {participants} participants"),
                                     N_("at most as many as came"), newcomers=newcomers, participants=participants))
    if len(problems) > before or activity is None or day is None or participants is None:
        return None
    return Attendance(activity, day, participants, newcomers, path, line)


def _count(path: str, values: dict, key: str, problems: list[Problem]) -> int | None:
    text, key_line = values.get(key, ("", 0))
    if not text:
        return None
    if not _WHOLE.match(text):
        problems.append(Problem.make(path, key_line, key, N_("'{value}' is not a whole number of 0 or more"),
                                     N_("a whole number such as 12"), value=text))
        return None
    return int(text)
