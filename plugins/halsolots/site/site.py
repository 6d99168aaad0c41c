"""What every generator of one build shares: languages, URLs, vocabularies and "today"."""

from __future__ import annotations

import re

from jinja2 import pass_context

from ..content.settings import ContentSettings

# Where each kind of generated page lives, below a language's prefix ('' for the default language): one pattern,
# or one per language where the address has words people read (the default language's for a language not
# listed, so Arabic can get its own words as data: HALSOLOTS_PATHS = {"programme": {"ar": "…/"}}).
# Calendar feeds keep one address in every language: people have subscribed to them, and a calendar app
# follows no redirect page.
DEFAULT_PATHS = {
    "home": "",
    "programme": {"sv": "program/", "en": "programme/"},
    "programme_week": {"sv": "program/{week}/", "en": "programme/{week}/"},
    "activity": "aktivitet/{slug}/",
    "district": {"sv": "omrade/{id}/", "en": "district/{id}/"},
    "district_group": {"sv": "omrade/{id}/{group}/", "en": "district/{id}/{group}/"},
    "target_group": {"sv": "malgrupp/{id}/", "en": "group/{id}/"},
    "category": {"sv": "kategori/{id}/", "en": "category/{id}/"},
    "venue": {"sv": "plats/{id}/", "en": "venues/{id}/"},
    "finder": {"sv": "program/hitta/", "en": "programme/find/"},
    "finder_data": {"sv": "program/hitta/aktiviteter.json", "en": "programme/find/activities.json"},
    "calendars": {"sv": "kalender/", "en": "calendars/"},
    "calendar_all": "kalender/alla.ics",
    "calendar_district": "kalender/omrade/{id}.ics",
    "calendar_target_group": "kalender/malgrupp/{id}.ics",
    "calendar_category": "kalender/kategori/{id}.ics",
    "calendar_district_group": "kalender/omrade/{id}/{group}.ics",
    "calendar_activity": "aktivitet/{slug}/{slug}.ics",
    "activity_language": {"sv": "sprak/{id}/", "en": "language/{id}/"},
    "news": "nyheter/",
    "search": {"sv": "sok/", "en": "search/"},
    "health_index": {"sv": "halsa/", "en": "health/"},
    "health": {"sv": "halsa/{slug}/", "en": "health/{slug}/"},
    "theme": {"sv": "tema/{id}/", "en": "theme/{id}/"},
    "films": {"sv": "filmer/", "en": "films/"},
    "film": {"sv": "filmer/{slug}/", "en": "films/{slug}/"},
    "film_theme": {"sv": "filmer/tema/{id}/", "en": "films/theme/{id}/"},
    "film_series": {"sv": "filmer/serie/{id}/", "en": "films/series/{id}/"},
    "film_language": {"sv": "filmer/sprak/{id}/", "en": "films/language/{id}/"},
    "film_captions": {"sv": "filmer/textning/{id}/", "en": "films/captions/{id}/"},
    "film_sign": {"sv": "filmer/teckensprak/", "en": "films/sign-language/"},
    # Printed matter and referral sheets.
    "prints": {"sv": "trycksaker/", "en": "print/"},
    "print_programme": {"sv": "trycksaker/program-{id}-{period}.pdf", "en": "print/programme-{id}-{period}.pdf"},
    "print_poster": {"sv": "trycksaker/affisch-{slug}.pdf", "en": "print/poster-{slug}.pdf"},
    "print_booklet": {"sv": "trycksaker/hafte-{id}-{period}.pdf", "en": "print/booklet-{id}-{period}.pdf"},
    "referral": {"sv": "for-vardpersonal/", "en": "for-healthcare-staff/"},
    "referral_sheet": {"sv": "for-vardpersonal/{id}/{need}/", "en": "for-healthcare-staff/{id}/{need}/"},
    "referral_day": {"sv": "for-vardpersonal/{id}/{need}/{day}/", "en": "for-healthcare-staff/{id}/{need}/{day}/"},
}

# Page kinds whose addresses in the other languages were the default language's until they got their own words
# (issue 17: /en/program/ became /en/programme/). Those addresses were published, so each still answers with a
# redirect page to the new one.
FORMERLY_DEFAULT = frozenset({
    "programme", "programme_week", "district", "district_group", "target_group", "category", "calendars",
    "activity_language", "search", "health_index", "health", "theme", "films", "film", "film_theme", "film_series",
})

def public_base(settings: dict) -> str:
    """The site's absolute https base, even in a local build (SITEURL ''): SITEURL when it is absolute, else
    FEED_SITEURL, else https://SITE_DOMAIN. Feeds, webcal links, Open Graph, event data and the open data use it."""
    siteurl = settings.get("SITEURL") or ""
    if siteurl.startswith(("http://", "https://")):
        return siteurl.rstrip("/")
    return (settings.get("FEED_SITEURL") or f"https://{settings['SITE_DOMAIN']}").rstrip("/")


def nginx_variable(settings: dict, name: str) -> str:
    """An nginx variable of this site's generated configuration, named by its SITE_ID: two sites of the repository
    served by one nginx each define their own (a map's variable is global to nginx's http block)."""
    return f"halsolots_{name}_" + re.sub(r"[^A-Za-z0-9]", "_", str(settings.get("SITE_ID") or "site"))


# The search index's folder in the output (Pagefind's bundle).
SEARCH_FOLDER = "pagefind"


class Site(ContentSettings):
    """The content's settings plus where each kind of generated page lives."""

    def __init__(self, settings: dict):
        super().__init__(settings)
        self.paths = dict(DEFAULT_PATHS)
        for kind, pattern in settings.get("HALSOLOTS_PATHS", {}).items():
            # A language's own words add to the kind's others rather than replacing them all.
            known = self.paths.get(kind)
            both_per_language = isinstance(pattern, dict) and isinstance(known, dict)
            self.paths[kind] = {**known, **pattern} if both_per_language else pattern

    def prefix(self, lang: str) -> str:
        return "" if lang == self.default_lang else f"{lang}/"

    def url(self, lang: str, kind: str, **values) -> str:
        """Site-relative URL ('en/district/centrum/') of a generated page."""
        return self.prefix(lang) + self.pattern(lang, kind).format(**values)

    def pattern(self, lang: str, kind: str) -> str:
        """The address pattern of a kind in a language (its own, else the default language's)."""
        pattern = self.paths[kind]
        if isinstance(pattern, dict):  # one pattern per language
            pattern = pattern.get(lang) or pattern.get(self.default_lang) or next(iter(pattern.values()))
        return pattern

    def former_url(self, lang: str, kind: str, **values) -> str | None:
        """Where a page of another language than the default was published before its language had its own
        words (FORMERLY_DEFAULT), when that differs from its address now: a redirect page goes there."""
        if lang == self.default_lang or kind not in FORMERLY_DEFAULT:
            return None
        former = self.prefix(lang) + self.pattern(self.default_lang, kind).format(**values)
        return former if former != self.url(lang, kind, **values) else None

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
