"""`FinderGenerator`: the programme finder's page (`/program/hitta/`, `/en/programme/find/`) and the compact data
its script filters (`…/hitta/aktiviteter.json` per language), loaded only when someone filters.

The finder's form (theme/components/programme-finder) is a plain GET form to the finder's page, so it answers
with a real page without JavaScript too: that page then links to the static district, group, category and
language pages. With JavaScript the form filters at once, on the page it is on, and the address keeps the choice.
"""

from __future__ import annotations

import json
from datetime import timedelta

from pelican.generators import Generator

from ..site import i18n
from ..site.site import get_site
from .activities import language_terms
from .contents import page_writer

# How far ahead the finder looks: a season (13 weeks from this Monday), so courses starting after the holidays are
# found too; the programme's week pages list everything.
FINDER_WEEKS = 13
# Where a time of day begins (local hour of the start): morning until 12, afternoon until 17, then evening.
AFTERNOON, EVENING = 12, 17


def horizon(today):
    """The first day the finder no longer lists: the Monday FINDER_WEEKS weeks after this week's."""
    return today - timedelta(days=today.weekday()) + timedelta(weeks=FINDER_WEEKS)


def time_of_day(hour: int) -> str:
    return "morning" if hour < AFTERNOON else "afternoon" if hour < EVENING else "evening"


def finder_data(activities, site, lang: str) -> dict:
    """What the finder filters, in `lang`: each activity once (its facts as ids, what a result shows as text), and
    each day of the coming weeks with its occasions [activity index, time text, time of day, cancelled]."""
    today, end = site.today, horizon(site.today)
    listed = [a for a in activities if any(today <= occ.day < end for occ in a.occurrences)]
    index = {a.slug: i for i, a in enumerate(listed)}
    records = []
    for activity in listed:
        text = activity.text(lang)
        venue = activity.venue
        records.append({
            "u": site.url(lang, "activity", slug=activity.slug),
            "t": text.title,
            **({"tl": text.lang} if text.lang != lang else {}),
            "w": (i18n.gettext("Online") if venue is None else venue.label.get(lang)) + " · "
                 + i18n.labels(activity.districts),
            "d": list(activity.term_ids["districts"]),
            "g": list(activity.term_ids["target_groups"]),
            "c": activity.category.id,
            "l": list(activity.languages),
            "r": activity.registration,
            "s": int(activity.sign_language),
            "a": list(venue.get("accessibility") or []) if venue is not None else [],
        })
    occurrences = sorted((occ for a in listed for occ in a.occurrences if today <= occ.day < end),
                         key=lambda occ: (occ.start, occ.activity.slug))
    days = {}
    for occ in occurrences:
        days.setdefault(occ.day, []).append([index[occ.activity.slug], i18n.format_time_range(occ.start, occ.end),
                                             time_of_day(occ.start.hour), int(occ.cancelled)])
    return {
        "base": site.settings.get("SITEURL") or "",
        "messages": {"count": count_messages(lang), "heading": i18n.gettext("Activities that match your choices"),
                     "none": i18n.gettext("No activities match your choices. Try fewer choices."),
                     "cancelled": i18n.gettext("Cancelled"), "today": i18n.gettext("Today")},
        "today": today.isoformat(),
        "activities": records,
        "days": [[day.isoformat(), i18n.format_date(day), day.isoweekday(), items] for day, items in days.items()],
    }


def count_messages(lang: str) -> dict[str, str]:
    """'{count} occasions match' for every CLDR plural category of `lang`."""
    return i18n.plural_messages(lang, lambda n: i18n.ngettext("%(num)d occasion matches", "%(num)d occasions match", n))


class FinderGenerator(Generator):
    def generate_output(self, writer):
        site = get_site(self.context)
        activities = self.context.get("activities", [])
        languages = language_terms(activities, site)
        for lang in writer.languages:
            def produce(lang=lang) -> str:
                with i18n.language(lang):
                    return json.dumps(finder_data(activities, site, lang), ensure_ascii=False, sort_keys=True,
                                      separators=(",", ":")) + "\n"

            writer.file(site.url(lang, "finder_data"), lang, produce, values=("finder", activities))
            page_writer(self, writer, lang)("finder", "finder", finder_languages=languages)

