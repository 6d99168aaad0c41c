"""Helpers for the calendar feed tests: the site's own model of a content folder, which feed holds what,
strict RFC 5545 checks written independently of the icalendar library, and Mozilla ical.js via Node."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from datetime import timedelta
from pathlib import Path

from conftest import REPO
from halsolots.build import build as builder
from halsolots.content.activity import ActivityText
from halsolots.content.reading import read_activities
from halsolots.generators.feeds import FACETS, PAST_DAYS
from halsolots.site.site import Site

ICALJS_CHECKER = REPO / "tests" / "js" / "parse_ics.mjs"


class Model:
    """The activities of a content folder as the site's model reads them, and the feeds they belong in."""

    def __init__(self, content: Path | None, today: str, **overrides):
        """`content` None: the content folder of the site the overrides choose (SITE=<id>), as its build reads
        it (with the other sites' activities listed on it through Also-in)."""
        chosen = {} if content is None else {"PATH": str(content)}
        self.settings = builder.load_settings(str(REPO / "pelicanconf.py"), {**chosen, "TODAY": today, **overrides})
        self.site = Site(self.settings)
        sources = read_activities(str(self.settings["PATH"]), self.settings, self.site)
        assert not sources.errors, [str(p) for p in sources.errors]
        self.all = sources.activities
        self.published = [a for a in self.all if not a.draft]
        self.by_slug = {a.slug: a for a in self.all}
        # Texts straight from the headers (enough for titles; summaries are Markdown, not needed here).
        for activity in self.all:
            for _relative, header in sources.text_files[activity.slug]:
                lang = header.text("lang") or self.site.default_lang
                activity.texts[lang] = ActivityText(lang=lang, title=header.text("title"),
                                                    summary=header.text("summary"), body="",
                                                    how_to_register=header.text("how-to-register"),
                                                    cancellation_note=header.text("cancellation-note"))

    def in_feeds(self, activity) -> bool:
        keep = int(self.settings.get("CALENDAR_PAST_DAYS", PAST_DAYS))
        return activity.occurrences[-1].day >= self.site.today - timedelta(days=keep)

    def feed_contents(self) -> dict[str, set[str]]:
        """Site-relative path of every .ics the site must have → slugs of the activities it must hold."""
        site, expected = self.site, {}
        for lang in site.languages:
            expected[site.url(lang, "calendar_all")] = {a.slug for a in self.published if self.in_feeds(a)}
            for facet, vocabulary, kind in FACETS:
                for term in site.vocabularies[vocabulary]:
                    expected[site.url(lang, kind, id=term.id)] = {
                        a.slug for a in self.published if self.in_feeds(a) and term.id in a.term_ids[facet]}
            for district in site.vocabularies.districts:
                for group in site.vocabularies.target_groups:
                    expected[site.url(lang, "calendar_district_group", id=district.id, group=group.id)] = {
                        a.slug for a in self.published if self.in_feeds(a) and district.id in a.term_ids["districts"]
                        and group.id in a.term_ids["target_groups"]}
            for activity in self.published:
                expected[site.url(lang, "calendar_activity", slug=activity.slug)] = {activity.slug}
        return expected

    def occurrences(self, slug: str) -> list[tuple]:
        """(start, end, cancelled) of every occasion, exceptions excluded: what the site itself shows."""
        return [(o.start, o.end, o.cancelled) for o in self.by_slug[slug].occurrences]


def uid_slug(uid: str) -> str:
    return uid.split("@", 1)[0]


# --- strict RFC 5545 checks -----------------------------------------------------------------------------

_CONTENT_LINE = re.compile(r'^(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*)'
                           r'(?:,(?:"[^"]*"|[^";:,]*))*)*):(?P<value>.*)$', re.S)
_UTC = re.compile(r"^\d{8}T\d{6}Z$")


def unfold(data: bytes) -> list[str]:
    return data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "").split("\r\n")[:-1]


