"""The programme model: every upcoming occurrence in date order, week pages, and listings per term.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from itertools import groupby
from operator import attrgetter

_in_order = attrgetter("order")  # (start, slug): Occurrence.order


class Listing:
    """Upcoming occurrences of some activities: the next weeks day by day, and every upcoming activity."""

    def __init__(self, activities, today: date, weeks: int):
        self.activities = [a for a in activities if not a.is_past(today)]
        self.today = today
        self.weeks = weeks
        horizon = today + timedelta(weeks=weeks)
        occurrences = sorted(
            (occ for a in self.activities for occ in a.upcoming(today) if occ.day < horizon),
            key=_in_order,
        )
        self.days = [(day, list(group)) for day, group in groupby(occurrences, key=lambda occ: occ.day)]
        self.horizon = horizon
        self._narrowed: dict[tuple[str, str], Listing] = {}

    def narrowed(self, facet: str, term_id: str) -> "Listing":
        # Kept: every language's page asks for the same narrowed listing.
        if (facet, term_id) not in self._narrowed:
            self._narrowed[(facet, term_id)] = Listing([a for a in self.activities if term_id in a.term_ids[facet]],
                                                       self.today, self.weeks)
        return self._narrowed[(facet, term_id)]

    def __bool__(self):
        return bool(self.activities)


class Week:
    def __init__(self, key: str, days, first: bool):
        self.key = key
        self.days = days
        self.first = first
        self.previous = None
        self.next = None


class Programme:
    """The whole programme: each occurrence once, in date order, split into week pages."""

    def __init__(self, activities, today: date, listing_weeks: int, target_groups=()):
        self.activities = activities
        self.target_groups = list(target_groups)
        self.today = today
        self.listing_weeks = listing_weeks
        self._listings: dict[tuple[str, str], Listing] = {}
        self._by_term: dict[tuple[str, str], list] = defaultdict(list)
        for activity in activities:
            for facet, ids in activity.term_ids.items():
                for term_id in ids:
                    self._by_term[(facet, term_id)].append(activity)
        occurrences = sorted(
            (occ for a in activities for occ in a.upcoming(today)), key=_in_order
        )
        self.weeks = self._weeks(occurrences)

    def _weeks(self, occurrences):
        # The first page holds the rest of this week and all of next week, so it is never nearly empty.
        first_end = self.today + timedelta(days=13 - self.today.weekday())
        by_week: dict[str, list] = {}
        for occ in occurrences:
            if occ.day <= first_end:
                key = ""
            else:
                year, week, _ = occ.day.isocalendar()
                key = f"{year}-v{week:02d}"
            by_week.setdefault(key, []).append(occ)
        by_week.setdefault("", [])
        weeks = [Week(key, [(d, list(g)) for d, g in groupby(items, key=lambda o: o.day)], key == "")
                 for key, items in sorted(by_week.items())]
        for previous, following in zip(weeks, weeks[1:]):
            previous.next, following.previous = following, previous
        return weeks

    def listing(self, facet: str, term_id: str) -> Listing:
        # Built once per build, not once per language and district × group page: linear in occurrences.
        if (facet, term_id) not in self._listings:
            self._listings[(facet, term_id)] = Listing(self._by_term.get((facet, term_id), []), self.today,
                                                       self.listing_weeks)
        return self._listings[(facet, term_id)]

    def this_week(self) -> Listing:
        return Listing(self.activities, self.today, 1)

    def groups_in(self, facet: str, term_id: str):
        """Target groups with upcoming activities within a district (for the district × group pages)."""
        present = {group.id for activity in self.listing(facet, term_id).activities
                   for group in activity.target_groups}
        return [group for group in self.target_groups if group.id in present]
