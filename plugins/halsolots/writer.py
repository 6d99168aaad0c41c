"""A Pelican writer that renders every page in its own language.

It picks the page's language (given by our generators, or the article's/page's `lang`), makes it the
active language for gettext and Babel while the template renders, and gives the template what the layout
needs for `<html lang dir>`, hreflang links and the language switcher.
"""

from __future__ import annotations

from pelican.writers import Writer

from . import i18n
from .site import get_site


class LocalisedWriter(Writer):
    def write_file(self, name, template, context, *args, **kwargs):
        site = get_site(context)
        content = kwargs.get("article") or kwargs.get("page")
        lang = kwargs.pop("lang", None) or getattr(content, "lang", None) or site.default_lang
        alternates = kwargs.pop("alternates", None)
        if alternates is None:
            alternates = {lang: getattr(content, "url", "")} if content else {}
            for translation in getattr(content, "translations", []):
                alternates.setdefault(translation.lang, translation.url)
        kwargs.update(
            lang=lang,
            dir=i18n.direction(lang),
            alternates={code: alternates[code] for code in site.languages if code in alternates},
            language_links=[
                {"lang": code, "name": i18n.native_language_name(code), "current": code == lang,
                 "url": alternates.get(code, site.url(code, "home")), "translated": code in alternates}
                for code in site.languages
            ],
            lang_prefix=site.prefix(lang),
            site_languages=site.languages,
            vocabularies=site.vocabularies,
            today=site.today,
        )
        kwargs.setdefault("page_url", getattr(content, "url", ""))
        with i18n.language(lang):
            return super().write_file(name, template, context, *args, **kwargs)
