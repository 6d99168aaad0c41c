"""The activity generator: reads activity files, builds the model, writes activity and listing pages.

Registered on Pelican's get_generators signal, like Pelican's own ArticlesGenerator: generate_context()
reads and validates, generate_output() renders. Every problem in every file is collected first and
reported together (see content/problems.py) so a communicator fixes them in one go.
"""

from __future__ import annotations

import os
from ..site import i18n
from ..content.activity import ActivityText
from ..content.history import last_changes
from ..content.reading import raise_or_report, read_activities
from ..site.site import get_site
from ..content.vocabulary import Term, Text
from ..content.programme import Programme
from .contents import ActivityContent, ContentGenerator, page_writer, prefetch, read_content, save_caches
from .months import month_overview


class ActivityGenerator(ContentGenerator):
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
                    organiser_description=text_header.text("organiser-description"),
                    source_path=os.path.join(self.path, text_relative),
                )

        # When each activity's files last changed: one git call for all of them (content/history.py).
        files = {activity.slug: [activity.source_path, *(os.path.join(self.path, relative)
                                                         for relative, _ in sources.text_files[activity.slug])]
                 for activity in sources.activities}
        changes = last_changes(self.path, sorted({path for paths in files.values() for path in paths}))
        for activity in sources.activities:
            activity.changed = max((changes[path] for path in files[activity.slug] if path in changes), default=None)

        show_drafts = self.settings.get("SHOW_DRAFTS", False)
        self.activities = [a for a in sources.activities if show_drafts or not a.draft]
        self.context["activities"] = self.activities
        save_caches(self)

    # --- output ---------------------------------------------------------------------------------------------

    def generate_output(self, writer):
        site = get_site(self.context)
        programme = Programme(self.activities, site.today, self.settings.get("LISTING_WEEKS", 4),
                              site.vocabularies.target_groups)
        vocab = site.vocabularies
        activity_languages = language_terms(self.activities, site)
        this_week = programme.this_week()
        # Target groups with upcoming activities in each district: the district pages' subgroups and the
        # district × group pages, the same in every language.
        groups_in = {district.id: programme.groups_in("districts", district.id) for district in vocab.districts}
        for lang in writer.languages:
            write = page_writer(self, writer, lang)
            for activity in self.activities:
                write("activity", "activity", slug=activity.slug, activity=activity)
            # Each page gets only what it shows: its template sees nothing else (writer.py).
            write("home", "home", this_week=this_week, activity_languages=activity_languages)
            for week in programme.weeks:
                if week.first:
                    write("programme", "programme", week_page=week, finder_languages=activity_languages,
                          months=month_overview(programme, site, lang))
                else:
                    write("programme_week", "programme", week=week.key, week_page=week)
            # Categories marked `guide: true` (categories.yaml): a district page says where and when to meet a
            # health guide there (Södra Älvsborg's drop-in times); a site without them shows nothing of it.
            guide_categories = [category for category in vocab.categories if category.get("guide")]
            for facet, kind, vocabulary in (("districts", "district", vocab.districts),
                                            ("target_groups", "target_group", vocab.target_groups),
                                            ("categories", "category", vocab.categories),
                                            ("languages", "activity_language", activity_languages)):
                for term in vocabulary:
                    listing = programme.listing(facet, term.id)
                    district_values = {}
                    if facet == "districts" and guide_categories:
                        district_values["guides"] = [a for category in guide_categories
                                                     for a in listing.narrowed("categories", category.id).activities]
                    write(kind, "listing", id=term.id, term=term, facet=facet, listing=listing,
                          subgroups=groups_in[term.id] if facet == "districts" else (),
                          finder_languages=activity_languages if facet == "districts" else (), **district_values)
            for district in vocab.districts:
                for group in groups_in[district.id]:
                    listing = programme.listing("districts", district.id).narrowed("target_groups", group.id)
                    write("district_group", "listing", id=district.id, group=group.id, term=district,
                          group_term=group, facet="districts", listing=listing, subgroups=())


def language_terms(activities, site) -> list[Term]:
    """The languages activities are held in, as terms named in every site language (by Babel's CLDR data), each
    with its name in its own language and script (`native`, `lang`, `dir`) for the links people choose from."""
    codes = sorted({code for activity in activities for code in activity.languages})
    return [Term(code, Text(tuple((lang, i18n.language_name(code, lang).capitalize()) for lang in site.languages),
                            site.default_lang), Text((), site.default_lang),
                 {"native": i18n.native_language_name(code), "lang": code, "dir": i18n.direction(code)})
            for code in codes]
