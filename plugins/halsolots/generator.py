"""The activity generator: reads activity files, builds the model, writes activity and listing pages.

Registered on Pelican's get_generators signal, like Pelican's own ArticlesGenerator: generate_context()
reads and validates, generate_output() renders. Every problem in every file is collected first and
reported together (see problems.py) so a communicator fixes them in one go.
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, timedelta
from itertools import groupby

from pelican.contents import Content
from pelican.generators import CachingGenerator

from .activity import ActivityParser, ActivityText, check_translation_header
from .problems import ContentError, Problem, ProblemCollector
from .site import get_site
from .source import read_header


class ActivityContent(Content):
    """One activity file as Pelican reads it (title, summary, body HTML); facts live in the model."""

    mandatory_properties = ("title",)
    allowed_statuses = ("scheduled", "cancelled", "draft")
    default_status = "scheduled"
    default_template = "activity"

    @property
    def url(self) -> str:
        site = get_site(self._context)
        return site.url(self.lang, "activity", slug=self.slug)

    @property
    def save_as(self) -> str:
        return get_site(self._context).save_as(self.url)


def identity_of(path: str, header) -> str:
    """An activity's identity: its Slug, else the file name before the first dot (so x.en.md pairs with x.md)."""
    return header.text("slug") or os.path.basename(path).split(".")[0]


class ActivityGenerator(CachingGenerator):
    def __init__(self, *args, **kwargs):
        self.activities = []
        super().__init__(*args, **kwargs)

    def generate_context(self):
        site = get_site(self.context)
        problems: list[Problem] = list(site.vocabularies.problems)
        parser = ActivityParser(site.vocabularies, site.languages)
        originals: dict[str, tuple[str, object]] = {}
        translations: dict[str, list[tuple[str, object]]] = defaultdict(list)
        files = sorted(self.get_files(self.settings["ACTIVITY_PATHS"], exclude=self.settings.get("ACTIVITY_EXCLUDES", [])))
        for relative in files:
            path = os.path.join(self.path, relative)
            header, problem = read_header(path)
            if problem:
                problems.append(problem)
                continue
            collector = ProblemCollector(path, header)
            lang = header.text("lang").lower() or site.default_lang
            slug = identity_of(path, header)
            if lang not in site.languages:
                collector.add("Lang", f"'{lang}' is not a language of this site", " or ".join(site.languages))
            elif lang == site.default_lang:
                if slug in originals:
                    collector.add("Slug", f"'{slug}' is also used by {os.path.relpath(originals[slug][0], self.path)}",
                                  "a Slug no other activity has")
                else:
                    originals[slug] = (relative, header)
            else:
                check_translation_header(header, collector)
                translations[slug].append((relative, header))
            problems.extend(collector.problems)

        activities = []
        for slug, (relative, header) in originals.items():
            path = os.path.join(self.path, relative)
            collector = ProblemCollector(path, header)
            activity = parser.parse(slug, path, header, collector)
            problems.extend(collector.problems)
            if activity is None:
                translations.pop(slug, None)  # its translations are fine; the original's problems say it all
                continue
            for text_relative, text_header in [(relative, header), *translations.pop(slug, [])]:
                content = self._read(text_relative, slug)
                if content is not None:
                    activity.texts[content.lang] = ActivityText(
                        lang=content.lang, title=content.title, summary=content.summary, body=content.content,
                        how_to_register=text_header.text("how-to-register"),
                        cancellation_note=text_header.text("cancellation-note"),
                        source_path=os.path.join(self.path, text_relative),
                    )
            activities.append(activity)
        for slug, orphans in sorted(translations.items()):
            for relative, header in orphans:
                problems.append(Problem(os.path.join(self.path, relative), header["slug"].line if "slug" in header else 1,
                                        "Slug", f"no {site.default_lang} original has the Slug '{slug}'",
                                        "the same Slug as the original file"))

        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise ContentError(errors, root=os.path.dirname(self.path.rstrip(os.sep)) or None)
        self.warnings = [p for p in problems if p.severity != "error"]

        show_drafts = self.settings.get("SHOW_DRAFTS", False)
        self.activities = sorted(
            (a for a in activities if show_drafts or not a.draft),
            key=lambda a: (a.schedule.start, a.slug),
        )
        self.context["activities"] = self.activities
        self.save_cache()
        self.readers.save_cache()

    def _read(self, relative: str, slug: str):
        content = self.get_cached_data(relative, None)
        if content is None:
            content = self.readers.read_file(base_path=self.path, path=relative, content_class=ActivityContent,
                                             context=self.context)
            self.cache_data(relative, content)
        content.slug = slug
        self.add_source_path(content)
        return content

    # --- output ---------------------------------------------------------------------------------------------

    def generate_output(self, writer):
        site = get_site(self.context)
        programme = Programme(self.activities, site.today, self.settings.get("LISTING_WEEKS", 4),
                              site.vocabularies.target_groups)
        vocab = site.vocabularies
        for lang in site.languages:
            def write(kind, template, **values):
                page_values = {k: v for k, v in values.items() if isinstance(v, str)}
                url = site.url(lang, kind, **page_values)
                writer.write_file(site.save_as(url), self.get_template(template), self.context, lang=lang,
                                  page_url=url, alternates=site.alternates(kind, **page_values),
                                  relative_urls=self.settings["RELATIVE_URLS"], **values)

            for activity in self.activities:
                write("activity", "activity", slug=activity.slug, activity=activity,
                      upcoming=activity.upcoming(site.today))
            write("home", "home", programme=programme)
            for week in programme.weeks:
                if week.first:
                    write("programme", "programme", programme=programme, week_page=week)
                else:
                    write("programme_week", "programme", week=week.key, programme=programme, week_page=week)
            for facet, kind, vocabulary in (("districts", "district", vocab.districts),
                                            ("target_groups", "target_group", vocab.target_groups),
                                            ("categories", "category", vocab.categories)):
                for term in vocabulary:
                    listing = programme.listing(facet, term.id)
                    write(kind, "listing", id=term.id, term=term, facet=facet, listing=listing,
                          subgroups=programme.groups_in(facet, term.id) if facet == "districts" else ())
            for district in vocab.districts:
                for group in programme.groups_in("districts", district.id):
                    listing = programme.listing("districts", district.id).narrowed("target_groups", group.id)
                    write("district_group", "listing", id=district.id, group=group.id, term=district,
                          group_term=group, facet="districts", listing=listing, subgroups=())


