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
from pelican.cache import FileStampDataCacher
from pelican.generators import CachingGenerator, Generator

from . import i18n, parallel
from .activity import ActivityText
from .content_check import raise_or_report, read_activities
from .parallel import ShardedOutput
from .site import get_site
from .source import file_stamp
from .vocabulary import Term, Text


class SiteContent(Content):
    """A content file (title, summary, body HTML) whose page is one of the site's kinds (site.py paths).

    The facts live in the models; Pelican's Content gives the Markdown rendering, `{filename}` links and
    the content cache.
    """

    mandatory_properties = ("title",)
    kind = ""

    @property
    def url(self) -> str:
        return get_site(self._context).url(self.lang, self.kind, slug=self.slug)

    @property
    def save_as(self) -> str:
        return get_site(self._context).save_as(self.url)


class ActivityContent(SiteContent):
    kind = "activity"
    allowed_statuses = ("scheduled", "cancelled", "draft")
    default_status = "scheduled"
    default_template = "activity"


def page_writer(generator, writer, lang: str, **common):
    """`write(kind, template, **values)`: one generated page of a kind (site.py paths) in `lang`, with its
    alternates in every site language; string values fill the URL pattern, all values go to the template."""
    site = get_site(generator.context)

    def write(kind: str, template: str, **values):
        page_values = {k: v for k, v in values.items() if isinstance(v, str)}
        url = site.url(lang, kind, **page_values)
        writer.write_file(site.save_as(url), generator.get_template(template), generator.context, lang=lang,
                          page_url=url, alternates=site.alternates(kind, **page_values),
                          relative_urls=generator.settings["RELATIVE_URLS"], **common, **values)

    return write


# Content objects already read in this process (the devserver builds again and again): by generator, path
# and how files are read (settings and plugin code); an entry counts while the file's time and size match.
_read: dict[tuple, tuple] = {}
_warm: set[tuple] = set()


class ContentGenerator(CachingGenerator):
    """A generator whose files are read by read_content. Once this process has read them (the devserver's
    later builds), Pelican's cache file is neither loaded nor written: the objects are in memory."""

    def __init__(self, *args, **kwargs):
        name = type(self).__name__
        Generator.__init__(self, *args, readers_cache_name=name + "-Readers", **kwargs)
        settings = self.settings
        warm = (name, settings.get("HALSOLOTS_CODE_KEY")) in _warm
        layer = settings["CONTENT_CACHING_LAYER"] == "generator" and not warm
        FileStampDataCacher.__init__(self, settings, name, layer and settings["CACHE_CONTENT"],
                                     layer and settings["LOAD_CONTENT_CACHE"])


def _in_memory(generator, relative: str):
    """(key, stamp, content or None): the content object this process read from the file as it is now."""
    key = (type(generator).__name__, generator.settings.get("HALSOLOTS_CODE_KEY"), os.path.join(generator.path, relative))
    stamp = file_stamp(key[2])
    entry = _read.get(key)
    return key, stamp, entry[1] if entry is not None and entry[0] == stamp else None


def read_content(generator: CachingGenerator, relative: str, slug: str, content_class):
    """A content file read by Pelican's readers (through this process's and Pelican's caches), with the
    model's slug. Sets `generator.read_fresh` when a file had to be read."""
    key, stamp, content = _in_memory(generator, relative)
    prefetched = getattr(generator, "prefetched", {}).pop(relative, None)
    if content is None:
        content = prefetched or generator.get_cached_data(relative, None)
        if content is None or prefetched is not None:
            content = content or _read_file(generator, relative, content_class)
            generator.cache_data(relative, content)
            generator.read_fresh = True
        if key[1] is not None:
            _read[key] = (stamp, content)
            _warm.add(key[:2])
    content._context = generator.context  # as rebind_contexts, already now: the model reads its HTML below
    content.slug = slug
    generator.add_source_path(content)
    return content


def rebind_contexts(generators) -> None:
    """all_generators_finalized: every content object (Pelican's pages and news too) that came from a cache
    keeps the context of the build that read it; links between files must resolve in this build's."""
    context = generators[0].context
    for content in context.get("generated_content", {}).values():
        content._context = context


def _read_file(generator, relative: str, content_class):
    return generator.readers.read_file(base_path=generator.path, path=relative, content_class=content_class,
                                       context=generator.context)


