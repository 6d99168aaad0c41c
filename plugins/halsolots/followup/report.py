"""The yearly follow-up: participants and occasions from the content, visits, searches and subscriptions from the
access logs, written as CSV files and one printable Swedish page (`make uppfoljning`).

`make_report(settings, year, log_patterns, output)` reads the content as `make check` does, refuses records with
mistakes (the problems are returned, nothing is written), streams the logs and writes `output`.
"""

from __future__ import annotations

import csv
import io
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..content.participants import Attendance, focus_area_of, read_participants
from ..content.problems import Problem
from ..content.reading import read_activities
from ..site.site import Site
from .logs import log_files, read_lines
from .visits import SECTION_NAMES, SECTIONS, TERM_THRESHOLD, LogFigures, SiteMap, count_lines

TEMPLATE = os.path.join("followup", "report.html")  # in the theme's templates folder
NO_AREA = "Inget fokusområde"
TOP_PAGES = 20  # pages shown in the report (the CSV has every page)
LOCALE = "sv_SE"


@dataclass
class Row:
    """One line of a table and bar of its chart: a label and its numbers (the first one is drawn)."""

    label: str
    values: tuple[int, ...]
    code: bool = False  # a path or a term: shown as written


@dataclass
class Table:
    id: str
    title: str
    columns: tuple[str, ...]  # the label's heading, then one per value
    rows: list[Row] = field(default_factory=list)
    note: str = ""

    @property
    def largest(self) -> int:
        return max((row.values[0] for row in self.rows), default=0)


@dataclass
class Participation:
    """The year's occasions (held: not cancelled, not a draft, not after today) and recorded participants."""

    activities: dict  # slug → Activity (drafts left out)
    held: dict  # slug → number of occasions held in the year
    records: list[Attendance]
    titles: dict  # slug → Swedish title
    areas: dict  # slug → focus-area Term or None


def held_occasions(activity, year: int, today: date) -> list:
    return [occ for occ in activity.occurrences if occ.day.year == year and not occ.cancelled and occ.day <= today]


def participation(settings: dict, year: int, site: Site) -> tuple[Participation | None, list[Problem]]:
    """The content read as `make check` reads it; None and the errors when anything is wrong."""
    path = settings["PATH"]
    sources = read_activities(path, settings, site)
    if sources.errors:
        return None, sources.errors
    records = read_participants(path, settings, sources.activities, site.today)
    if records.errors:
        return None, records.errors
    activities = {activity.slug: activity for activity in sources.activities if not activity.draft}
    held = {slug: len(held_occasions(activity, year, site.today)) for slug, activity in activities.items()}
    titles = {slug: sources.text_files[slug][0][1].text("title") for slug in activities}
    areas = {slug: focus_area_of(activity, site.vocabularies) for slug, activity in activities.items()}
    return Participation(activities, {slug: n for slug, n in held.items() if n}, records.in_year(year), titles,
                         areas), []


def _participation_tables(facts: Participation, site: Site, year: int) -> list[Table]:
    """Participants and occasions held by focus area, target group, district and month."""
    people: Counter = Counter()
    for record in facts.records:
        people[record.activity.slug] += record.participants
    counted = sorted(set(facts.held) | set(people))

    def grouped(terms_of, vocabulary, other: str | None = None) -> list[Row]:
        occasions, came = Counter(), Counter()
        for slug in counted:
            for term_id in terms_of(facts.activities[slug]) or ([other] if other else []):
                occasions[term_id] += facts.held.get(slug, 0)
                came[term_id] += people[slug]
        ids = [term.id for term in vocabulary] + ([other] if other and other in occasions else [])
        return [Row(vocabulary[term_id].label.get("sv") if term_id in vocabulary else term_id,
                    (came[term_id], occasions[term_id])) for term_id in ids]

    def area(activity):
        found = facts.areas.get(activity.slug)
        return [found.id] if found else []

    months_came, months_held = Counter(), Counter()
    for record in facts.records:
        months_came[record.day.month] += record.participants
    for activity in facts.activities.values():
        for occ in held_occasions(activity, year, site.today):
            months_held[occ.day.month] += 1
    vocabularies = site.vocabularies
    shared = "En aktivitet för flera målgrupper eller områden räknas under var och en av dem."
    return [
        Table("fokusomrade", "Deltagare per fokusområde", ("Fokusområde", "Deltagare", "Tillfällen"),
              grouped(area, vocabularies.focus_areas, NO_AREA)),
        Table("malgrupp", "Deltagare per målgrupp", ("Målgrupp", "Deltagare", "Tillfällen"),
              grouped(lambda a: [t.id for t in a.target_groups], vocabularies.target_groups), shared),
        Table("omrade", "Deltagare per område", ("Område", "Deltagare", "Tillfällen"),
              grouped(lambda a: [t.id for t in a.districts], vocabularies.districts), shared),
        Table("manad", "Deltagare per månad", ("Månad", "Deltagare", "Tillfällen"),
              [Row(month_name(year, month), (months_came[month], months_held[month])) for month in range(1, 13)]),
    ]


