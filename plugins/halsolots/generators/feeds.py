"""iCalendar feeds: one per district, target group and category, one for everything, and one per activity.

Registered on get_generators like the activity generator; it reads the activity model (never the files)
and writes VCALENDARs built with the icalendar library, once per site language. Everything in a feed is
derived from content, so an unchanged site rebuilds to byte-identical files:

- UID is the activity's identity (slug @ SITE_DOMAIN): an edit updates the event in subscribers' calendars;
- SEQUENCE, LAST-MODIFIED and DTSTAMP come from the activity's Modified date, never from the build time;
- a weekly series is one VEVENT with RRULE/EXDATE; a cancelled date is an override (RECURRENCE-ID) with
  STATUS:CANCELLED, so the rest of the series stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property, partial
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vDuration
from markupsafe import Markup
from pelican.generators import Generator

from ..site import i18n
from ..content.activity import TIMEZONE, Activity
from .contents import page_writer
from ..site.i18n import gettext as _
from ..site.site import Site, get_site
from ..content.vocabulary import Term

# SEQUENCE counts days since this date: it rises whenever Modified moves on and never goes down.
SEQUENCE_EPOCH = date(2020, 1, 1)
# DTSTAMP of an activity without a Modified date: fixed, so a rebuild never changes the file.
FALLBACK_STAMP = datetime(2020, 1, 1, tzinfo=timezone.utc)
REFRESH_INTERVAL = timedelta(hours=12)
# Subscription feeds keep an activity this many days after its last date (setting CALENDAR_PAST_DAYS).
PAST_DAYS = 180
# Facets with a feed per term: (facet in Activity.term_ids, vocabulary, kind in Site.paths).
FACETS = (
    ("districts", "districts", "calendar_district"),
    ("target_groups", "target_groups", "calendar_target_group"),
    ("categories", "categories", "calendar_category"),
)


@dataclass(frozen=True)
class Feed:
    """One subscribable calendar: everything (term None) or one term of a facet."""

    kind: str
    facet: str | None = None
    term: Term | None = None

    @property
    def values(self) -> dict:
        return {"id": self.term.id} if self.term else {}

    def includes(self, activity: Activity) -> bool:
        return self.term is None or self.term.id in activity.term_ids[self.facet]

    def name(self, lang: str) -> str:
        """The feed's name in `lang` (must be the active language for the gettext part)."""
        if self.term is None:
            return _("Hälsolots – all activities")
        return _("Hälsolots – %(name)s") % {"name": self.term.label.get(lang)}

    def description(self, lang: str) -> str:
        if self.term is None:
            return _("Free activities for your health in Gothenburg, from Hälsolots and Hälsoteket.")
        return _("Free activities for your health in Gothenburg: %(name)s.") % {"name": self.term.label.get(lang)}


class FeedDirectory:
    """The site's feeds and their addresses, made from the settings and vocabularies alone: templates get it as
    `calendars`."""

    def __init__(self, site: Site):
        self.site = site
        self.settings = site.settings
        self.domain = self.settings["SITE_DOMAIN"]
        vocab = site.vocabularies
        self.everything = Feed("calendar_all")
        self.by_facet = {
            facet: [Feed(kind, facet, term) for term in vocab[vocabulary]] for facet, vocabulary, kind in FACETS
        }
        # (facet, term id) → the term's feed
        self.by_term = {(facet, feed.term.id): feed for facet, feeds in self.by_facet.items() for feed in feeds}

    # --- URLs ------------------------------------------------------------------------------------------

    @cached_property
    def base_url(self) -> str:
        """Absolute https base: feeds and webcal links need one even in a local build (SITEURL '')."""
        siteurl = self.settings.get("SITEURL") or ""
        if siteurl.startswith(("http://", "https://")):
            return siteurl.rstrip("/")
        return (self.settings.get("FEED_SITEURL") or f"https://{self.domain}").rstrip("/")

    def page_url(self, lang: str) -> str:
        """Site-relative URL of the subscribe page."""
        return self.site.url(lang, "calendars")

    def url(self, feed: Feed, lang: str) -> str:
        return self.site.url(lang, feed.kind, **feed.values)

    def absolute(self, url: str) -> str:
        return f"{self.base_url}/{url}"

    def webcal(self, url: str) -> str:
        return "webcal://" + self.absolute(url).split("://", 1)[1]

    def feed_for(self, facet: str, term_id: str) -> Feed | None:
        return self.by_term.get((facet, term_id))

    def activity_url(self, activity: Activity, lang: str) -> str | None:
        """The single-activity .ics (None for drafts: they are never in a calendar)."""
        return None if activity.draft else self.site.url(lang, "calendar_activity", slug=activity.slug)

    @property
    def feeds(self) -> list[Feed]:
        return [self.everything] + [feed for facet, _v, _k in FACETS for feed in self.by_facet[facet]]



