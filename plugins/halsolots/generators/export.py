"""Open data: every published activity and its upcoming occasions as JSON, one file per site language.

Read from the same model as the pages and feeds, so referral tools (e.g. healthcare staff's) and the site
never disagree. `json.dumps` escapes what needs escaping; keys are sorted so rebuilds are byte-identical.
"""

from __future__ import annotations

import json
import os

from pelican.generators import Generator

from ..site import i18n
from .search import searchable
from ..site.site import get_site

JSON_PATH = "api/activities.json"


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


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)


def export_json(lang: str, today: str, record_texts: list[str]) -> str:
    """The file's text: exactly `json.dumps({"activities": […], "language", "today"}, indent=1, sort_keys=True)`
    plus a newline, assembled from each record's text (`record_text`) so a record is serialised once."""
    activities = "[\n" + ",\n".join(record_texts) + "\n ]" if record_texts else "[]"
    return f'{{\n "activities": {activities},\n "language": {_dumps(lang)},\n "today": {_dumps(today)}\n}}\n'


def record_text(record: dict) -> str:
    """A record as it stands in the file: two levels of indent in."""
    return "\n".join("  " + line for line in _dumps(record).split("\n"))


class ExportGenerator(Generator):
    def generate_output(self, writer):
        site = get_site(self.context)
        activities = [a for a in self.context.get("activities", []) if searchable(a, site.today)]
        for lang in writer.languages:
            def produce(lang=lang) -> str:
                with i18n.language(lang):
                    texts = [writer.memo(("export-record", lang, activity),
                                         lambda activity=activity: record_text(activity_record(activity, lang, site)))
                             for activity in activities]
                return export_json(lang, site.today.isoformat(), texts)

            writer.file(os.path.join(site.prefix(lang), JSON_PATH), lang, produce, values=("export", activities))