def prefetch(generator, files: list[tuple[str, type]]) -> None:
    """Read the files (relative path, content class) that no cache holds on both cores, before read_content
    asks for them one by one: Markdown is most of a cold build's reading."""
    missing = [(relative, content_class) for relative, content_class in files
               if _in_memory(generator, relative)[2] is None and generator.get_cached_data(relative, None) is None]

    def read(job):
        content = _read_file(generator, *job)
        content._context = None  # the build's whole context stays out of the pickle; read_content sets it
        return content

    generator.prefetched = dict(zip((relative for relative, _ in missing),
                                    parallel.map_in_two(read, missing, generator.settings)))


def save_caches(generator: CachingGenerator) -> None:
    """Pelican writes its content cache whole: only when some file was read anew."""
    if getattr(generator, "read_fresh", False):
        generator.save_cache()
        generator.readers.save_cache()


class ActivityGenerator(ShardedOutput, ContentGenerator):
    def __init__(self, *args, **kwargs):
        self.activities = []
        super().__init__(*args, **kwargs)

    def generate_context(self):
        site = get_site(self.context)
        sources = read_activities(self.path, self.settings, site)
        raise_or_report(sources, self.path, self.settings.get("MESSAGES_LANG"))
        prefetch(self, [(relative, ActivityContent) for activity in sources.activities
                        for relative, _ in sources.text_files[activity.slug]])
        for activity in sources.activities:
            for text_relative, text_header in sources.text_files[activity.slug]:
                content = read_content(self, text_relative, activity.slug, ActivityContent)
                activity.texts[content.lang] = ActivityText(
                    lang=content.lang, title=content.title, summary=content.summary, body=content.content,
                    how_to_register=text_header.text("how-to-register"),
                    cancellation_note=text_header.text("cancellation-note"),
                    source_path=os.path.join(self.path, text_relative),
                )

        show_drafts = self.settings.get("SHOW_DRAFTS", False)
        self.activities = [a for a in sources.activities if show_drafts or not a.draft]
        self.context["activities"] = self.activities
        save_caches(self)

    # --- output ---------------------------------------------------------------------------------------------

    def write_output(self, writer):
        site = get_site(self.context)
        programme = Programme(self.activities, site.today, self.settings.get("LISTING_WEEKS", 4),
                              site.vocabularies.target_groups)
        vocab = site.vocabularies
        activity_languages = language_terms(self.activities, site)
        this_week = programme.this_week()
        # Target groups with upcoming activities in each district: the district pages' subgroups and the
        # district × group pages, the same in every language.
        groups_in = {district.id: programme.groups_in("districts", district.id) for district in vocab.districts}
        for lang in site.languages:
            write = page_writer(self, writer, lang)
            for activity in self.activities:
                write("activity", "activity", slug=activity.slug, activity=activity)
            # Each page gets only what it shows, so the output cache (outputcache.py) can tell what changed.
            write("home", "home", this_week=this_week, activity_languages=activity_languages)
            for week in programme.weeks:
                if week.first:
                    write("programme", "programme", week_page=week)
                else:
                    write("programme_week", "programme", week=week.key, week_page=week)
            for facet, kind, vocabulary in (("districts", "district", vocab.districts),
                                            ("target_groups", "target_group", vocab.target_groups),
                                            ("categories", "category", vocab.categories),
                                            ("languages", "activity_language", activity_languages)):
                for term in vocabulary:
                    listing = programme.listing(facet, term.id)
                    write(kind, "listing", id=term.id, term=term, facet=facet, listing=listing,
                          subgroups=groups_in[term.id] if facet == "districts" else ())
            for district in vocab.districts:
                for group in groups_in[district.id]:
                    listing = programme.listing("districts", district.id).narrowed("target_groups", group.id)
                    write("district_group", "listing", id=district.id, group=group.id, term=district,
                          group_term=group, facet="districts", listing=listing, subgroups=())


def language_terms(activities, site) -> list[Term]:
    """The languages activities are held in, as terms named in every site language (by Babel's CLDR data)."""
    codes = sorted({code for activity in activities for code in activity.languages})
    return [Term(code, Text(tuple((lang, i18n.language_name(code, lang).capitalize()) for lang in site.languages),
                            site.default_lang), Text((), site.default_lang)) for code in codes]


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
