"""`LibraryGenerator`: reads health pages and films (content/library.py) and writes the health pages, the film
archive with its static filter pages, and one page per theme that gathers health pages, upcoming activities and
films on that theme.
"""

from __future__ import annotations

import os

from ..content.reading import raise_or_report
from .contents import ContentGenerator, SiteContent, page_writer, prefetch, read_content, save_caches
from ..site.site import get_site
from ..content.library import Film, HealthPage, Library, LibraryText, read_library
from ..content.webvtt import cue_texts
from ..content.vocabulary import Term, Text
from ..site import i18n


class HealthContent(SiteContent):
    kind = "health"
    default_template = "health"


class FilmContent(SiteContent):
    kind = "film"
    default_template = "film"


class LibraryGenerator(ContentGenerator):
    """Reads content/halsa and content/filmer (HEALTH_PATHS, FILM_PATHS) and writes their pages."""

    def __init__(self, *args, **kwargs):
        self.health_pages: list[HealthPage] = []
        self.films: list[Film] = []
        super().__init__(*args, **kwargs)

    def generate_context(self):
        site = get_site(self.context)
        sources = read_library(self.path, self.settings, site)
        raise_or_report(sources, self.path, self.settings.get("MESSAGES_LANG"))
        prefetch(self, [(relative, content_class)
                        for kind, content_class in ((sources.health, HealthContent), (sources.films, FilmContent))
                        for item in kind.items for relative, _ in kind.text_files[item.slug]])
        for kind, content_class in ((sources.health, HealthContent), (sources.films, FilmContent)):
            for item in kind.items:
                for relative, _ in kind.text_files[item.slug]:
                    content = read_content(self, relative, item.slug, content_class)
                    # Only a written Summary: Pelican would otherwise cut one from the body (the transcript).
                    item.texts[content.lang] = LibraryText(content.lang, content.title,
                                                           content.metadata.get("summary", ""), content.content)
        self.health_pages = sorted(sources.health.items, key=lambda p: p.slug)
        self.films = sources.films.items
        self.context["health_pages"] = self.health_pages
        self.context["films"] = self.films
        save_caches(self)

    # --- output ---------------------------------------------------------------------------------------------

    def generate_output(self, writer):
        site = get_site(self.context)
        library = Library(self.health_pages, self.films, self.context.get("activities", []), site.today)
        themes = site.vocabularies.themes
        series_terms = [s for s in site.vocabularies.film_series if library.films_in_series(s.id)]
        film_themes = [t for t in themes if library.films_on([t.id])]
        # Health pages and films show the next few activities and link to the theme pages for the rest.
        related = self.settings.get("RELATED_ACTIVITIES", 3)
        # The archive's filters besides theme and series: spoken language, captions, sign language (static pages).
        film_languages = _language_terms(sorted({code for f in library.films for code in f.languages}), site)
        caption_languages = _language_terms(sorted({c.lang for f in library.films for c in f.captions}), site)
        signed = [f for f in library.films if f.sign_language]
        transcripts = {film.slug: _caption_transcripts(film, os.path.join(self.path, (self.settings.get("STATIC_PATHS") or ["media"])[0]))
                       for film in library.films if film.external}
        for lang in writer.languages:
            write = page_writer(self, writer, lang, film_themes=film_themes, film_series=series_terms,
                                film_languages=film_languages, caption_languages=caption_languages,
                                has_signed=bool(signed))

            by_theme = [(theme, library.health_on([theme.id], lang)) for theme in themes]
            write("health_index", "health_index", by_theme=[(t, pages) for t, pages in by_theme if pages])
            for page in self.health_pages:
                ids = [t.id for t in page.themes]
                write("health", "health", slug=page.slug, health=page, films=library.films_on(ids),
                      activities=library.activities_on(ids)[:related])
            for theme in themes:
                write("theme", "theme", id=theme.id, theme=theme, health_pages=library.health_on([theme.id], lang),
                      activities=library.activities_on([theme.id]), films=library.films_on([theme.id]))
            write("films", "films", films=library.films, filter_term=None, filter_kind="")
            for theme in film_themes:
                write("film_theme", "films", id=theme.id, films=library.films_on([theme.id]), filter_term=theme,
                      filter_kind="theme")
            for series in series_terms:
                write("film_series", "films", id=series.id, films=library.films_in_series(series.id),
                      filter_term=series, filter_kind="series")
            for term in film_languages:
                write("film_language", "films", id=term.id, films=[f for f in library.films if term.id in f.languages],
                      filter_term=term, filter_kind="language")
            for term in caption_languages:
                write("film_captions", "films", id=term.id, filter_term=term, filter_kind="captions",
                      films=[f for f in library.films if any(c.lang == term.id for c in f.captions)])
            if signed:
                write("film_sign", "films", films=signed, filter_term=None, filter_kind="sign")
            for film in library.films:
                ids = [t.id for t in film.themes]
                write("film", "film", slug=film.slug, film=film, health_pages=library.health_on(ids, lang),
                      activities=library.activities_on(ids)[:related],
                      caption_transcript=_transcript_for(transcripts.get(film.slug, {}), lang))


def _language_terms(codes, site) -> list[Term]:
    """Language codes as terms named in every site language (Babel's CLDR names)."""
    return [Term(code, Text(tuple((lang, i18n.language_name(code, lang).capitalize()) for lang in site.languages),
                            site.default_lang), Text((), site.default_lang)) for code in codes]


def _caption_transcripts(film, media: str) -> dict[str, tuple[str, ...]]:
    """A film on a provider: the words of each of its caption files by language, for a transcript on its page."""
    found = {}
    for caption in film.captions:
        try:
            with open(os.path.join(media, caption.path), encoding="utf-8") as handle:
                found[caption.lang] = tuple(cue_texts(handle.read()))
        except OSError:  # reading checked that the files exist; a file gone since is no transcript
            continue
    return found


def _transcript_for(transcripts: dict, lang: str) -> tuple[str, tuple[str, ...]] | None:
    """(language, cues) of the transcript a page in `lang` offers: its own language's, else the first."""
    if not transcripts:
        return None
    code = lang if lang in transcripts else next(iter(transcripts))
    return code, transcripts[code]
