"""Referral for healthcare staff: which activities suit a need (content/data/referral-needs.yaml).

A need is a term whose data says what makes an activity suit it: `far` (the activity's FaR field), `themes`,
`groups` (target groups), `other-language` (held in a language other than the site's default) and
`accessibility` (venue facts it must all have; an online activity has no venue to reach). Any one of them is
enough. A referral sheet lists the matching activities of a district that can still be come to, soonest
first.
"""

from __future__ import annotations

from datetime import date

SHEET_LIMIT = 6  # activities on one sheet: it must print on one A4 page (the rest: the QR code to the district page)


def suits(need, activity, default_lang: str) -> bool:
    data = need.data
    if data.get("far") is True and activity.far:
        return True
    if set(_list(data.get("themes"))) & set(activity.term_ids["themes"]):
        return True
    if set(_list(data.get("groups"))) & set(activity.term_ids["target_groups"]):
        return True
    if data.get("other-language") is True and any(code != default_lang for code in activity.languages):
        return True
    features = _list(data.get("accessibility"))
    if features and (activity.online or set(features) <= set(_list(activity.venue.get("accessibility")))):
        return True
    return False


def _list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def referral_activities(activities, district_id: str, need, today: date, default_lang: str) -> list:
    """The activities of the district that suit the need and have an occasion to come to, soonest first."""
    found = [a for a in activities
             if not a.draft and not a.cancelled and district_id in a.term_ids["districts"]
             and a.next_occurrence(today) is not None and suits(need, a, default_lang)]
    return sorted(found, key=lambda a: (a.next_occurrence(today).start, a.slug))


def weekdays(activity, today: date) -> tuple[int, ...]:
    """The weekdays (Monday 0) of its coming occasions, for the sheet's weekday filter."""
    return tuple(sorted({occ.day.weekday() for occ in activity.upcoming(today) if not occ.cancelled}))
