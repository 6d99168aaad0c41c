"""Printed matter as PDF: a programme per district and for the whole city (A4, and A5 to fold into a booklet), a
poster per activity, and the page listing them (`/trycksaker/`, `/en/print/`).

The PDFs are HTML templates (theme/templates/print/) rendered with the page's values alone, like any page, and
turned into PDF by WeasyPrint: tagged PDF/UA-1 with the document's title and language, the theme's fonts
(theme/fonts/) embedded, QR codes drawn by segno (site/qr.py). Each goes through `writer.file` with the values
it is made from, so an unchanged PDF is reused, not made again. Nothing is fetched but the theme's own files,
and nothing depends on the clock: the print date is the build's "today", so a rebuild gives the same bytes.

Only builds with PRINT = True make them (publishconf.py; `make print`): WeasyPrint takes a fraction of a second
a document, which previews (`make html`, the devserver) do not wait for.
"""

from __future__ import annotations

import os

from pelican.generators import Generator

from ..content.season import SeasonProgramme, print_period
from ..site.site import get_site
from .contents import page_writer

CITY = "alla"  # the whole city's programme in the print_programme pattern (like kalender/alla.ics)
PDF_VARIANT = "pdf/ua-1"


class PrintGenerator(Generator):
    """Writes the printed programmes, the posters and their listing page when PRINT is set."""

    def generate_output(self, writer):
        if not self.settings.get("PRINT"):
            return
        site = get_site(self.context)
        period = print_period(self.settings, site.today)
        activities = [a for a in self.context.get("activities", []) if not a.draft]
        programmes = [(district.id, district, SeasonProgramme(
            [a for a in activities if district.id in a.term_ids["districts"]], period))
            for district in site.vocabularies.districts]
        programmes.append((CITY, None, SeasonProgramme(activities, period)))
        posters = [a for a in activities if wants_poster(a, site.today)]
        pdf = PdfMaker(os.path.abspath(self.settings["THEME"]))
        for lang in writer.languages:
            listed = []
            for term_id, district, programme in programmes:
                url = site.url(lang, "print_programme", id=term_id, period=period.slug)
                pdf.write(writer, self, url, "print/programme", lang, district=district, programme=programme,
                          paper="a4")
                # The same programme on A5 pages, in reading order: a printer's booklet setting folds it.
                booklet = site.url(lang, "print_booklet", id=term_id, period=period.slug)
                pdf.write(writer, self, booklet, "print/programme", lang, district=district, programme=programme,
                          paper="a5")
                listed.append((url, booklet, district, programme))
            translated = [a for a in posters if lang in a.texts]
            for activity in translated:
                url = site.url(lang, "print_poster", slug=activity.slug)
                pdf.write(writer, self, url, "print/poster", lang, activity=activity)
            page_writer(self, writer, lang)("prints", "prints", period=period, programmes=listed,
                                            posters=[(site.url(lang, "print_poster", slug=a.slug), a)
                                                     for a in translated])


def wants_poster(activity, today) -> bool:
    """An activity gets a poster while it has an occasion to come to (not cancelled, not over)."""
    return not activity.cancelled and activity.next_occurrence(today) is not None


class PdfMaker:
    """Templates to PDF bytes with WeasyPrint, reading nothing but the theme's files (fonts) and data: URLs."""

    def __init__(self, theme: str):
        self.theme = theme
        self._fonts = None

    def write(self, writer, generator, url: str, template: str, lang: str, **values) -> None:
        """The PDF at `url` made from `template` and `values` (a file the writer may reuse when they are the
        same as last time)."""
        site = get_site(generator.context)
        alternates = {}  # a PDF has no translations to point at (the listing page has)

        def produce() -> bytes:
            html = writer.text(generator, template, lang, url, alternates, **values)
            return self.pdf(html)

        writer.file(url, lang, produce, values=(template, lang, site.today, values))

    def pdf(self, html: str) -> bytes:
        from weasyprint import HTML
        from weasyprint.text.fonts import FontConfiguration

        if self._fonts is None:
            self._fonts = FontConfiguration()
        document = HTML(string=html, base_url=self.theme + os.sep, url_fetcher=_theme_fetcher(self.theme))
        return document.write_pdf(pdf_variant=PDF_VARIANT, font_config=self._fonts)


def _theme_fetcher(theme: str):
    """WeasyPrint's fetcher limited to the theme's files and data: URLs (QR codes): no network, ever."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    root = os.path.realpath(theme) + os.sep

    class ThemeFiles(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.parse import unquote, urlsplit

                path = os.path.realpath(unquote(urlsplit(url).path))
                if path.startswith(root) and os.path.isfile(path):
                    return super().fetch(url, headers)
            raise FatalURLFetchingError(f"a printed document may only use the theme's files: {url}")

    return ThemeFiles(allowed_protocols={"file", "data"}, fail_on_errors=True)
