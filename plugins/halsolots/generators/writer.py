"""The writer every generator writes through: it renders each page in its own language, from its values alone.

Generators say *what* to write — `page(kind or name, template, lang, **values)`, `file(name, lang, produce,
values)` for feeds, JSON and other files — and never decide whether a file is rendered: the build layer's
writer (build/writer.py) subclasses this one and reuses an unchanged file instead of calling `_render` or
`produce`. A template sees only its page's values, the language facts of the page and what every page of the
site shares (settings and the non-activity content, which the build's site key covers); every other name of
Pelican's context (`activities`, `calendars`…) is withheld, and a template that reaches for one fails the
build with a message instead of showing something its page's key does not cover.
"""

from __future__ import annotations

import os

from jinja2 import StrictUndefined
from pelican.writers import Writer

from ..content.settings import site_languages
from ..site import i18n
from ..site.site import get_site

# Context entries every page may read: their inputs are all in the site key (settings, content files that are
# not activities, vocabularies, "today"). Upper-case settings are allowed too.
SHARED = frozenset({"pages", "hidden_pages", "draft_pages", "articles", "drafts", "dates", "tags", "categories",
                    "authors", "health_pages", "films", "halsolots_site", "localsiteurl", "static_links",
                    "static_content", "calendars"})


class LocalisedWriter(Writer):
    """Pelican's writer, with the site's pages in their own language. Writes every language itself; the build
    layer's subclass may write only some (`languages`) and reuse files from the previous build."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.languages: list[str] = site_languages(self.settings)  # whose pages and files this writer writes
        self.sitemap: dict[str, dict[str, str]] = {}  # page URL → its alternates, for sitemap.xml
        self._nav_cache: dict | None = None
        self._shared: dict | None = None

    # --- what generators call ----------------------------------------------------------------------------

    def writes_shared(self) -> bool:
        """Whether this writer writes the files that belong to no language (CSS, robots.txt)."""
        return True

    def page(self, generator, name: str, template: str, lang: str, url: str, alternates: dict[str, str],
             in_sitemap: bool = True, **values) -> None:
        """One page of a generator: `template` rendered with `values` in `lang` into `name` (nothing when `lang`
        is not one of this writer's `languages`)."""
        if lang not in self.languages:
            return
        self._page(name, generator.get_template(template), generator.context, lang, url, alternates, in_sitemap,
                   values, {})

    def file(self, name: str, lang: str | None, produce, values=None) -> None:
        """A file that is not a template's page: `produce()` gives its bytes or text. `values` are what it is
        made from (for the build layer's reuse); None means it is always made."""
        if lang is None and not self.writes_shared() or lang is not None and lang not in self.languages:
            return
        data = self._make(name, None if values is None else ("file", name, lang, values), produce)
        if data is not None:
            self._store(name, data)

    def memo(self, values, produce):
        """A value derived from `values` alone (a serialised event, say); the build layer keeps it between
        builds."""
        return produce()

    def text(self, generator, template: str, lang: str, url: str, alternates: dict[str, str], **values) -> str:
        """`template` rendered with `values` in `lang` as text, seeing exactly what a page would (for a file
        made from it, such as a PDF: pass the same values to `file`, which decides whether it is made)."""
        self._site = get_site(generator.context)
        own = {"lang": lang, "alternates": alternates, "page_url": url, **values}
        page = self._page_context(generator.context, lang, own)
        page.update(localsiteurl=page.get("localsiteurl"), output_file=url)
        with i18n.language(lang):
            return generator.get_template(template).render(page)

    # --- Pelican's API (its own generators: pages and news) ---------------------------------------------

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **values):
        if paginated:
            raise ValueError(f"{name}: paginated pages are not supported (DEFAULT_PAGINATION is off)")
        content = values.get("article") or values.get("page")
        site = get_site(context)
        lang = getattr(content, "lang", None) or site.default_lang
        alternates = {lang: getattr(content, "url", "")} if content else {}
        for translation in getattr(content, "translations", []):
            alternates.setdefault(translation.lang, translation.url)
        in_sitemap = getattr(content, "status", "") != "draft"
        self._page(name, template, context, lang, getattr(content, "url", ""), alternates, in_sitemap, values,
                   {"override_output": override_output, "url": url})

    # --- how a page is made -------------------------------------------------------------------------------

    def _page(self, name, template, context, lang, url, alternates, in_sitemap, values, pelican_args) -> None:
        self._site = site = get_site(context)
        alternates = {code: alternates[code] for code in site.languages if code in alternates}
        if name.endswith(".html") and in_sitemap and url is not None and _published(values):
            self.sitemap[url] = dict(alternates)
        own = {"lang": lang, "alternates": alternates, "page_url": url, **values}
        self._make(name, ("page", name, template.name, own),
                   lambda: self._render(name, template, context, lang, own, pelican_args))

    def _make(self, name: str, key_values, make):
        """`make()` (the file's rendering or bytes); the build layer may reuse the file instead (key_values: what
        it is made from, None for always made)."""
        return make()

    def _render(self, name, template, context, lang, values, pelican_args) -> None:
        page = self._page_context(context, lang, values)
        with i18n.language(lang):
            super().write_file(name, template, page, relative_urls=False, **pelican_args)

    def _page_context(self, context, lang, values) -> dict:
        """What a page's template sees: the shared context, the language facts of the page, its values."""
        site = self._site
        alternates = values["alternates"]
        page = dict(self._shared_context(context))
        page.update(
            dir=i18n.direction(lang),
            language_links=[
                {"lang": code, "name": i18n.native_language_name(code), "current": code == lang,
                 "url": alternates.get(code, site.url(code, "home")), "translated": code in alternates}
                for code in site.languages
            ],
            lang_prefix=site.prefix(lang),
            site_languages=site.languages,
            vocabularies=site.vocabularies,
            today=site.today,
            nav_pages=self._nav_pages(context, lang),
        )
        page.update(values)
        return page

    def _shared_context(self, context) -> dict:
        """The context every page gets: shared entries as they are, the rest withheld (see the module's text)."""
        if self._shared is None:
            shared = {}
            for key, value in context.items():
                if key.isupper() or key in SHARED:
                    shared[key] = value
                else:
                    shared[key] = StrictUndefined(
                        hint=f"the template reads '{key}', which is not among its page's values: give the page "
                             f"what it shows as values (generators/writer.py)", name=key)
            self._shared = shared
        return self._shared

    def _nav_pages(self, context, lang: str) -> list:
        """Pages whose header says `Nav: <position>`, in this language, for the main menu (url and title)."""
        if self._nav_cache is None:
            pages = [p for original in context.get("pages", []) for p in (original, *original.translations)]
            self._nav_cache = {}
            for page in sorted((p for p in pages if "nav" in p.metadata), key=lambda p: (str(p.metadata["nav"]), p.slug)):
                # Plain values: Pelican computes a page's url anew on every access.
                self._nav_cache.setdefault(page.lang, []).append({"url": page.url, "title": page.title})
        return self._nav_cache.get(lang, [])

    def _store(self, name: str, data) -> None:
        path = os.path.join(self.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(data, str):
            with open(path, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(data)
        else:
            with open(path, "wb") as handle:
                handle.write(data)


def _published(values: dict) -> bool:
    """Drafts (shown in previews) stay out of the sitemap."""
    for key in ("article", "page", "activity"):
        item = values.get(key)
        if item is not None and (getattr(item, "status", "") == "draft" or getattr(item, "draft", False) is True):
            return False
    return True
