"""The activity model: fields, validation and occurrences. Pages, listings, feeds and JSON all read from here.

An activity is one Markdown file (the original, in the site's default language) plus optional translation
files with the same Slug. Facts (time, place, districts, groups…) live only in the original; translations
carry only text (title, summary, body, registration and cancellation text, the organiser's description).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule

from .fields import FieldReader, NoSuchDate, check_translation, no_such_date, parse_date
from .problems import N_, ProblemCollector
from .schema import ACTIVITY, ONLINE, TERM, TERMS, check_known_fields
from .source import Header
from .vocabulary import Term, Translated, Vocabularies, suggest

# The zone of code without settings (tests, tools); a site's zone is its TIMEZONE setting (ContentSettings.timezone).
TIMEZONE = ZoneInfo("Europe/Stockholm")

# Field names as a communicator writes them, required fields and what a translation holds: schema.py describes
# every field once; keys are the lower-case names Pelican uses.
FIELD_NAMES = ACTIVITY.names
TEXT_FIELDS = tuple(spec.key for spec in ACTIVITY.translated)
FACT_FIELDS = ACTIVITY.facts
REQUIRED_FIELDS = ACTIVITY.required
REGISTRATION_VALUES = ACTIVITY.field("registration").choices
STATUS_VALUES = ACTIVITY.field("status").choices
REPEAT_VALUES = ACTIVITY.field("repeat").choices
# Header fields whose values are ids of a vocabulary (vocabulary.VOCABULARY_FILES), and which.
VOCABULARY_FIELDS = {spec.key: spec.vocabulary for spec in ACTIVITY.fields if spec.type in (TERMS, TERM)}
MAX_SERIES_YEARS = 5  # a longer series is a typo (e.g. Until: 2207-05-26) and would make thousands of occasions
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}[:.]\d{2})$")
# English weekday names for messages (translated with them), independent of the machine's locale.
WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))


@dataclass(frozen=True)
class Schedule:
    """When an activity happens, in local time (the site's TIMEZONE: the zone of `start`)."""

    start: datetime  # aware, first occasion
    end: datetime  # aware, end of the first occasion
    weekly: bool = False
    until: date | None = None
    exceptions: tuple[date, ...] = ()
    cancelled_dates: tuple[date, ...] = ()

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    @cached_property
    def starts(self) -> tuple[datetime, ...]:
        """Start of every occasion, exceptions left out. Wall-clock times stay put across DST changes."""
        if not self.weekly:
            return (self.start,)
        naive = self.start.replace(tzinfo=None)
        last = datetime.combine(self.until, time.max)
        excluded = set(self.exceptions)
        return tuple(
            moment.replace(tzinfo=self.start.tzinfo)
            for moment in rrule(WEEKLY, dtstart=naive, until=last)
            if moment.date() not in excluded
        )


@dataclass(frozen=True)
class ActivityText:
    """The words of an activity in one language (from the original or a translation file)."""

    lang: str
    title: str
    summary: str  # HTML
    body: str  # HTML
    how_to_register: str = ""
    cancellation_note: str = ""
    organiser_description: str = ""
    source_path: str = ""


@dataclass(frozen=True)
class Occurrence:
    activity: "Activity"
    start: datetime
    end: datetime
    cancelled: bool
    # Its local date: asked for on every listing and feed, so worked out once.
    day: date = field(init=False, repr=False, compare=False)
    # Where it comes in date order (its instant, then its activity's Slug): the listings sort thousands.
    order: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "day", self.start.date())
        instant = self.start.timestamp() if self.start.tzinfo is not None else self.start
        object.__setattr__(self, "order", (instant, self.activity.slug))


