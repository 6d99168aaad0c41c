"""What every generator of one build shares: languages, URLs, vocabularies and "today"."""

from __future__ import annotations

from jinja2 import pass_context

from ..content.settings import ContentSettings

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
    "calendar_district_group": "kalender/omrade/{id}/{group}.ics",
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
    # Printed matter and referral sheets: a pattern per language where the folder's name is a word people read
    # (the default language's for a language not listed).
    "prints": {"sv": "trycksaker/", "en": "print/"},
    "print_programme": {"sv": "trycksaker/program-{id}-{period}.pdf", "en": "print/programme-{id}-{period}.pdf"},
    "print_poster": {"sv": "trycksaker/affisch-{slug}.pdf", "en": "print/poster-{slug}.pdf"},
    "print_booklet": {"sv": "trycksaker/hafte-{id}-{period}.pdf", "en": "print/booklet-{id}-{period}.pdf"},
    "referral": {"sv": "for-vardpersonal/", "en": "for-healthcare-staff/"},
    "referral_sheet": {"sv": "for-vardpersonal/{id}/{need}/", "en": "for-healthcare-staff/{id}/{need}/"},
    "referral_day": {"sv": "for-vardpersonal/{id}/{need}/{day}/", "en": "for-healthcare-staff/{id}/{need}/{day}/"},
}

def public_base(settings: dict) -> str:
    """The site's absolute https base, even in a local build (SITEURL ''): SITEURL when it is absolute, else
    FEED_SITEURL, else https://SITE_DOMAIN. Feeds, webcal links, Open Graph, event data and the open data use it."""
    siteurl = settings.get("SITEURL") or ""
    if siteurl.startswith(("http://", "https://")):
        return siteurl.rstrip("/")
    return (settings.get("FEED_SITEURL") or f"https://{settings['SITE_DOMAIN']}").rstrip("/")


# The search index's folder in the output (Pagefind's bundle).
SEARCH_FOLDER = "pagefind"


class Site(ContentSettings):
    """The content's settings plus where each kind of generated page lives."""

    def __init__(self, settings: dict):
        super().__init__(settings)
        self.paths = {**DEFAULT_PATHS, **settings.get("HALSOLOTS_PATHS", {})}

    def prefix(self, lang: str) -> str:
        return "" if lang == self.default_lang else f"{lang}/"

    def url(self, lang: str, kind: str, **values) -> str:
        """Site-relative URL ('en/omrade/centrum/') of a generated page."""
        pattern = self.paths[kind]
        if isinstance(pattern, dict):  # one pattern per language
            pattern = pattern.get(lang) or pattern.get(self.default_lang) or next(iter(pattern.values()))
        return self.prefix(lang) + pattern.format(**values)

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
