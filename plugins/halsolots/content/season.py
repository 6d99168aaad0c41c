"""A printed programme's model: the activities of a period as a handout shows them, grouped by weekday.

A period is a season (PRINT_SEASONS in the settings, by month and day) or any two dates (`make print FROM=…
TO=…`). Within it, a weekly series appears once under its weekday with its first and last date in the period,
the dates it does not meet and the dates that are cancelled; an activity on single dates appears under the
weekday of each date, after the series, in date order. Drafts and cancelled activities are left out: a
handout lists only what people can come to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# (first month-day, last month-day) of each season; a season may not cross the new year.
DEFAULT_SEASONS = (("01-01", "05-31"), ("06-01", "08-31"), ("09-01", "12-31"))
# A season that began at most this many days ago is still "the coming season": it is being handed out.
SEASON_GRACE_DAYS = 14


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"the period ends ({self.end}) before it starts ({self.start})")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def slug(self) -> str:
        """The period in a file name: 2027-01-01--2027-05-31."""
        return f"{self.start.isoformat()}--{self.end.isoformat()}"


def _season(year: int, season: tuple[str, str]) -> Period:
    first, last = season
    return Period(date.fromisoformat(f"{year}-{first}"), date.fromisoformat(f"{year}-{last}"))


def coming_season(today: date, seasons=DEFAULT_SEASONS) -> Period:
    """The season a printed programme is for: the next one to begin after `today`, or the one that began at most
    SEASON_GRACE_DAYS ago."""
    candidates = sorted((_season(year, season) for year in (today.year, today.year + 1) for season in seasons),
                        key=lambda period: period.start)
    for period in candidates:
        if period.start >= today - timedelta(days=SEASON_GRACE_DAYS):
            return period
    raise ValueError("PRINT_SEASONS has no season")


def print_period(settings: dict, today: date) -> Period:
    """PRINT_FROM and PRINT_TO when both are set (YYYY-MM-DD), else the coming season of PRINT_SEASONS."""
    start, end = settings.get("PRINT_FROM"), settings.get("PRINT_TO")
    if start or end:
        if not (start and end):
            raise ValueError("give both PRINT_FROM and PRINT_TO (make print FROM=YYYY-MM-DD TO=YYYY-MM-DD)")
        return Period(_as_date(start), _as_date(end))
    return coming_season(today, tuple(tuple(s) for s in settings.get("PRINT_SEASONS") or DEFAULT_SEASONS))


def _as_date(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a date (YYYY-MM-DD, e.g. 2027-01-01)") from None


@dataclass(frozen=True)
class Entry:
    """One activity in the programme: a weekly series once, or one single date."""

    activity: object
    occurrences: tuple  # its occasions in the period, in order (cancelled ones included)
    weekly: bool

    @property
    def first(self):
        return self.occurrences[0]

    @property
    def last(self):
        return self.occurrences[-1]

    @property
    def cancelled_days(self) -> tuple[date, ...]:
        return tuple(occ.day for occ in self.occurrences if occ.cancelled)

    @property
    def skipped_days(self) -> tuple[date, ...]:
        """Dates between the first and last occasion in the period when a series does not meet (Except)."""
        return tuple(day for day in self.activity.schedule.exceptions if self.first.day <= day <= self.last.day)


class SeasonProgramme:
    """The activities of one district (or the whole city) in a period, as the printed programme lists them."""

    def __init__(self, activities, period: Period):
        self.period = period
        self.activities = []
        weekly: list[Entry] = []
        single: list[Entry] = []
        for activity in activities:
            if activity.draft or activity.cancelled:
                continue
            occurrences = tuple(occ for occ in activity.occurrences if occ.day in period)
            if not occurrences or all(occ.cancelled for occ in occurrences):
                continue
            self.activities.append(activity)
            if activity.schedule.weekly:
                weekly.append(Entry(activity, occurrences, True))
            else:
                single += [Entry(activity, (occ,), False) for occ in occurrences]
        weekly.sort(key=lambda e: (e.first.start.timetz().replace(tzinfo=None), e.first.day, e.activity.slug))
        single.sort(key=lambda e: (e.first.start.replace(tzinfo=None), e.activity.slug))
        by_day: dict[int, list[Entry]] = {}
        for entry in weekly + single:
            by_day.setdefault(entry.first.day.weekday(), []).append(entry)
        #: (weekday, entries), Monday first: the series by time of day, then the single dates in date order
        self.weekdays: list[tuple[int, list[Entry]]] = sorted(by_day.items())

    def __bool__(self) -> bool:
        return bool(self.activities)
