"""Open data: every published activity and its upcoming occasions as JSON, one file per site language.

Read from the same model as the pages and feeds, so referral tools (e.g. healthcare staff's) and the site
never disagree. `json.dumps` escapes what needs escaping; keys are sorted so rebuilds are byte-identical.
"""

from __future__ import annotations

import json
import os

from pelican.generators import Generator

from . import i18n
from .parallel import ShardedOutput, mine
from .site import get_site

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


class ExportGenerator(ShardedOutput, Generator):
    def write_output(self, writer):
        site = get_site(self.context)
        activities = [a for a in self.context.get("activities", []) if not a.draft and not a.is_past(site.today)]
        for lang in site.languages:
            if not mine(lang):
                continue
            with i18n.language(lang):
                records = [activity_record(a, lang, site) for a in activities]
            path = os.path.join(self.output_path, site.prefix(lang), JSON_PATH)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            payload = {"language": lang, "today": site.today.isoformat(), "activities": records}
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(payload, handle, ensure_ascii=False, sort_keys=True, indent=1)
                handle.write("\n")
