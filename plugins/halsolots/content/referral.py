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


def referral_sheets(activities, districts, needs, today: date, default_lang: str) -> dict:
    """{(district id, need id): the activities of the district that suit the need and have an occasion to come
    to, soonest first}. Each activity's next occasion is found once, not once per sheet."""
    coming = []
    for activity in activities:
        if activity.draft or activity.cancelled:
            continue
        occurrence = activity.next_occurrence(today)
        if occurrence is not None:
            coming.append(((occurrence.start, activity.slug), activity))
    coming.sort(key=lambda entry: entry[0])
    sheets = {}
    for district in districts:
        here = [activity for _order, activity in coming if district.id in activity.term_ids["districts"]]
        for need in needs:
            sheets[(district.id, need.id)] = [activity for activity in here if suits(need, activity, default_lang)]
    return sheets


def weekdays(activity, today: date) -> tuple[int, ...]:
    """The weekdays (Monday 0) of its coming occasions, for the sheet's weekday filter."""
    return tuple(sorted({occ.day.weekday() for occ in activity.upcoming(today) if not occ.cancelled}))
