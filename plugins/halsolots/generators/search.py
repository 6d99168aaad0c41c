"""Site search: what each page tells the index (records, filters) and the search page in every language.

Pages opt in: a content template sets `search_record` (built here, see `activity_search_record` and
`page_search_record`), and base.html then marks its <main> with `data-pagefind-body` and adds the filters and
metadata (labels in the page's language). Pages without a record (listings, the search page itself, past
activities) stay out of the index. The index itself is made after the output by build/searchindex.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from jinja2 import pass_context
from pelican import signals
from pelican.generators import Generator
from ..site import i18n
from .contents import page_writer
from ..site.site import get_site
from ..site.site import SEARCH_FOLDER


# Filter ids as Pagefind stores them (stable in every language; the values are labels in the page's language).
FILTERS = ("type", "district", "group", "category", "theme", "language")


@dataclass
class SearchRecord:
    """What one page contributes to the search index besides its text."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    def filter_items(self) -> list[tuple[str, str]]:
        """(filter id, value) pairs in the fixed filter order, each value once, sorted for stable output."""
        return [(name, value) for name in FILTERS for value in sorted(set(self.filters.get(name, ())))]

    def meta_items(self) -> list[tuple[str, str]]:
        return sorted((key, value) for key, value in self.meta.items() if value)


def page_search_record(content_type: str, districts=(), target_groups=(), categories=(), themes=(), languages=(),
                       **meta) -> SearchRecord:
    """A record for any content kind; terms are vocabulary Terms, languages ISO codes (labelled here)."""
    filters = {
        "type": [content_type],
        "district": [i18n.label(t) for t in districts],
        "group": [i18n.label(t) for t in target_groups],
        "category": [i18n.label(t) for t in categories],
        "theme": [i18n.label(t) for t in themes],
        "language": [_capitalised(i18n.language_name(code)) for code in languages],
    }
    return SearchRecord({k: v for k, v in filters.items() if v}, {k: str(v) for k, v in meta.items() if v})


def searchable(activity, today) -> bool:
    """Past activities (every date gone) and drafts stay out of the index (and the open data, export.py)."""
    return not activity.draft and not activity.is_past(today)


@pass_context
def activity_search_record(context, activity) -> SearchRecord | None:
    today = context["today"]
    if not searchable(activity, today):
        return None
    meta = {}
    upcoming = activity.next_occurrence(today)
    if upcoming:
        meta["when"] = i18n.format_when(upcoming.start, upcoming.end)
    if activity.cancelled:
        meta["status"] = i18n.gettext("Cancelled")
    return page_search_record(i18n.gettext("Activity"), districts=activity.districts,
                              target_groups=activity.target_groups, categories=(activity.category,),
                              themes=activity.themes, languages=activity.languages, **meta)


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def result_count_messages(lang: str) -> dict[str, str]:
    """The 'N results' message for every CLDR plural category of `lang`, `{count}` in place of the number."""
    return i18n.plural_messages(lang, lambda n: i18n.ngettext("%(num)d result", "%(num)d results", n))


class SearchGenerator(Generator):
    """Writes the search page in every language."""

    def generate_output(self, writer):
        site = get_site(self.context)
        # (facet, kind of its term pages) for the links without JavaScript: kinds the site has pages for.
        browse = [(facet, kind) for facet, kind in (("districts", "district"), ("target_groups", "target_group"),
                                                    ("categories", "category"), ("themes", "theme"))
                  if all("{id}" in site.pattern(lang, kind) for lang in site.languages)
                  and len(site.vocabularies[facet])]
        pagefind_url = f"{self.settings['SITEURL']}/{SEARCH_FOLDER}/pagefind.js"
        for lang in writer.languages:
            with i18n.language(lang):
                messages = result_count_messages(lang)
            write = page_writer(self, writer, lang, browse=browse, filter_ids=FILTERS, pagefind_url=pagefind_url)
            write("search", "search", count_messages=messages)


def _setup_jinja(generator) -> None:
    generator.env.globals.update(activity_search_record=activity_search_record, page_search_record=page_search_record)


def register() -> None:
    signals.generator_init.connect(_setup_jinja)
