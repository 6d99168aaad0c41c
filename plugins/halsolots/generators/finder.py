"""`FinderGenerator`: the programme finder's page (`/program/hitta/`, `/en/programme/find/`) and the compact data
its script filters (`…/hitta/aktiviteter.json` per language), loaded only when someone filters.

The finder's form (theme/components/programme-finder) is a plain GET form to the finder's page. Without
JavaScript the browser sends it with its button's name (`show=1`), and a server that reads the map this module
writes (`nginx-finder.conf`: deploy/nginx/halsolots.conf, commands/serve.py) answers with a 303 to the static page
of the choice: a district, group, category, language or district × group page; a choice that has none goes to
the page of its most specific part, whose note (`#finder-note`) says so. A host without the rule shows the finder's
page, which links to those pages. With JavaScript the form filters at once, on the page it is on, and the address
keeps the choice (without `show`, so a shared address opens the finder itself).
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

from pelican.generators import Generator

from ..site import i18n
from ..site.site import get_site, nginx_variable
from .activities import language_terms
from .contents import page_writer

# How far ahead the finder looks: a season (13 weeks from this Monday), so courses starting after the holidays are
# found too; the programme's week pages list everything.
FINDER_WEEKS = 13
# Where a time of day begins (local hour of the start): morning until 12, afternoon until 17, then evening.
AFTERNOON, EVENING = 12, 17


# The map's key, as nginx makes it from a request sent by the form's button (show=1): the path, the choices that
# have pages (in this order), then every other choice run together (empty when none was made).
SUBMIT = "show"
PAGE_CHOICES = ("district", "group", "category", "language")
OTHER_CHOICES = ("when", "day", "time", "registration", "sign", "access")
FINDER_KEY = "|".join(["$uri", *(f"$arg_{name}" for name in PAGE_CHOICES),
                       "".join(f"$arg_{name}" for name in OTHER_CHOICES)])
FINDER_MAP = "nginx-finder.conf"
NOTE_ID = "finder-note"


def groups_by_district(activities, site) -> dict[str, tuple[str, ...]]:
    """The target groups each district has upcoming activities for (in vocabulary order): the district × group
    pages ActivityGenerator writes (Programme.groups_in), without building a programme."""
    present: dict[str, set] = {}
    for activity in activities:
        if not activity.is_past(site.today):
            for district in activity.term_ids["districts"]:
                present.setdefault(district, set()).update(activity.term_ids["target_groups"])
    return {d.id: tuple(g.id for g in site.vocabularies.target_groups if g.id in present.get(d.id, ()))
            for d in site.vocabularies.districts}


def finder_targets(site, groups: dict[str, tuple[str, ...]], languages: list[str]) -> list[tuple[str, str]]:
    """(regex, target) of the map, in the order nginx tries them: whole choices with a page of their own, then
    prefixes (most specific first) answered by the page of part of the choice, with the note. `groups`: each
    district's groups with a page (groups_by_district); `languages`: the codes activities are held in."""
    vocab = site.vocabularies
    exact, partial = [], []
    for lang in site.languages:
        def page(kind, **values):
            return "/" + site.url(lang, kind, **values)

        start = f"/{site.url(lang, 'finder')}|"
        pages = [("|||", page("programme"))]
        pages += [(f"{d.id}|{group}||", page("district_group", id=d.id, group=group))
                  for d in vocab.districts for group in groups[d.id]]
        pages += [(f"{d.id}|||", page("district", id=d.id)) for d in vocab.districts]
        pages += [(f"|{g.id}||", page("target_group", id=g.id)) for g in vocab.target_groups]
        pages += [(f"||{c.id}|", page("category", id=c.id)) for c in vocab.categories]
        pages += [(f"|||{code}", page("activity_language", id=code)) for code in languages]
        exact += [(f"^{re.escape(start + choice)}\\|$", target) for choice, target in pages]
        # A prefix is the choice up to its last chosen part: what follows it may be anything.
        partial += [(f"^{re.escape(start + choice.rstrip('|'))}\\|", f"{target}#{NOTE_ID}")
                    for choice, target in pages[1:]]
        partial.append((f"^{re.escape(start)}", f"{pages[0][1]}#{NOTE_ID}"))
    return exact + partial


