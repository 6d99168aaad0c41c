"""Event data for search engines and referral tools: schema.org `Event` JSON-LD on every activity page.

`activity_event_data(activity)` (a Jinja global, read by activity.html) gives the page's
`<script type="application/ld+json">`: one `Event` per upcoming occasion (at most MAX_EVENTS; an activity that
is over keeps its last occasion), in a `@graph`. It is data, not script: browsers never run it, so the
Content-Security-Policy's `script-src 'self'` does not apply to it (tests/test_event_data.py checks Chromium
reports no violation). Everything comes from the activity model, the settings and "today", which are in the
page's key, so a rebuild of unchanged content gives the same bytes.
"""

from __future__ import annotations

import json

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals

from ..site.site import get_site, public_base

MAX_EVENTS = 12  # occasions listed on one page: enough for a search engine, small enough for the page
SCHEMA = "https://schema.org/"


def event_graph(activity, lang: str, site) -> list[dict]:
    """The page's Event objects (plain JSON values) in `lang`."""
    if activity.draft:
        return []
    base = public_base(site.settings)
    text = activity.text(lang)
    page = f"{base}/{site.url(lang, 'activity', slug=activity.slug)}"
    occasions = activity.upcoming(site.today)[:MAX_EVENTS] or activity.occurrences[-1:]
    common = {
        "@type": "Event",
        "name": text.title,
        "url": page,
        "eventAttendanceMode": SCHEMA + ("OnlineEventAttendanceMode" if activity.online
                                         else "OfflineEventAttendanceMode"),
        "location": _location(activity, lang, page, site),
        "organizer": _organizer(activity, base),
        "isAccessibleForFree": True,
        "offers": {"@type": "Offer", "price": 0, "priceCurrency": site.settings.get("CURRENCY", "SEK"),
                   "availability": SCHEMA + "InStock", "url": page},
        "inLanguage": list(activity.languages),
    }
    description = Markup(text.summary).striptags() if text.summary else ""
    if description:
        common["description"] = description
    events = []
    for occ in occasions:
        event = dict(common)
        event["startDate"] = occ.start.isoformat()
        event["endDate"] = occ.end.isoformat()
        event["eventStatus"] = SCHEMA + ("EventCancelled" if occ.cancelled else "EventScheduled")
        events.append(event)
    return events


def _location(activity, lang: str, page: str, site) -> dict:
    if activity.online:
        return {"@type": "VirtualLocation", "url": page}
    venue = activity.venue
    address = {"@type": "PostalAddress"}
    for key, value in (("streetAddress", venue.get("address")), ("postalCode", venue.get("postcode")),
                       ("addressLocality", venue.get("city")),
                       ("addressCountry", venue.get("country") or site.settings.get("COUNTRY"))):
        if value:
            address[key] = str(value)
    place = {"@type": "Place", "name": venue.label.get(lang), "address": address}
    geo = venue.get("geo")
    if geo:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": float(geo[0]), "longitude": float(geo[1])}
    return place


def _organizer(activity, base: str) -> dict:
    organizer = {"@type": "Organization", "name": activity.organiser, "url": base + "/"}
    if activity.organiser_email:
        organizer["email"] = activity.organiser_email
    return organizer


def json_ld(graph: list[dict]) -> Markup:
    """The `<script type="application/ld+json">` element; '<', '>' and '&' escaped so no text can end it."""
    if not graph:
        return Markup("")
    events = ",\n".join(json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                         for event in graph)  # one line per occasion
    data = f'{{"@context":"https://schema.org","@graph":[\n{events}\n]}}'
    data = data.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">\n{data}\n</script>')


@pass_context
def activity_event_data(context, activity) -> Markup:
    return json_ld(event_graph(activity, context["lang"], get_site(context)))


def _setup_jinja(generator) -> None:
    generator.env.globals["activity_event_data"] = activity_event_data


def register() -> None:
    signals.generator_init.connect(_setup_jinja)