@dataclass(eq=False)
class Activity(Translated):
    slug: str
    source_path: str
    schedule: Schedule
    venue: Term | None  # None means online
    districts: tuple[Term, ...]
    target_groups: tuple[Term, ...]
    category: Term
    themes: tuple[Term, ...] = ()
    organiser: str = ""
    organiser_email: str = ""  # the organiser's role mailbox (districts.yaml `email`), '' when none is known
    partners: tuple[str, ...] = ()
    registration: str = "drop-in"
    languages: tuple[str, ...] = ()
    sign_language: bool = False
    far: bool = False  # suits physical activity on prescription (FaR, fysisk aktivitet på recept)
    status: str = "scheduled"
    modified: date | None = None
    # The follow-up's focus area when it is not the category's (Focus-area); focus_area_of() gives the one that counts.
    focus_area: Term | None = None
    # When its files last changed (content/history.py: the last commit touching them, else their own time),
    # set by the build; with `modified` it gives the feeds' SEQUENCE and LAST-MODIFIED.
    changed: datetime | None = None
    # Districts of the repository's other sites that list it too (Also-in, content/sites.py), and on another
    # site the domain of its own site: its UID is the same wherever it appears.
    also_in: tuple[str, ...] = ()
    uid_domain: str = ""
    default_lang: str = "sv"
    texts: dict[str, ActivityText] = field(default_factory=dict)

    @property
    def online(self) -> bool:
        return self.venue is None

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    @property
    def drop_in(self) -> bool:
        return self.registration == "drop-in"

    @cached_property
    def occurrences(self) -> tuple[Occurrence, ...]:
        duration = self.schedule.duration
        cancelled_dates = set(self.schedule.cancelled_dates)
        return tuple(
            Occurrence(self, start, start + duration, self.cancelled or start.date() in cancelled_dates)
            for start in self.schedule.starts
        )

    def upcoming(self, today: date) -> tuple[Occurrence, ...]:
        # Every listing that shows the activity asks again with the build's today: answered once per day.
        found = self._upcoming.get(today)
        if found is None:
            found = self._upcoming[today] = tuple(occ for occ in self.occurrences if occ.day >= today)
        return found

    @cached_property
    def _upcoming(self) -> dict:
        return {}

    def next_occurrence(self, today: date) -> Occurrence | None:
        for occ in self.occurrences:
            if occ.day >= today and not occ.cancelled:
                return occ
        return None

    def is_past(self, today: date) -> bool:
        return self.occurrences[-1].day < today

    @cached_property
    def term_ids(self) -> dict[str, tuple[str, ...]]:
        """Vocabulary ids by facet, for listings, search filters and JSON (the facts never change once read)."""
        return {
            "districts": tuple(t.id for t in self.districts),
            "target_groups": tuple(t.id for t in self.target_groups),
            "categories": (self.category.id,),
            "themes": tuple(t.id for t in self.themes),
            "languages": self.languages,
        }


# --- parsing and validation -------------------------------------------------------------------------------


def _name(key: str) -> str:
    return FIELD_NAMES.get(key, key.capitalize())


def _either(values) -> tuple[str, dict]:
    """'drop-in or required' as a translatable template and its params."""
    values = list(values)
    if len(values) == 1:
        return "{choice}", {"choice": values[0]}
    return N_("{choices} or {last}"), {"choices": ", ".join(values[:-1]), "last": values[-1]}


def _parse_time(value: str) -> time:
    match = _TIME.match(value)
    if not match:
        raise ValueError
    return time(int(match.group(1)), int(match.group(2)))


def _exists(moment: datetime, zone: ZoneInfo) -> bool:
    """Whether a naive wall-clock time happens in `zone` (not in the hour skipped when the clocks go forward)."""
    aware = moment.replace(tzinfo=zone)
    return aware.astimezone(ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None) == moment


def _parse_datetime(value: str) -> datetime:
    match = _DATETIME.match(value)
    if not match:
        raise ValueError
    return datetime.combine(parse_date(match.group(1)), _parse_time(match.group(2)))


