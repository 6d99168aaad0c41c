"""News: Pelican reads the articles (content/nyheter); this writes a news index per site language."""

from __future__ import annotations

from pelican.generators import Generator

from ..content.pages import read_pages
from ..content.reading import raise_or_report
from ..site.site import get_site
from .contents import page_writer


def articles_in(context: dict, lang: str) -> list:
    """Published news in one language (originals and translations), newest first."""
    articles = [a for original in context.get("articles", []) for a in (original, *original.translations)]
    return sorted((a for a in articles if a.lang == lang), key=lambda a: (a.date, a.slug), reverse=True)


class NewsGenerator(Generator):
    def generate_context(self):
        # News and pages are Pelican's; their headers are checked as make check checks them (content/pages.py).
        sources = read_pages(self.path, self.settings, get_site(self.context))
        raise_or_report(sources, self.path, self.settings.get("MESSAGES_LANG"))

    def generate_output(self, writer):
        for lang in writer.languages:
            page_writer(self, writer, lang)("news", "news", news=articles_in(self.context, lang))