class Calendars(FeedDirectory):
    """The feeds' content: every published activity's events, in each feed it belongs to."""

    def __init__(self, site: Site, context: dict):
        super().__init__(site)
        self.context = context
        self.keep_days = int(self.settings.get("CALENDAR_PAST_DAYS", PAST_DAYS))

    @cached_property
    def activities(self) -> list[Activity]:
        """Published activities in date order (read when first needed: the activity generator fills the context,
        in (start, slug) order as content_check.read_activities sorts them)."""
        return [a for a in self.context.get("activities", []) if not a.draft]


    def in_feeds(self, activity: Activity) -> bool:
        """Subscription feeds keep ended activities for a while, so recent history stays in people's calendars."""
        last = activity.occurrences[-1].day
        return last >= self.site.today - timedelta(days=self.keep_days)

    @cached_property
    def vtimezone(self) -> Timezone:
        years = [a.schedule.start.year for a in self.activities] or [self.site.today.year]
        last_years = [a.occurrences[-1].end.year for a in self.activities] or [self.site.today.year]
        return vtimezone(min(years), max(last_years), self.site.timezone)

    def calendar(self, feed: Feed, lang: str, activities=None) -> Calendar:
        """The VCALENDAR of a feed in `lang` (call with `lang` active); `activities=()` gives just the frame."""
        cal = self._calendar(lang)
        name = feed.name(lang)
        cal.add("name", name)
        cal.add("x-wr-calname", name)
        description = feed.description(lang)
        cal.add("description", description)
        cal.add("x-wr-caldesc", description)
        cal.add("x-wr-timezone", self.site.timezone.key)
        cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH_INTERVAL))  # Outlook's name for REFRESH-INTERVAL
        cal.add("source", self.absolute(self.url(feed, lang)), parameters={"VALUE": "URI"})
        page = self.site.url(lang, "home") if feed.term is None else self.site.url(lang, _page_kind(feed), **feed.values)
        cal.add("url", self.absolute(page), parameters={"VALUE": "URI"})
        for activity in self.activities if activities is None else activities:
            if feed.includes(activity) and self.in_feeds(activity):
                for event in self.events(activity, lang):
                    cal.add_component(event)
        return cal

    def feed_files(self, lang: str):
        """(url, bytes) of every feed and single-activity calendar in `lang` (call with `lang` active)."""
        for url, _values, produce in self.files(lang):
            yield url, produce()

    def files(self, lang: str, memo=None):
        """(url, values, produce) of every single-activity calendar and feed in `lang`: `produce()` (called with
        `lang` active) gives the file's bytes, `values` are what it is made from.

        The same bytes as to_bytes(calendar(…)), but each activity's events are serialised once (through
        `memo(values, compute)`, which the build keeps between builds) and shared by every feed that lists them,
        and each activity is matched to its feeds by its own terms (not every activity against every feed), so
        the time grows with the activities, not activities × feeds.
        """
        memo = memo or (lambda _values, compute: compute())
        frame: list[tuple[bytes, bytes]] = []

        def events(activity: Activity) -> bytes:
            return memo(("events", lang, activity),
                        lambda: b"".join(to_bytes(event) for event in self.events(activity, lang)))

        def single(activity: Activity) -> bytes:
            if not frame:
                frame.append(_split_frame(self._calendar(lang)))
            return frame[0][0] + events(activity) + frame[0][1]

        def feed_file(feed: Feed, members: list) -> bytes:
            head, tail = _split_frame(self.calendar(feed, lang, activities=()))
            return head + b"".join(events(activity) for activity in members) + tail

        by_term = self.by_term
        members: dict[Feed, list] = {feed: [] for feed in self.feeds}
        for activity in self.activities:
            yield self.activity_url(activity, lang), ("ics", lang, activity), partial(single, activity)
            if self.in_feeds(activity):
                members[self.everything].append(activity)
                for facet, _vocabulary, _kind in FACETS:
                    for term_id in dict.fromkeys(activity.term_ids[facet]):
                        if (facet, term_id) in by_term:
                            members[by_term[(facet, term_id)]].append(activity)
        for feed in self.feeds:
            url = self.url(feed, lang)
            yield url, ("feed", lang, url, members[feed]), partial(feed_file, feed, members[feed])

    def activity_calendar(self, activity: Activity, lang: str) -> Calendar:
        # No calendar name: with X-WR-CALNAME, Outlook opens the file as a separate calendar instead of
        # adding the event.
        cal = self._calendar(lang)
        for event in self.events(activity, lang):
            cal.add_component(event)
        return cal

    def _calendar(self, lang: str) -> Calendar:
        cal = Calendar()
        cal.add("prodid", f"-//{self.domain}//Halsolots webb//{lang.upper()}")
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", "PUBLISH")
        cal.add_component(self.vtimezone)
        return cal

    def events(self, activity: Activity, lang: str) -> list[Event]:
        """The VEVENT of an activity, followed by one override per cancelled date of a series."""
        schedule = activity.schedule
        event = self._event(activity, lang, schedule.start, schedule.end, activity.cancelled)
        events = [event]
        if schedule.weekly:
            # UNTIL is UTC when DTSTART has a TZID (RFC 5545 3.3.10): the end of the last day, local time.
            until = datetime.combine(schedule.until, time(23, 59, 59), schedule.start.tzinfo).astimezone(timezone.utc)
            event.add("rrule", {"FREQ": "WEEKLY", "UNTIL": until})
            for day in schedule.exceptions:
                event.add("exdate", _local(day, schedule.start))
            if not activity.cancelled:
                for day in schedule.cancelled_dates:
                    start = _local(day, schedule.start)
                    override = self._event(activity, lang, start, start + schedule.duration, True)
                    override.add("recurrence-id", start)
                    events.append(override)
        return events

    def _event(self, activity: Activity, lang: str, start: datetime, end: datetime, cancelled: bool) -> Event:
        text = activity.text(lang)
        page = self.absolute(self.site.url(lang, "activity", slug=activity.slug))
        event = Event()
        event.add("uid", f"{activity.slug}@{self.domain}")
        event.add("dtstamp", _stamp(activity.modified))
        if activity.modified:
            event.add("last-modified", _stamp(activity.modified))
        event.add("sequence", sequence(activity.modified))
        event.add("dtstart", start)
        event.add("dtend", end)
        title = _("Cancelled: %(title)s") % {"title": text.title} if cancelled else text.title
        event.add("summary", title, parameters={"LANGUAGE": text.lang} if text.lang != lang else None)
        event.add("description", self._description(activity, lang, page, cancelled))
        event.add("location", self._location(activity, lang))
        geo = activity.venue.get("geo") if activity.venue else None
        if geo:
            event.add("geo", (float(geo[0]), float(geo[1])))
        event.add("url", page, parameters={"VALUE": "URI"})
        event.add("categories", [activity.category.label.get(lang)])
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        return event

    def _description(self, activity: Activity, lang: str, page: str, cancelled: bool) -> str:
        text = activity.text(lang)
        original = activity.text(self.site.default_lang)
        parts = [Markup(text.summary).striptags()] if text.summary else []
        if activity.cancelled:
            note = text.cancellation_note or original.cancellation_note
            parts.append(" ".join(filter(None, [_("This activity is cancelled."), note])))
        elif cancelled:
            parts.append(_("This date is cancelled. The other dates are as usual."))
        if activity.drop_in:
            parts.append(_("Drop-in, no registration"))
        else:
            how = text.how_to_register or original.how_to_register
            parts.append(_("Registration required") + (f": {how}" if how else ""))
        parts.append(_("Free of charge"))
        parts.append(f"{_('Organiser')}: {activity.organiser}")
        parts.append(f"{_('More information')}: {page}")
        return "\n\n".join(part for part in parts if part)

    @staticmethod
    def _location(activity: Activity, lang: str) -> str:
        if activity.online:
            return _("Online")
        venue = activity.venue
        place = " ".join(filter(None, [str(venue.get("postcode") or ""), str(venue.get("city") or "")]))
        return ", ".join(filter(None, [venue.label.get(lang), str(venue.get("address") or ""), place]))