class ActivityParser:
    """Turns one original file's header into facts, reporting every problem it finds."""

    def __init__(self, vocabularies: Vocabularies, languages: list[str] | None = None, timezone: ZoneInfo = TIMEZONE,
                 other_districts: dict[str, str] | None = None):
        self.vocabularies = vocabularies
        self.languages = languages
        self.timezone = timezone  # the site's TIMEZONE: Start and End are wall-clock times there
        # Also-in: the districts of the repository's other sites (district id → its site's id)
        self.other_districts = other_districts or {}

    def parse(self, slug: str, path: str, header: Header, problems: ProblemCollector) -> Activity | None:
        self._problems = problems
        self._header = header
        check_known_fields(ACTIVITY, header, problems)
        for key in REQUIRED_FIELDS:
            if header.blank(key):
                expected, params = self._expected(key)
                problems.add(_name(key), N_("is missing"), expected, **params)
        schedule = self._schedule()
        venue = self._venue()
        fields = FieldReader(header, problems, self.vocabularies, FIELD_NAMES)
        districts = fields.terms("districts", "districts")
        groups = fields.terms("groups", "target_groups")
        categories = fields.terms("category", "categories")
        if len(categories) > 1:
            problems.add("Category", N_("has more than one category"), N_("exactly one category"))
        themes = fields.terms("themes", "themes")
        registration = self._choice("registration", REGISTRATION_VALUES, "drop-in")
        if registration == "required" and not header.text("how-to-register"):
            problems.add("How-to-register", N_("is missing; Registration is required"),
                         N_("how to register, e.g. a phone number, an e-mail address or a web address"))
        status = self._choice("status", STATUS_VALUES, "scheduled")
        if status == "cancelled" and not header.text("cancellation-note"):
            problems.add("Cancellation-note", N_("is missing; the activity is cancelled"),
                         N_("a short note for visitors, e.g. why and whether a new date will come"))
        languages = fields.language_codes("languages", N_("two-letter codes such as sv, en, ar, so, fa"))
        sign_language = fields.yes_no("sign-language")
        far = fields.yes_no("far")
        if far and header.text("repeat").lower() not in REPEAT_VALUES:
            problems.warn("FaR", N_("is yes but the activity is a single occasion"),
                          N_("a weekly series (Repeat: weekly) people can keep coming to, or no FaR field"))
        modified = fields.date("modified", header.text("modified")[:10])
        also_in = self._also_in(header)
        focus_areas = fields.terms("focus-area", "focus_areas")
        if len(focus_areas) > 1:
            problems.add("Focus-area", N_("has more than one focus area"), N_("exactly one focus area"))
        if problems.has_errors or schedule is None or not categories:
            return None
        return Activity(
            slug=slug, source_path=path, schedule=schedule, venue=venue, districts=districts,
            target_groups=groups, category=categories[0], themes=themes, organiser=header.text("organiser"),
            organiser_email=self._organiser_email(header.text("organiser"), districts),
            partners=tuple(header.items_list("partners")), registration=registration, languages=languages,
            sign_language=sign_language, far=far, status=status, modified=modified,
            focus_area=focus_areas[0] if focus_areas else None, also_in=also_in,
            default_lang=self.vocabularies.default_lang,
        )

    def _also_in(self, header: Header) -> tuple[str, ...]:
        values = tuple(dict.fromkeys(v.lower() for v in header.items_list("also-in")))
        for value in values:
            if value not in self.other_districts:
                options = ", ".join(sorted(self.other_districts)) or "-"
                self._problems.add("Also-in", N_("'{value}' is not a district of another site"),
                                   N_("one of: {options}"), suggest(value, self.other_districts), value=value,
                                   options=options)
        return values

    def _organiser_email(self, organiser: str, districts: tuple[Term, ...]) -> str:
        """The role mailbox of the service named as organiser (districts.yaml `service` and `email`), else that
        of the activity's first district with one: calendars need an ORGANIZER address (RFC 5546 PUBLISH)."""
        for district in self.vocabularies.districts:
            if district.get("service") == organiser and district.get("email"):
                return str(district.get("email"))
        return next((str(d.get("email")) for d in districts if d.get("email")), "")

    def _expected(self, key: str) -> tuple[str, dict]:
        """What a missing field should hold: a template (schema.py) and its params."""
        if key == "registration":
            return _either(REGISTRATION_VALUES)
        spec = ACTIVITY.field(key)
        if key in VOCABULARY_FIELDS:
            return spec.missing, {"options": ", ".join(self.vocabularies[VOCABULARY_FIELDS[key]].ids())}
        if key == "venue":
            return spec.missing, {"online": ONLINE}
        return spec.missing, {}

    def _schedule(self) -> Schedule | None:
        header, problems = self._header, self._problems
        start_text, end_text = header.text("start"), header.text("end")
        start = end = None
        if start_text:
            try:
                start = _parse_datetime(start_text)
            except NoSuchDate as error:
                no_such_date(problems, "Start", error, start_text)
            except ValueError:
                problems.add("Start", N_("'{value}' is not a date and time"),
                             N_("YYYY-MM-DD HH:MM, e.g. 2026-02-03 10:00"), value=start_text)
        if end_text and start:
            try:
                end = datetime.combine(start.date(), _parse_time(end_text))
            except ValueError:
                try:
                    end = _parse_datetime(end_text)
                except NoSuchDate as error:
                    no_such_date(problems, "End", error, end_text)
                except ValueError:
                    problems.add("End", N_("'{value}' is not a time"), N_("HH:MM, e.g. 11:00, or YYYY-MM-DD HH:MM"),
                                 value=end_text)
            if end and end <= start:
                problems.add("End", N_("ends ({end}) before or when it starts ({start})"),
                             N_("an end after the start"), end=end_text, start=start_text)
                end = None
        repeat = header.text("repeat").lower()
        weekly = False
        if repeat:
            if repeat in REPEAT_VALUES:
                weekly = True
            else:
                expected, params = _either(REPEAT_VALUES)
                problems.add("Repeat", N_("'{value}' is not a repeat rule"), expected,
                             suggest(repeat, REPEAT_VALUES), value=header.text("repeat"), **params)
        until = None
        if header.text("until"):
            try:
                until = parse_date(header.text("until"))
            except NoSuchDate as error:
                no_such_date(problems, "Until", error, header.text("until"))
            except ValueError:
                problems.add("Until", N_("'{value}' is not a date"), N_("YYYY-MM-DD, e.g. {example}"),
                             value=header.text("until"), example="2026-05-26")
        if weekly and until is None and not header.text("until"):
            # On the Repeat line: that is the line that makes it a series, and Until has none.
            problems.add("Repeat", N_("is weekly, but the series has no last date"),
                         N_("add a line Until: with the last date, e.g. Until: {example}"), example="2026-05-26")
        if not weekly and until is not None:
            problems.add("Until", N_("is set but the activity does not repeat"), N_("add 'Repeat: weekly' or remove Until"))
        exceptions = self._dates("except", start, weekly)
        cancelled = self._dates("cancelled-dates", start, weekly)
        if weekly and start and until and until > start.date() + timedelta(days=round(365.25 * MAX_SERIES_YEARS)):
            problems.add("Until", N_("{until} is more than {years} years after the first occasion"),
                         N_("a last date within {years} years of Start"), until=until, years=MAX_SERIES_YEARS)
        if start and until and until < start.date():
            problems.add("Until", N_("{until} is before the first occasion {start}"), N_("a date after Start"),
                         until=until, start=start.date())
        if weekly and start and end and end.date() != start.date():
            problems.add("End", N_("a weekly occasion must end on the day it starts"), N_("an end time, e.g. 11:00"))
        if start is None or end is None or problems.has_errors:
            return None
        zone_start, zone_end = start.replace(tzinfo=self.timezone), end.replace(tzinfo=self.timezone)
        if not (self._happens("Start", start, start_text) & self._happens("End", end, end_text)):
            return None
        schedule = Schedule(zone_start, zone_end, weekly, until, exceptions, cancelled)
        if weekly and not self._series_exists(schedule):
            return None
        if weekly:
            occasions = {moment.date() for moment in schedule.starts}
            for day in cancelled:
                if day not in occasions and day not in exceptions:
                    problems.add("Cancelled-dates", N_("{day} is not one of the series' dates"),
                                 N_("a date between {start} and {until}"), day=day, start=start.date(), until=until)
            if not occasions:
                problems.add("Except", N_("leaves no occasion in the series"), N_("fewer exception dates"))
                return None
        return schedule

    # --- the clocks: a wall-clock time that does not exist, or happens twice --------------------------------
    # On the night the clocks go forward an hour (02:00–03:00 in Europe/Stockholm) does not exist: such a time is
    # refused. On the night they go back, an hour happens twice: the first is meant (RFC 5545 3.3.5; Python's
    # fold=0), so the page, the JSON and the feeds (local time with its TZID) all show the same moment.

    def _gap(self, moment: datetime) -> tuple[time, time] | None:
        """(first skipped minute, first minute after) when the naive `moment` does not exist in the zone."""
        if _exists(moment, self.timezone):
            return None
        first = moment
        for _ in range(24 * 60):  # at most a day back to the last minute that exists
            if _exists(first - timedelta(minutes=1), self.timezone):
                break
            first -= timedelta(minutes=1)
        skipped = moment.replace(tzinfo=self.timezone, fold=1).utcoffset() - moment.replace(
            tzinfo=self.timezone, fold=0).utcoffset()
        return first.time(), (first + skipped).time()

    def _happens(self, key: str, moment: datetime, value: str) -> bool:
        gap = self._gap(moment)
        if gap:
            self._problems.add(_name(key), N_("{value} does not exist: the clocks go forward at {start} that "
                                              "night, to {end}"), N_("a time before {start} or from {end}"),
                               value=value, start=gap[0].strftime("%H:%M"), end=gap[1].strftime("%H:%M"))
        return gap is None

    def _series_exists(self, schedule: Schedule) -> bool:
        """Every occasion of a series at a time that exists (a weekly series keeps its wall-clock time)."""
        fine = True
        for begin in schedule.starts:
            for key, moment in (("start", begin), ("end", begin + schedule.duration)):
                gap = self._gap(moment.replace(tzinfo=None))
                if gap:
                    self._problems.add(_name(key), N_("the series meets on {day} at {time}, which does not exist: "
                                                      "the clocks go forward at {start} that night, to {end}"),
                                       N_("another time, or {day} in Except"), day=moment.date(),
                                       time=moment.strftime("%H:%M"), start=gap[0].strftime("%H:%M"),
                                       end=gap[1].strftime("%H:%M"))
                    fine = False
                    break  # one problem per occasion
        return fine

    def _dates(self, key: str, start: datetime | None, weekly: bool) -> tuple[date, ...]:
        values = self._header.items_list(key)
        if values and not weekly:
            self._problems.add(_name(key), N_("only applies to a weekly series"), N_("add 'Repeat: weekly' or remove it"))
            return ()
        days = []
        for value in values:
            try:
                day = parse_date(value)
            except NoSuchDate as error:
                no_such_date(self._problems, _name(key), error, value)
                continue
            except ValueError:
                self._problems.add(_name(key), N_("'{value}' is not a date"), N_("YYYY-MM-DD, e.g. {example}"),
                                   value=value, example="2026-04-07")
                continue
            if start and day.weekday() != start.weekday():
                self._problems.add(_name(key), N_("{day} is a {weekday}, not a {series_weekday} like the series"),
                                   N_("a {series_weekday}"), day=day, weekday=WEEKDAYS[day.weekday()],
                                   series_weekday=WEEKDAYS[start.weekday()])
                continue
            days.append(day)
        return tuple(sorted(days))

    def _venue(self) -> Term | None:
        venue_id = self._header.text("venue")
        if not venue_id or venue_id.lower() == ONLINE:
            return None
        venue = self.vocabularies.venues.get(venue_id)
        if venue is None:
            self._problems.add("Venue", N_("'{value}' is not a known venue"), N_("a venue id from venues.yaml or '{online}'"),
                               self.vocabularies.venues.suggest(venue_id), value=venue_id, online=ONLINE)
        return venue

    def _choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        value = self._header.text(key).lower()
        if not value:
            return default
        if value not in allowed:
            expected, params = _either(allowed)
            self._problems.add(_name(key), N_("'{value}' is not allowed"), expected, suggest(value, allowed),
                               value=self._header.text(key), **params)
            return default
        return value


def check_translation_header(header: Header, problems: ProblemCollector) -> None:
    """Facts in an activity's translation are problems (fields.check_translation)."""
    check_known_fields(ACTIVITY, header, problems, translation=True)
    check_translation(header, problems, FIELD_NAMES, FACT_FIELDS,
                      N_("Title, Slug, Lang, Summary, How-to-register, Cancellation-note, Organiser-description and the text"),
                      N_("the activity's name in this language"))
