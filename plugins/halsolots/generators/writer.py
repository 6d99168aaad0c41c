"""A Pelican writer that renders every page in its own language.

It picks the page's language (given by our generators, or the article's/page's `lang`), makes it the
active language for gettext and Babel while the template renders, and gives the template what the layout
needs for `<html lang dir>`, hreflang links and the language switcher.
"""

from __future__ import annotations

from pelican.writers import Writer

from ..site import i18n
from ..build import outputcache
from ..build import parallel
from . import production
from ..site.site import get_site


class LocalisedWriter(Writer):
    _nav_cache: dict | None = None

    def _nav_pages(self, context, lang: str) -> list:
        """Pages whose header says `Nav: <position>`, in this language, for the main menu (url and title)."""
        if self._nav_cache is None:
            pages = [p for original in context.get("pages", []) for p in (original, *original.translations)]
            self._nav_cache = {}
            for page in sorted((p for p in pages if "nav" in p.metadata), key=lambda p: (str(p.metadata["nav"]), p.slug)):
                # Plain values: Pelican computes a page's url anew on every access.
                self._nav_cache.setdefault(page.lang, []).append({"url": page.url, "title": page.title})
        return self._nav_cache.get(lang, [])

    def write_file(self, name, template, context, *args, **kwargs):
        site = get_site(context)
        content = kwargs.get("article") or kwargs.get("page")
        lang = kwargs.pop("lang", None) or getattr(content, "lang", None) or site.default_lang
        alternates = kwargs.pop("alternates", None)
        if alternates is None:
            alternates = {lang: getattr(content, "url", "")} if content else {}
            for translation in getattr(content, "translations", []):
                alternates.setdefault(translation.lang, translation.url)
        kwargs["lang"] = lang
        kwargs["alternates"] = {code: alternates[code] for code in site.languages if code in alternates}
        kwargs.setdefault("page_url", getattr(content, "url", ""))
        if name.endswith(".html"):
            production.record_page(self.settings, kwargs["page_url"], kwargs["alternates"], kwargs)  # for sitemap.xml
        if not parallel.mine(lang):
            return None  # the other output process writes this language
        cache = outputcache.current
        key = None
        if cache is not None and not args and not kwargs.get("paginated"):
            # The page's own values; what is added below follows from the language, the alternates and the
            # site key.
            key = cache.key("page", name, template.name, kwargs)
            if cache.reuse(name, key):
                return None
        kwargs.update(
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
        with i18n.language(lang):
            result = super().write_file(name, template, context, *args, **kwargs)
        if cache is not None:
            cache.wrote(name, key)
        return result
