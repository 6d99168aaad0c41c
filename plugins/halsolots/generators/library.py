"""`LibraryGenerator`: reads health pages and films (content/library.py) and writes the health pages, the film
archive with its static filter pages, and one page per theme that gathers health pages, upcoming activities and
films on that theme.
"""

from __future__ import annotations

from ..content.reading import raise_or_report
from .contents import ContentGenerator, SiteContent, page_writer, prefetch, read_content, save_caches
from ..site.site import get_site
from ..content.library import Film, HealthPage, Library, LibraryText, read_library


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
        for lang in writer.languages:
            write = page_writer(self, writer, lang, film_themes=film_themes, film_series=series_terms)

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
            for film in library.films:
                ids = [t.id for t in film.themes]
                write("film", "film", slug=film.slug, film=film, health_pages=library.health_on(ids, lang),
                      activities=library.activities_on(ids)[:related])
