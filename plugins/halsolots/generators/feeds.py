"""iCalendar feeds: one per district, target group and category, one for everything, and one per activity.

Registered on get_generators like the activity generator; it reads the activity model (never the files)
and writes VCALENDARs built with the icalendar library, once per site language. Everything in a feed is
derived from content, so an unchanged site rebuilds to byte-identical files:

- UID is the activity's identity (slug @ SITE_DOMAIN): an edit updates the event in subscribers' calendars;
- SEQUENCE, LAST-MODIFIED and DTSTAMP come from when the activity last changed (its last commit, else its
  files' time; a later Modified date moves them on), never from the build time;
- a weekly series is one VEVENT with RRULE/EXDATE; a cancelled date is an override (RECURRENCE-ID) with
  STATUS:CANCELLED, so the rest of the series stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property, partial
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vDuration, vText
from markupsafe import Markup
from pelican.generators import Generator

from ..site import i18n
from ..content.activity import TIMEZONE, Activity
from .contents import page_writer
from ..site.i18n import gettext as _
from ..site.site import Site, get_site, public_base
from ..content.vocabulary import Term

# SEQUENCE counts minutes since this date: it rises whenever the activity changes and never goes down.
SEQUENCE_EPOCH = date(2020, 1, 1)
# DTSTAMP of an activity without a Modified date: fixed, so a rebuild never changes the file.
FALLBACK_STAMP = datetime(2020, 1, 1, tzinfo=timezone.utc)
REFRESH_INTERVAL = timedelta(hours=12)
# The calendar services' own addresses (their add and subscribe links: InteractionDesignFoundation's
# add-event-to-calendar-docs describes the parameters).
GOOGLE = "https://calendar.google.com/calendar"
OUTLOOK_COM = "https://outlook.live.com"
MICROSOFT_365 = "https://outlook.office.com"
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
    """One subscribable calendar: everything (term None), one term of a facet, or one target group within one
    district (`group`, kind calendar_district_group)."""

    kind: str
    facet: str | None = None
    term: Term | None = None
    group: Term | None = None

    @property
    def values(self) -> dict:
        if self.group is not None:
            return {"id": self.term.id, "group": self.group.id}
        return {"id": self.term.id} if self.term else {}

    def includes(self, activity: Activity) -> bool:
        if self.term is None:
            return True
        return self.term.id in activity.term_ids[self.facet] and (
            self.group is None or self.group.id in activity.term_ids["target_groups"])

    def label(self, lang: str) -> str:
        """What the feed holds, in `lang` (active): 'Centrum', 'Seniors in Centrum', 'All activities'."""
        if self.term is None:
            return _("All activities")
        if self.group is not None:
            return _("%(group)s in %(district)s") % {"group": self.group.label.get(lang),
                                                     "district": self.term.label.get(lang)}
        return self.term.label.get(lang)

    def name(self, lang: str) -> str:
        """The feed's name in `lang` (must be the active language for the gettext part): the facet is part of
        it, so no two feeds share a name (the target group 'All' is not 'all activities')."""
        if self.term is None:
            return _("Hälsolots – all activities")
        if self.group is not None:
            return _("Hälsolots – %(name)s") % {"name": self.label(lang)}
        template = {"districts": _("Hälsolots – District: %(name)s"),
                    "target_groups": _("Hälsolots – Target group: %(name)s"),
                    "categories": _("Hälsolots – Category: %(name)s")}[self.facet]
        return template % {"name": self.term.label.get(lang)}

    def description(self, lang: str) -> str:
        if self.term is None:
            return _("Free activities for your health in Gothenburg, from Hälsolots and Hälsoteket.")
        return _("Free activities for your health in Gothenburg: %(name)s.") % {"name": self.label(lang)}


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
        # (district id, group id) → the feed of one target group in one district: every pair has one, so an
        # address never stops working when the pair has no activities for a while.
        self.by_district_group = {(district.id, group.id): Feed("calendar_district_group", "districts", district, group)
                                  for district in vocab.districts for group in vocab.target_groups}

    # --- URLs ------------------------------------------------------------------------------------------

    @cached_property
    def base_url(self) -> str:
        """Absolute https base: feeds and webcal links need one even in a local build (SITEURL '')."""
        return public_base(self.settings)

    def page_url(self, lang: str) -> str:
        """Site-relative URL of the subscribe page."""
        return self.site.url(lang, "calendars")

    def url(self, feed: Feed, lang: str) -> str:
        return self.site.url(lang, feed.kind, **feed.values)

    def absolute(self, url: str) -> str:
        return f"{self.base_url}/{url}"

    def webcal(self, url: str) -> str:
        return "webcal://" + self.absolute(url).split("://", 1)[1]

    def feed_for(self, facet: str, term_id: str, group: str | None = None) -> Feed | None:
        """A term's feed; with `group`, that target group's feed within the district `term_id`."""
        if group is not None:
            return self.by_district_group.get((term_id, group)) if facet == "districts" else None
        return self.by_term.get((facet, term_id))

    def activity_url(self, activity: Activity, lang: str) -> str | None:
        """The single-activity .ics (None for drafts: they are never in a calendar)."""
        return None if activity.draft else self.site.url(lang, "calendar_activity", slug=activity.slug)

    # --- one tap for each calendar app (plain links: nothing is asked of a service before a click) -----------

    def subscribe_links(self, feed: Feed, lang: str) -> dict[str, str]:
        """Service → the address that subscribes to `feed` there (call with `lang` active for the name).

        Google takes the webcal:// address as `cid` (the link fails inside Google's Android app, which says the
        calendar does not exist, and works in the phone's browser: the subscribe page says so); Outlook.com and
        Microsoft 365 take the https address and the name; Apple's apps (and ICSx⁵ on Android) open webcal://.
        """
        url = self.url(feed, lang)
        https, webcal = self.absolute(url), self.webcal(url)
        outlook = urlencode({"url": https, "name": feed.name(lang)}, quote_via=quote)
        return {
            "google": f"{GOOGLE}/render?cid={quote(webcal, safe='')}",
            "outlook": f"{OUTLOOK_COM}/calendar/0/addfromweb?{outlook}",
            "office": f"{MICROSOFT_365}/calendar/0/addfromweb?{outlook}",
            "apple": webcal,
            "https": https,
        }

    def add_links(self, activity: Activity, lang: str, today: date) -> dict | None:
        """Links that add an activity's next date (a series from it, in Google) to Google Calendar, Outlook.com
        and Microsoft 365, or None when nothing is left to add (a draft, cancelled, over). Call with `lang`
        active. `series` says whether Google's link holds the rest of the series (an RRULE) or the next date
        only: Outlook's links cannot repeat, and a series with a skipped or cancelled date to come is added as
        its next date alone, since Google's link cannot leave dates out."""
        occurrence = None if activity.draft else activity.next_occurrence(today)
        if occurrence is None:
            return None
        text = activity.text(lang)
        page = self.absolute(self.site.url(lang, "activity", slug=activity.slug))
        details = self._description(activity, lang, page, False)
        location = self._location(activity, lang)
        schedule = activity.schedule
        later = [day for day in (*schedule.exceptions, *schedule.cancelled_dates) if day >= occurrence.day]
        series = schedule.weekly and occurrence.start != activity.occurrences[-1].start and not later
        local = "%Y%m%dT%H%M%S"
        google = {"action": "TEMPLATE", "text": text.title,
                  "dates": f"{occurrence.start.strftime(local)}/{occurrence.end.strftime(local)}",
                  "ctz": self.site.timezone.key, "details": details, "location": location}
        if series:
            google["recur"] = "RRULE:FREQ=WEEKLY;UNTIL=" + _until(schedule).strftime("%Y%m%dT%H%M%SZ")
        utc = "%Y-%m-%dT%H:%M:%SZ"
        outlook = urlencode({"path": "/calendar/action/compose", "rru": "addevent",
                             "startdt": occurrence.start.astimezone(timezone.utc).strftime(utc),
                             "enddt": occurrence.end.astimezone(timezone.utc).strftime(utc),
                             "subject": text.title, "location": location, "body": details}, quote_via=quote)
        return {
            "google": f"{GOOGLE}/render?{urlencode(google, quote_via=quote)}",
            "outlook": f"{OUTLOOK_COM}/calendar/0/deeplink/compose?{outlook}",
            "office": f"{MICROSOFT_365}/calendar/0/deeplink/compose?{outlook}",
            "series": series,
        }

    # --- an activity's words in a calendar --------------------------------------------------------------

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
        # Whole sentences through the catalogue (an f-string around _() is never extracted, so it stayed English).
        parts.append(_("Organiser: %(name)s") % {"name": activity.organiser})
        parts.append(_("More information: %(url)s") % {"url": page})
        return "\n\n".join(part for part in parts if part)

    @staticmethod
    def _location(activity: Activity, lang: str) -> str:
        if activity.online:
            return _("Online")
        venue = activity.venue
        place = " ".join(filter(None, [str(venue.get("postcode") or ""), str(venue.get("city") or "")]))
        return ", ".join(filter(None, [venue.label.get(lang), str(venue.get("address") or ""), place]))

    @property
    def feeds(self) -> list[Feed]:
        return [self.everything] + [feed for facet, _v, _k in FACETS for feed in self.by_facet[facet]] \
            + list(self.by_district_group.values())