def vtimezone(first_year: int, last_year: int, zone: ZoneInfo = TIMEZONE) -> Timezone:
    """The site's zone as the EU summer-time rule (RRULE form), checked against tzdata for the feed's years.

    The offsets and names (CET and CEST for Europe/Stockholm) are the zone's own in tzdata. A zone that does
    not follow the rule in those years (summer time one hour ahead, from 01:00 UTC on the last Sunday of March
    to 01:00 UTC on the last Sunday of October) is refused.
    Not Timezone.from_tzid(): its RDATE lists are misread by ical.js (Thunderbird's parser takes only the
    first value of an RDATE and ignores DTSTART next to RDATE), while the RRULE form is what Google, Apple
    and Outlook themselves publish and every client reads.
    """
    tzid = zone.key

    def refuse(when: str):
        raise ValueError(f"TIMEZONE {tzid} does not follow the EU summer-time rule {when}, and the calendar feeds "
                         "can only describe a zone by that rule: update feeds.vtimezone")

    # (offset, name) in winter and in summer, from tzdata
    standard, summer = ((moment.utcoffset(), moment.tzname()) for moment in (
        datetime(first_year, 1, 15, 12, tzinfo=zone), datetime(first_year, 7, 15, 12, tzinfo=zone)))
    if summer[0] - standard[0] != timedelta(hours=1):
        refuse(f"in {first_year}")
    for year in range(first_year, last_year + 1):
        day = date(year, 1, 1)
        while day.year == year:
            noon = datetime.combine(day, time(12), zone)
            if (noon.utcoffset(), noon.tzname()) != (summer if _eu_summer(day) else standard):
                refuse(f"on {day}")
            day += timedelta(days=1)
        for month, before, after in ((3, standard, summer), (10, summer, standard)):
            change = datetime.combine(_last_sunday(year, month), time(1), timezone.utc)
            if (change - timedelta(seconds=1)).astimezone(zone).utcoffset() != before[0] \
                    or change.astimezone(zone).utcoffset() != after[0]:
                refuse(f"on {change.date()} at 01:00 UTC")
    vzone = Timezone()
    vzone.add("tzid", tzid)
    vzone.add("x-lic-location", tzid)
    for component, (_offset, name), offsets, onset, month in (
        (TimezoneDaylight(), summer, (standard[0], summer[0]), datetime(1996, 3, 31, 1) + standard[0], 3),
        (TimezoneStandard(), standard, (summer[0], standard[0]), datetime(1996, 10, 27, 1) + summer[0], 10),
    ):
        component.add("tzname", name)
        component.add("tzoffsetfrom", offsets[0])
        component.add("tzoffsetto", offsets[1])
        component.add("dtstart", onset)  # local time before the change (01:00 UTC): 02:00 and 03:00 in Stockholm
        component.add("rrule", {"FREQ": "YEARLY", "BYMONTH": month, "BYDAY": "-1SU"})
        vzone.add_component(component)
    return vzone


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _eu_summer(day: date) -> bool:
    return _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10)


