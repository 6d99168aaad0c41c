"""What every generator of one build shares: languages, URLs, vocabularies and "today"."""

from __future__ import annotations

import os
from datetime import date, datetime

from jinja2 import pass_context

from ..content.activity import TIMEZONE
from ..content.source import file_stamp
from ..content.vocabulary import Vocabularies

# Where each kind of generated page lives, below a language's prefix ('' for the default language).
DEFAULT_PATHS = {
    "home": "",
    "programme": "program/",
    "programme_week": "program/{week}/",
    "activity": "aktivitet/{slug}/",
    "district": "omrade/{id}/",
    "district_group": "omrade/{id}/{group}/",
    "target_group": "malgrupp/{id}/",
    "category": "kategori/{id}/",
    "calendars": "kalender/",
    "calendar_all": "kalender/alla.ics",
    "calendar_district": "kalender/omrade/{id}.ics",
    "calendar_target_group": "kalender/malgrupp/{id}.ics",
    "calendar_category": "kalender/kategori/{id}.ics",
    "calendar_activity": "aktivitet/{slug}/{slug}.ics",
    "activity_language": "sprak/{id}/",
    "news": "nyheter/",
    "search": "sok/",
    "health_index": "halsa/",
    "health": "halsa/{slug}/",
    "theme": "tema/{id}/",
    "films": "filmer/",
    "film": "filmer/{slug}/",
    "film_theme": "filmer/tema/{id}/",
    "film_series": "filmer/serie/{id}/",
}

# The search index's folder in the output (Pagefind's bundle).
SEARCH_FOLDER = "pagefind"


def site_languages(settings: dict) -> list[str]:
    """The site's languages (LANGUAGES, else just DEFAULT_LANG), the default language first."""
    return list(settings.get("LANGUAGES") or [settings["DEFAULT_LANG"]])


class Site:
    def __init__(self, settings: dict):
        self.settings = settings
        self.languages: list[str] = site_languages(settings)
        self.default_lang: str = self.languages[0]
        self.paths = {**DEFAULT_PATHS, **settings.get("HALSOLOTS_PATHS", {})}
        content_path = settings["PATH"]
        self.data_path = os.path.join(content_path, settings.get("DATA_PATH", "data"))
        self.vocabularies = Vocabularies(self.data_path, self.default_lang)
        self.today = self._today(settings.get("TODAY"))

    @staticmethod
    def _today(value) -> date:
        if isinstance(value, date):
            return value
        if value:
            return date.fromisoformat(str(value))
        return datetime.now(TIMEZONE).date()

    def data_stamp(self) -> tuple:
        """The vocabulary files' names, times and sizes: what models parsed from them depend on."""
        names = sorted(os.listdir(self.data_path)) if os.path.isdir(self.data_path) else []
        stamps = tuple((name, file_stamp(os.path.join(self.data_path, name))) for name in names)
        return self.data_path, self.default_lang, stamps

    def prefix(self, lang: str) -> str:
        return "" if lang == self.default_lang else f"{lang}/"

    def url(self, lang: str, kind: str, **values) -> str:
        """Site-relative URL ('en/omrade/centrum/') of a generated page."""
        return self.prefix(lang) + self.paths[kind].format(**values)

    @staticmethod
    def save_as(url: str) -> str:
        return url + "index.html" if url.endswith("/") or not url else url

    def alternates(self, kind: str, **values) -> dict[str, str]:
        """The same generated page in every site language."""
        return {lang: self.url(lang, kind, **values) for lang in self.languages}


def get_site(context: dict) -> Site:
    """One Site per build, kept in Pelican's shared context."""
    if "halsolots_site" not in context:
        context["halsolots_site"] = Site(context)
    return context["halsolots_site"]


@pass_context
def template_url(context, kind: str, **values) -> str:
    """The Jinja global `url(kind, **values)`: the site-relative URL of a generated page in the page's language,
    e.g. `{{ SITEURL }}/{{ url("theme", id=theme.id) }}`."""
    return get_site(context).url(context["lang"], kind, **values)