class Calendars(FeedDirectory):
    """The feeds' content: every published activity's events, in each feed it belongs to."""

    def __init__(self, site: Site, context: dict):
        super().__init__(site)
        self.context = context
        self.keep_days = int(self.settings.get("CALENDAR_PAST_DAYS", PAST_DAYS))

    @cached_property
    def activities(self) -> list[Activity]:
        """Published activities in date order (read when first needed: the activity generator fills the context,
        in (start, slug) order as content/reading.py read_activities sorts them)."""
        return [a for a in self.context.get("activities", []) if not a.draft]


    def groups_in_districts(self) -> list[tuple[Term, list[Term]]]:
        """Each district with the target groups that have activities to come there: the subscribe page offers
        those pairs' feeds (every pair has one; an empty one would only disappoint)."""
        today = self.site.today
        upcoming = [a for a in self.activities if not a.is_past(today)]
        vocab = self.site.vocabularies
        return [(district, [group for group in vocab.target_groups
                            if any(district in a.districts and group in a.target_groups for a in upcoming)])
                for district in vocab.districts]

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
        cal.add("name", vText(name))
        cal.add("x-wr-calname", vText(name))  # X- properties: icalendar escapes them only as TEXT (RFC 5545)
        description = feed.description(lang)
        cal.add("description", description)
        cal.add("x-wr-caldesc", vText(description))
        cal.add("x-wr-timezone", self.site.timezone.key)
        cal.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", vDuration(REFRESH_INTERVAL))  # Outlook's name for REFRESH-INTERVAL
        cal.add("source", self.absolute(self.url(feed, lang)), parameters={"VALUE": "URI"})
        if feed.term is None:
            page = self.site.url(lang, "home")
        elif feed.group is not None:  # the district × group page exists only while the pair has activities
            page = self.site.url(lang, "district", id=feed.term.id)
        else:
            page = self.site.url(lang, _page_kind(feed), **feed.values)
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
            return memo(("events", lang, activity, activity.changed),
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
            yield (self.activity_url(activity, lang), ("ics", lang, activity, activity.changed),
                   partial(single, activity))
            if self.in_feeds(activity):
                members[self.everything].append(activity)
                for facet, _vocabulary, _kind in FACETS:
                    for term_id in dict.fromkeys(activity.term_ids[facet]):
                        if (facet, term_id) in by_term:
                            members[by_term[(facet, term_id)]].append(activity)
                for district_id in dict.fromkeys(activity.term_ids["districts"]):
                    for group_id in dict.fromkeys(activity.term_ids["target_groups"]):
                        if (district_id, group_id) in self.by_district_group:
                            members[self.by_district_group[(district_id, group_id)]].append(activity)
        for feed in self.feeds:
            url = self.url(feed, lang)
            changes = [activity.changed for activity in members[feed]]  # not in the files' digests
            yield url, ("feed", lang, url, members[feed], changes), partial(feed_file, feed, members[feed])

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
            event.add("rrule", {"FREQ": "WEEKLY", "UNTIL": _until(schedule)})
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
        event.add("uid", f"{activity.slug}@{activity.uid_domain or self.domain}")  # a guest keeps its own site's
        changed = changed_at(activity)
        event.add("dtstamp", changed or FALLBACK_STAMP)
        if changed:
            event.add("last-modified", changed)
        event.add("sequence", sequence(changed))
        event.add("dtstart", start)
        event.add("dtend", end)
        title = _("Cancelled: %(title)s") % {"title": text.title} if cancelled else text.title
        title = title.lstrip("\ufeff")  # an invisible leading BOM: parsers drop it, so the feed does not send it
        event.add("summary", title, parameters={"LANGUAGE": text.lang} if text.lang != lang else None)
        event.add("description", self._description(activity, lang, page, cancelled))
        event.add("location", self._location(activity, lang))
        geo = activity.venue.get("geo") if activity.venue else None
        if geo:
            event.add("geo", (float(geo[0]), float(geo[1])))
        event.add("url", page, parameters={"VALUE": "URI"})
        if activity.organiser_email:  # RFC 5546: METHOD:PUBLISH wants an ORGANIZER (libical checks it)
            organizer = vCalAddress(f"mailto:{activity.organiser_email}")
            organizer.params["CN"] = vText(activity.organiser)
            event.add("organizer", organizer)
        event.add("categories", [activity.category.label.get(lang)])
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        # A cancelled date blocks no time in people's calendars.
        event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        return event


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


def _until(schedule) -> datetime:
    """A series' UNTIL: UTC when DTSTART has a TZID (RFC 5545 3.3.10), the end of the last day in local time."""
    return datetime.combine(schedule.until, time(23, 59, 59), schedule.start.tzinfo).astimezone(timezone.utc)


def changed_at(activity: Activity) -> datetime | None:
    """When the activity last changed, for SEQUENCE and LAST-MODIFIED: the later of its files' last change
    (content/history.py: the last commit touching them, else their own time) and its `Modified:` date (which
    can only move it on), to the second, in UTC; None when neither is known."""
    known = [moment for moment in (activity.changed, _midnight(activity.modified)) if moment is not None]
    return max(known, default=None)


def sequence(changed: date | datetime | None) -> int:
    """Minutes since SEQUENCE_EPOCH: rises with every change (a later commit never lowers it), never below 0."""
    moment = _midnight(changed) if type(changed) is date else changed
    if moment is None:
        return 0
    return max(0, int((moment - datetime.combine(SEQUENCE_EPOCH, time(), timezone.utc)).total_seconds()) // 60)


def _midnight(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), timezone.utc) if day else None


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
        groups_in = calendars.groups_in_districts()
        for lang in writer.languages:
            with i18n.language(lang):
                for url, values, produce in calendars.files(lang, writer.memo):
                    writer.file(url, lang, produce, values)
            page_writer(self, writer, lang)("calendars", "calendars", groups_in=groups_in)
