"""Open data: every published activity and its upcoming occasions as JSON, one file per site language.

Version 1 (api/v1/activities.json, docs/open-data.md) has absolute URLs, each activity's .ics, a plain-text
description, when it last changed and the licence (CC0), with its JSON Schema beside it (api/v1/schema.json,
validated against every build by tests/test_export.py); api/activities.json keeps the first format.

Read from the same model as the pages and feeds, so referral tools (e.g. healthcare staff's) and the site
never disagree. `json.dumps` escapes what needs escaping; keys are sorted so rebuilds are byte-identical.
"""

from __future__ import annotations

import json
import os

from markupsafe import Markup
from pelican.generators import Generator

from ..site import i18n
from .feeds import changed_at
from .search import searchable
from ..site.site import get_site, public_base

JSON_PATH = "api/activities.json"  # the first format (site-relative URLs), kept for the tools that read it
V1_PATH = "api/v1/activities.json"
SCHEMA_PATH = "api/v1/schema.json"  # one, for every language: its JSON Schema (open_data_schema.json)
SCHEMA_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "open_data_schema.json")
LICENCE = {"name": "CC0-1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}


def activity_record(activity, lang: str, site) -> dict:
    text = activity.text(lang)
    venue = activity.venue
    return {
        "id": activity.slug,
        "url": site.url(lang, "activity", slug=activity.slug),
        "title": text.title,
        "text_language": text.lang,
        "status": activity.status,
        "organiser": activity.organiser,
        "partners": list(activity.partners),
        "registration": activity.registration,
        "how_to_register": text.how_to_register or activity.text(site.default_lang).how_to_register,
        "cost": "free",
        "languages": list(activity.languages),
        "sign_language_interpreted": activity.sign_language,
        "districts": [{"id": t.id, "label": t.label.get(lang)} for t in activity.districts],
        "target_groups": [{"id": t.id, "label": t.label.get(lang)} for t in activity.target_groups],
        "category": {"id": activity.category.id, "label": activity.category.label.get(lang)},
        "themes": [{"id": t.id, "label": t.label.get(lang)} for t in activity.themes],
        "venue": None if venue is None else {
            "id": venue.id, "name": venue.label.get(lang), "address": venue.get("address"),
            "postcode": venue.get("postcode"), "city": venue.get("city"), "geo": venue.get("geo"),
            "accessibility": list(venue.get("accessibility") or []),
        },
        "online": activity.online,
        "occurrences": [
            {"start": occ.start.isoformat(), "end": occ.end.isoformat(), "cancelled": occ.cancelled}
            for occ in activity.upcoming(site.today)
        ],
    }


def activity_record_v1(activity, lang: str, site) -> dict:
    """Version 1 (api/v1/, docs/open-data.md): absolute URLs, the .ics, plain-text description, when it last
    changed (as the feeds' LAST-MODIFIED) and the organiser's mailbox."""
    record = activity_record(activity, lang, site)
    base = public_base(site.settings)
    text = activity.text(lang)
    changed = changed_at(activity)
    record.update(
        url=f"{base}/{record['url']}",
        ics=f"{base}/{site.url(lang, 'calendar_activity', slug=activity.slug)}",
        description=Markup(text.summary).striptags() if text.summary else "",
        modified=changed.strftime("%Y-%m-%dT%H:%M:%SZ") if changed else None,
        organiser={"name": activity.organiser, "email": activity.organiser_email or None},
    )
    return record


def schema_json(site) -> str:
    """The shipped JSON Schema, with its own address as $id."""
    with open(SCHEMA_FILE, encoding="utf-8") as handle:
        schema = json.load(handle)
    schema["$id"] = f"{public_base(site.settings)}/{SCHEMA_PATH}"
    return _dumps(schema) + "\n"


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


def export_json(lang: str, today: str, record_texts: list[str]) -> str:
    """The file's text: exactly `json.dumps({"activities": […], "language", "today"}, indent=1, sort_keys=True)`
    plus a newline, assembled from each record's text (`record_text`) so a record is serialised once."""
    activities = "[\n" + ",\n".join(record_texts) + "\n ]" if record_texts else "[]"
    return f'{{\n "activities": {activities},\n "language": {_dumps(lang)},\n "today": {_dumps(today)}\n}}\n'


def export_json_v1(lang: str, today: str, record_texts: list[str], schema_url: str) -> str:
    """Version 1's file: exactly json.dumps of the whole (indent=1, sorted keys) plus a newline, assembled
    from each record's text like export_json."""
    activities = "[\n" + ",\n".join(record_texts) + "\n ]" if record_texts else "[]"
    rest = {"language": lang, "licence": LICENCE, "schema": schema_url, "today": today, "version": 1}
    lines = "".join(f',\n {_dumps(key)}: {_dumps(value).replace(chr(10), chr(10) + " ")}'
                    for key, value in sorted(rest.items()))
    return f'{{\n "activities": {activities}{lines}\n}}\n'


def record_text(record: dict) -> str:
    """A record as it stands in the file: two levels of indent in."""
    return "\n".join("  " + line for line in _dumps(record).split("\n"))


class ExportGenerator(Generator):
    def generate_output(self, writer):
        site = get_site(self.context)
        activities = [a for a in self.context.get("activities", []) if searchable(a, site.today)]
        schema_url = f"{public_base(site.settings)}/{SCHEMA_PATH}"
        for lang in writer.languages:
            def produce(lang=lang) -> str:
                with i18n.language(lang):
                    texts = [writer.memo(("export-record", lang, activity),
                                         lambda activity=activity: record_text(activity_record(activity, lang, site)))
                             for activity in activities]
                return export_json(lang, site.today.isoformat(), texts)

            writer.file(os.path.join(site.prefix(lang), JSON_PATH), lang, produce, values=("export", activities))

            def produce_v1(lang=lang) -> str:
                with i18n.language(lang):
                    texts = [writer.memo(("export-record-v1", lang, activity, activity.changed),
                                         lambda activity=activity: record_text(activity_record_v1(activity, lang,
                                                                                                  site)))
                             for activity in activities]
                return export_json_v1(lang, site.today.isoformat(), texts, schema_url)

            changes = [activity.changed for activity in activities]  # not in the files' digests
            writer.file(os.path.join(site.prefix(lang), V1_PATH), lang, produce_v1,
                        values=("export-v1", activities, changes))
        writer.file(SCHEMA_PATH, None, lambda: schema_json(site), values=())