def month_name(year: int, month: int) -> str:
    return format_date(date(year, month, 1), "LLLL", locale=LOCALE).capitalize()


def number(value: int) -> str:
    return format_decimal(value, locale=LOCALE)


# --- CSV ------------------------------------------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A spreadsheet runs a cell that starts like a formula: a search term typed by anyone must stay text."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def write_csv(path: str, header: tuple[str, ...], rows) -> None:
    """UTF-8 with a byte-order mark (so Excel reads å, ä, ö), comma-separated, CRLF (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write(buffer.getvalue())


# --- the whole report -----------------------------------------------------------------------------------------


@dataclass
class Report:
    year: int
    problems: list[Problem]
    files: list[str] = field(default_factory=list)
    logs: LogFigures | None = None
    unreadable: list[str] = field(default_factory=list)  # log files that could not be opened


def make_report(settings: dict, year: int, log_patterns: list[str] | None, output: str) -> Report:
    site = Site(settings)
    facts, problems = participation(settings, year, site)
    if facts is None:
        return Report(year, problems)
    logs = None
    files = log_files(log_patterns or [])
    unreadable: list[str] = []
    if log_patterns:
        logs = count_lines(read_lines(files, unreadable), year, SiteMap(site, settings))
    os.makedirs(output, exist_ok=True)
    written = _write(output, year, site, facts, logs, [path for path in files if path not in unreadable], settings)
    return Report(year, [], written, logs, unreadable)


def _write(output: str, year: int, site: Site, facts: Participation, logs: LogFigures | None, files: list[str],
           settings: dict) -> list[str]:
    written = []

    def csv_file(name, header, rows):
        write_csv(os.path.join(output, name), header, rows)
        written.append(name)

    participant_tables = _participation_tables(facts, site, year)
    csv_file("deltagare.csv", ("activity", "date", "participants"),
             [(r.activity.slug, r.day.isoformat(), r.participants) for r in facts.records])
    for table, name, column in zip(participant_tables, ("fokusomrade", "malgrupp", "omrade", "manad"),
                                   ("focus_area", "target_group", "district", "month")):
        rows = [(row.label if name != "manad" else f"{year}-{index:02d}", *row.values)
                for index, row in enumerate(table.rows, start=1)]
        csv_file(f"deltagare-per-{name}.csv", (column, "participants", "occasions"), rows)
    people = Counter()
    newcomers = Counter()
    for record in facts.records:
        people[record.activity.slug] += record.participants
        newcomers[record.activity.slug] += record.newcomers or 0
    slugs = sorted(set(facts.held) | set(people))
    activity_rows = [(slug, facts.titles.get(slug, slug),
                      facts.areas[slug].label.get("sv") if facts.areas.get(slug) else NO_AREA,
                      facts.held.get(slug, 0), sum(1 for r in facts.records if r.activity.slug == slug),
                      people[slug], newcomers[slug]) for slug in slugs]
    csv_file("aktiviteter.csv", ("activity", "title", "focus_area", "occasions", "recorded_occasions",
                                 "participants", "newcomers"), activity_rows)
    log_tables = []
    if logs is not None:
        months = [f"{year}-{month:02d}" for month in range(1, 13)]
        pages = sorted(logs.pages.items(), key=lambda item: (-item[1], item[0]))
        csv_file("besok-per-sida.csv", ("path", "visits"), pages)
        csv_file("besok-per-manad.csv", ("month", "visits"), [(m, logs.months[m]) for m in months])
        csv_file("besok-per-avdelning.csv", ("section", "visits"),
                 [(SECTION_NAMES[s], logs.sections[s]) for s in SECTIONS])
        csv_file("besok-per-sprak.csv", ("language", "visits"), [(lang, logs.languages[lang]) for lang in site.languages])
        terms = logs.shown_terms()
        csv_file("sokningar.csv", ("term", "searches"), terms)
        csv_file("sokningar-per-manad.csv", ("month", "searches"), [(m, logs.searches[m]) for m in months])
        feeds = sorted(logs.subscribers.items(), key=lambda item: (-item[1], item[0]))
        csv_file("prenumerationer.csv", ("feed", "subscribers", "requests"),
                 [(feed, count, logs.feed_requests[feed]) for feed, count in feeds])
        log_tables = [
            Table("besok-manad", "Besök per månad", ("Månad", "Besök"),
                  [Row(month_name(year, i), (logs.months[m],)) for i, m in enumerate(months, start=1)]),
            Table("besok-avdelning", "Besök per del av webbplatsen", ("Del", "Besök"),
                  [Row(SECTION_NAMES[s], (logs.sections[s],)) for s in SECTIONS]),
            Table("besok-sprak", "Besök per språk", ("Språk", "Besök"),
                  [Row({"sv": "Svenska", "en": "Engelska"}.get(lang, lang), (logs.languages[lang],))
                   for lang in site.languages]),
            Table("besok-sida", f"De {min(TOP_PAGES, len(pages))} mest besökta sidorna", ("Sida", "Besök"),
                  [Row(path, (count,), code=True) for path, count in pages[:TOP_PAGES]],
                  "Alla sidor finns i besok-per-sida.csv."),
            Table("sok-manad", "Sökningar per månad", ("Månad", "Sökningar"),
                  [Row(month_name(year, i), (logs.searches[m],)) for i, m in enumerate(months, start=1)]),
            Table("sokord", "Vanligaste sökorden", ("Sökord", "Sökningar"),
                  [Row(term, (count,), code=True) for term, count in terms[:TOP_PAGES]],
                  f"Ett sökord visas bara när minst {TERM_THRESHOLD} sökningar använde det."),
            Table("prenumerationer", "Kalenderprenumerationer", ("Kalender", "Ungefär antal prenumeranter"),
                  [Row(feed, (count,), code=True) for feed, count in feeds[:TOP_PAGES]],
                  "Uppskattning: olika kalenderprogram som hämtar kalendern en genomsnittlig dag."),
        ]
    environment = Environment(loader=FileSystemLoader(os.path.join(settings.get("THEME", "theme"), "templates")),
                              autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
    environment.filters["number"] = number
    totals = {
        "held": sum(facts.held.values()),
        "recorded": len(facts.records),
        "participants": sum(r.participants for r in facts.records),
        "newcomers": sum(r.newcomers or 0 for r in facts.records),
        "activities": len(set(facts.held) | set(people)),
    }
    html = environment.get_template(TEMPLATE).render(
        year=year, today=site.today, totals=totals, participant_tables=participant_tables, log_tables=log_tables,
        logs=logs, log_files=[os.path.basename(path) for path in files], threshold=TERM_THRESHOLD,
        activity_rows=activity_rows, csv_files=sorted(written),
        today_text=format_date(site.today, "d MMMM y", locale=LOCALE))
    with open(os.path.join(output, "index.html"), "w", encoding="utf-8") as handle:
        handle.write(html)
    written.append("index.html")
    return written