def rfc5545_problems(data: bytes) -> list[str]:
    """Everything in an .ics that breaks RFC 5545 (or what real clients rely on); empty when it is fine."""
    problems = []
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    physical = data.split(b"\r\n")[:-1]
    for number, line in enumerate(physical, 1):
        if b"\n" in line or b"\r" in line:
            problems.append(f"line {number}: bare CR or LF")
        if len(line) > 75:
            problems.append(f"line {number}: {len(line)} octets (more than 75)")
        if not line:
            problems.append(f"line {number}: empty line")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number}: folding splits a UTF-8 character")
    if problems:
        return problems

    stack, components, current = [], [], None
    for line in unfold(data):
        match = _CONTENT_LINE.match(line)
        if not match:
            problems.append(f"not a content line: {line!r}")
            continue
        name, value = match["name"].upper(), match["value"]
        params = dict(re.findall(r";([A-Za-z0-9-]+)=((?:\"[^\"]*\"|[^;:]*))", match["params"]))
        if name == "BEGIN":
            current = {"name": value.upper(), "props": [], "parent": stack[-1]["name"] if stack else None}
            stack.append(current)
            components.append(current)
        elif name == "END":
            if not stack or stack[-1]["name"] != value.upper():
                problems.append(f"END:{value} does not close {stack[-1]['name'] if stack else 'anything'}")
                return problems
            stack.pop()
        elif not stack:
            problems.append(f"{name} outside any component")
        else:
            stack[-1]["props"].append((name, {k.upper(): v for k, v in params.items()}, value))
    if stack:
        problems.append(f"{stack[-1]['name']} is never closed")
    if [c["name"] for c in components if c["parent"] is None] != ["VCALENDAR"]:
        problems.append("not exactly one VCALENDAR at the top")
        return problems

    def props(component, name):
        return [p for p in component["props"] if p[0] == name]

    calendar = components[0]
    for name in ("PRODID", "VERSION"):
        if len(props(calendar, name)) != 1:
            problems.append(f"VCALENDAR needs exactly one {name}")
    if [p[2] for p in props(calendar, "VERSION")] != ["2.0"]:
        problems.append("VERSION is not 2.0")
    if not any(c["parent"] == "VCALENDAR" for c in components):
        problems.append("VCALENDAR has no component")

    defined = {p[2] for c in components if c["name"] == "VTIMEZONE" for p in props(c, "TZID")}
    used = {params["TZID"] for c in components for _n, params, _v in c["props"] if "TZID" in params}
    for tzid in sorted(used - defined):
        problems.append(f"TZID {tzid} has no VTIMEZONE")
    for c in components:
        if c["name"] == "VTIMEZONE" and not any(x["parent"] == "VTIMEZONE" for x in components):
            problems.append("VTIMEZONE without STANDARD/DAYLIGHT")

    events = [c for c in components if c["name"] == "VEVENT"]
    keys, masters = Counter(), set()
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART"):
            if len(props(event, name)) != 1:
                problems.append(f"VEVENT needs exactly one {name}")
        for name in ("DTSTAMP", "LAST-MODIFIED"):
            for _n, _p, value in props(event, name):
                if not _UTC.match(value):
                    problems.append(f"{name} {value} is not a UTC date-time")
        uid = props(event, "UID")[0][2] if props(event, "UID") else ""
        recurrence = props(event, "RECURRENCE-ID")
        keys[(uid, recurrence[0][2] if recurrence else None)] += 1
        if not recurrence:
            masters.add(uid)
        starts = props(event, "DTSTART")
        for _n, _p, rule in props(event, "RRULE"):
            until = re.search(r"UNTIL=([^;]+)", rule)
            if until and starts and "TZID" in starts[0][1] and not _UTC.match(until.group(1)):
                problems.append(f"RRULE UNTIL {until.group(1)} must be UTC when DTSTART has a TZID")
        if props(event, "DTEND") and props(event, "DURATION"):
            problems.append("VEVENT has both DTEND and DURATION")
    for (uid, recurrence), count in keys.items():
        if count > 1:
            problems.append(f"UID {uid} {'(' + recurrence + ') ' if recurrence else ''}occurs {count} times")
        if recurrence and uid not in masters:
            problems.append(f"override of {uid} without its series")
    return problems


# --- Mozilla ical.js ------------------------------------------------------------------------------------

def icaljs(paths: list[Path]) -> dict[str, dict]:
    """What ical.js (run with Node) makes of each file: calendar name and expanded occurrences."""
    if not (REPO / "node_modules" / "ical.js").is_dir():
        raise AssertionError("ical.js is not installed: run `make browser-deps` (npm ci) first")
    result = subprocess.run(["node", str(ICALJS_CHECKER), *map(str, paths)], capture_output=True, text=True,
                            cwd=REPO, timeout=300)
    assert result.stdout, result.stderr
    parsed = json.loads(result.stdout)
    errors = {path: value["error"] for path, value in parsed.items() if "error" in value}
    assert result.returncode == 0 and not errors, errors or result.stderr
    return parsed