def sequence(modified: date | None) -> int:
    return max(0, (modified - SEQUENCE_EPOCH).days) if modified else 0


def _stamp(modified: date | None) -> datetime:
    return datetime.combine(modified, time(), timezone.utc) if modified else FALLBACK_STAMP


def _local(day: date, first: datetime) -> datetime:
    """The occasion on `day` at the series' wall-clock time (the same across DST changes)."""
    return datetime.combine(day, first.timetz().replace(tzinfo=None), first.tzinfo)


def _page_kind(feed: Feed) -> str:
    """The listing page of a term's feed: 'calendar_district' → 'district' (the kinds in FACETS)."""
    return feed.kind.removeprefix("calendar_")


def to_bytes(cal: Calendar) -> bytes:
    """RFC 5545 text: CRLF, lines folded at 75 octets (between characters, never inside one)."""
    return cal.to_ical()


_END = b"END:VCALENDAR\r\n"


def _split_frame(cal: Calendar) -> tuple[bytes, bytes]:
    """A VCALENDAR without events as (head, tail): events serialised alone go between, byte for byte as
    if they had been added to it (icalendar writes the calendar's lines, then each component's)."""
    frame = to_bytes(cal)
    assert frame.endswith(_END)
    return frame[: -len(_END)], _END


class FeedGenerator(Generator):
    """Writes the .ics feeds and the subscribe page in every site language."""

    def generate_context(self):
        # Runs after the activity generator's generate_context (registered after it), before any output.
        self.calendars = Calendars(get_site(self.context), self.context)
        # Templates see the feeds' addresses only (made from the settings and vocabularies), never the events.
        self.context["calendars"] = FeedDirectory(get_site(self.context))

    def generate_output(self, writer):
        calendars: Calendars = self.calendars
        for lang in writer.languages:
            with i18n.language(lang):
                for url, values, produce in calendars.files(lang, writer.memo):
                    writer.file(url, lang, produce, values)
            page_writer(self, writer, lang)("calendars", "calendars")