class Listing:
    """Upcoming occurrences of some activities: the next weeks day by day, and every upcoming activity."""

    def __init__(self, activities, today: date, weeks: int):
        self.activities = [a for a in activities if not a.is_past(today)]
        self.today = today
        self.weeks = weeks
        horizon = today + timedelta(weeks=weeks)
        occurrences = sorted(
            (occ for a in self.activities for occ in a.upcoming(today) if occ.day < horizon),
            key=lambda occ: (occ.start, occ.activity.slug),
        )
        self.days = [(day, list(group)) for day, group in groupby(occurrences, key=lambda occ: occ.day)]
        self.horizon = horizon

    def narrowed(self, facet: str, term_id: str) -> "Listing":
        return Listing([a for a in self.activities if term_id in a.term_ids[facet]], self.today, self.weeks)

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
        self._by_term: dict[tuple[str, str], list] = defaultdict(list)
        for activity in activities:
            for facet, ids in activity.term_ids.items():
                for term_id in ids:
                    self._by_term[(facet, term_id)].append(activity)
        occurrences = sorted(
            (occ for a in activities for occ in a.upcoming(today)), key=lambda occ: (occ.start, occ.activity.slug)
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
        return Listing(self._by_term.get((facet, term_id), []), self.today, self.listing_weeks)

    def this_week(self) -> Listing:
        return Listing(self.activities, self.today, 1)

    def groups_in(self, facet: str, term_id: str):
        """Target groups with upcoming activities within a district (for the district × group pages)."""
        present = {group.id for activity in self._by_term.get((facet, term_id), [])
                   if not activity.is_past(self.today) for group in activity.target_groups}
        return [group for group in self.target_groups if group.id in present]
