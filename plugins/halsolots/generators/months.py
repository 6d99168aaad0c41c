"""The programme's month overview: this month and the next as an accessible table of days (programme.html)."""

from __future__ import annotations

import calendar


def month_overview(programme, site, lang: str, months: int = 2) -> list[dict]:
    """This month and the next as calendar weeks (Monday first) for an accessible table: each day with the number
    of its occasions that are not cancelled and the programme page that lists it (None before today)."""
    pages = {}
    for week in programme.weeks:
        url = site.url(lang, "programme") if week.first else site.url(lang, "programme_week", week=week.key)
        for day, _ in week.days:
            pages[day] = url
    counts = {}
    for week in programme.weeks:
        for day, occurrences in week.days:
            counts[day] = sum(not occ.cancelled for occ in occurrences)
    year, month = site.today.year, site.today.month
    found = []
    for _ in range(months):
        weeks = [[{"day": day, "in_month": day.month == month, "count": counts.get(day, 0) if day >= site.today else None,
                   "url": pages.get(day)} for day in days]
                 for days in calendar.Calendar(0).monthdatescalendar(year, month)]
        found.append({"first": site.today.replace(year=year, month=month, day=1), "weeks": weeks})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