def nginx_finder_map(targets, variable: str = "halsolots_finder") -> str:
    """Two maps: a request without show=1 has the empty key, found in the hash at once; the others are tried as
    regexes in order (their keys are too long for nginx's default map hash anyway)."""
    lines = ["# Written by the build (generators/finder.py): do not edit. The finder's form without JavaScript → the",
             "# static page of the choice. deploy/nginx/halsolots.conf includes it in the http block (nginx reads it",
             "# when it (re)loads); commands/serve.py reads it per request. Never served.",
             f"map $arg_{SUBMIT} ${variable}_key {{", '    default "";', f'    "1" "{FINDER_KEY}";', "}",
             f"map ${variable}_key ${variable} {{", '    default "";', '    "" "";']
    lines += [f'    "~{regex}" "{target}";' for regex, target in targets]
    return "\n".join(lines + ["}"]) + "\n"


def horizon(today):
    """The first day the finder no longer lists: the Monday FINDER_WEEKS weeks after this week's."""
    return today - timedelta(days=today.weekday()) + timedelta(weeks=FINDER_WEEKS)


def time_of_day(hour: int) -> str:
    return "morning" if hour < AFTERNOON else "afternoon" if hour < EVENING else "evening"


def finder_data(activities, site, lang: str, memo=lambda values, produce: produce()) -> dict:
    """What the finder filters, in `lang`: each activity once (its facts as ids, what a result shows as text), and
    each day of the coming weeks with its occasions [activity index, time text, time of day, cancelled].
    `memo(values, produce)`: the writer's, so an activity's part is worked out again only when it changed."""
    today, end = site.today, horizon(site.today)
    parts = [memo(("finder-activity", lang, activity, today, end),
                  lambda activity=activity: _activity_part(activity, site, lang, today, end))
             for activity in activities]
    listed = [part for part in parts if part is not None]
    rows = sorted((order, index, row) for index, (_record, occasions) in enumerate(listed) for order, row in occasions)
    days = {}
    for _order, index, (day, *row) in rows:
        days.setdefault(day, []).append([index, *row])
    return {
        "base": site.settings.get("SITEURL") or "",
        "messages": {"count": count_messages(lang), "heading": i18n.gettext("Activities that match your choices"),
                     "none": i18n.gettext("No activities match your choices. Try fewer choices."),
                     "cancelled": i18n.gettext("Cancelled"), "today": i18n.gettext("Today")},
        "today": today.isoformat(),
        "activities": [record for record, _occasions in listed],
        "days": [[day.isoformat(), i18n.format_date(day), day.isoweekday(), items] for day, items in days.items()],
    }


def _activity_part(activity, site, lang: str, today, end):
    """(record, occasions) of an activity with occasions from `today` to `end`, else None; each occasion is
    (its place in date order, Occurrence.order, and [day, time text, time of day, cancelled])."""
    occurrences = [occ for occ in activity.occurrences if today <= occ.day < end]
    if not occurrences:
        return None
    text = activity.text(lang)
    venue = activity.venue
    record = {
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
    }
    occasions = [(occ.order,
                  [occ.day, i18n.format_time_range(occ.start, occ.end), time_of_day(occ.start.hour), int(occ.cancelled)])
                 for occ in occurrences]
    return record, occasions


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
                    return json.dumps(finder_data(activities, site, lang, writer.memo), ensure_ascii=False,
                                      sort_keys=True, separators=(",", ":")) + "\n"

            writer.file(site.url(lang, "finder_data"), lang, produce, values=("finder", activities))
            page_writer(self, writer, lang)("finder", "finder", finder_languages=languages)
        variable = nginx_variable(self.settings, "finder")  # the site's own (production.nginx_headers answers it)
        # Keyed by which pages exist, not by the activities: an edit of a text leaves the map as it is.
        groups, codes = groups_by_district(activities, site), [term.id for term in languages]
        writer.file(FINDER_MAP, None, lambda: nginx_finder_map(finder_targets(site, groups, codes), variable),
                    values=("finder-map", variable, groups, codes))

