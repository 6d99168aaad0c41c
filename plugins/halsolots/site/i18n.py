"""Languages of the site: message catalogues, the active language while a page renders, Babel formatting.

A language is added with a catalogue (theme/translations/<lang>/LC_MESSAGES/messages.po), its code in the
LANGUAGES setting and translated content; direction (ltr/rtl) and date formats come from Babel's CLDR data.
Catalogues are compiled from the .po files at the start of every build, so a stale .mo can never be served.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext as gettext_module
import os
from datetime import date, datetime, time

from babel import Locale
from babel.core import get_global
from babel.dates import format_date as babel_format_date
from babel.dates import format_time as babel_format_time
from jinja2 import pass_context
from markupsafe import Markup

from ..content.memory import current as current_memory
from ..content.messages import compile_catalogue
from ..content.source import file_stamp

_active_language: contextvars.ContextVar[str] = contextvars.ContextVar("active_language", default="sv")
_catalogues: dict[str, gettext_module.NullTranslations] = {}


def load_catalogues(translations_path: str, languages: list[str], site_path: str | None = None) -> None:
    """Compile each language's .po file of the theme, under the site's own where it has one (its name, its
    home page's lead, "kommun" for "område": content/sites.py)."""
    _catalogues.clear()
    for lang in languages:
        # The devserver builds again and again: a language's catalogue is compiled again only when a file changed.
        files = [os.path.join(path, lang, "LC_MESSAGES", "messages.po") for path in (translations_path, site_path)
                 if path]
        _catalogues[lang] = current_memory().get(("catalogue", lang, *files),
                                                 lambda lang=lang: _compile(translations_path, site_path, lang),
                                                 tuple(file_stamp(path) for path in files))


def _compile(translations_path: str, site_path: str | None, lang: str) -> gettext_module.NullTranslations:
    catalogue = compile_catalogue(translations_path, lang)
    own = compile_catalogue(site_path, lang) if site_path else None
    if own is not None and type(own) is not gettext_module.NullTranslations:
        own.add_fallback(catalogue)
        return own
    return catalogue


def active_language() -> str:
    return _active_language.get()


@contextlib.contextmanager
def language(lang: str):
    """Render with `lang` as the active language (templates' _() and the Babel filters follow it)."""
    token = _active_language.set(lang)
    try:
        yield
    finally:
        _active_language.reset(token)


def _catalogue() -> gettext_module.NullTranslations:
    return _catalogues.get(_active_language.get()) or gettext_module.NullTranslations()


def gettext(message: str) -> str:
    return _catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _catalogue().pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _catalogue().npgettext(context, singular, plural, n)


# --- locale facts and formatting (all by Babel, for the active language) ----------------------------------

_locales: dict[str, Locale] = {}


def plural_messages(lang: str, message) -> dict[str, str]:
    """`message(n)` (an ngettext with `%(num)d`) for every CLDR plural category of `lang`, `{count}` in place of
    the number: the browser picks one with Intl.PluralRules, which has the same categories as Babel."""
    plural = locale(lang).plural_form
    messages = {}
    for tag in sorted(plural.tags | {"other"}):
        sample = next((n for n in range(1000) if plural(n) == tag), None)
        if sample is not None:
            messages[tag] = message(sample).replace("%(num)d", "{count}")
    return messages


def locale(lang: str | None = None) -> Locale:
    lang = lang or _active_language.get()
    if lang not in _locales:
        _locales[lang] = Locale.parse(lang)
    return _locales[lang]


def direction(lang: str | None = None) -> str:
    return "rtl" if locale(lang).character_order == "right-to-left" else "ltr"


def language_name(code: str, in_lang: str | None = None) -> str:
    """'English' for en in English, 'engelska' in Swedish."""
    try:
        name = Locale.parse(code).get_display_name(locale(in_lang))
    except (ValueError, TypeError):
        return code
    return name or code


@functools.lru_cache(maxsize=None)
def territory_locale(code: str) -> str:
    """A language with its likeliest country, by CLDR: 'sv' → 'sv_SE' (Open Graph's og:locale wants one)."""
    likely = get_global("likely_subtags").get(code)
    parsed = Locale.parse(likely or code)
    return f"{parsed.language}_{parsed.territory}" if parsed.territory else parsed.language


@functools.lru_cache(maxsize=None)
def native_language_name(code: str) -> str:
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def format_date(value: date | datetime, form: str = "full") -> str:
    """'tisdag 3 mars 2026' / 'Tuesday 3 March 2026' ('full'); any Babel/CLDR pattern works too."""
    if isinstance(value, datetime):
        value = value.date()
    if form == "full":
        # The catalogue may set a house style (English here is British: "Tuesday 3 March 2026").
        form = pgettext("CLDR date pattern; translate only to override the locale's default", "full")
    return _formatted_date(value, form, _active_language.get())


def format_time(value: datetime) -> str:
    # The catalogue may set a house style (Swedish writes 10.00); otherwise CLDR's short time.
    pattern = pgettext("CLDR time pattern; translate only to override the locale's default", "short")
    return _formatted_time(value.hour, value.minute, pattern, _active_language.get())


# The same few dates and times recur on thousands of pages; Babel's formatting is the costly part.
@functools.lru_cache(maxsize=65536)
def _formatted_date(day: date, pattern: str, lang: str) -> str:
    return babel_format_date(day, format=pattern, locale=locale(lang))


@functools.lru_cache(maxsize=4096)
def _formatted_time(hour: int, minute: int, pattern: str, lang: str) -> str:
    return babel_format_time(time(hour, minute), format=pattern, locale=locale(lang))


def format_time_range(start: datetime, end: datetime) -> str:
    """'kl. 10.00–11.00' in Swedish, '10:00–11:00' in English: the times are CLDR's, the frame the catalogue's."""
    return gettext("{start}–{end}").format(start=format_time(start), end=format_time(end))


def format_when(start: datetime, end: datetime) -> str:
    """'tisdag 3 mars 2026, kl. 10.00–11.00'."""
    if start.date() == end.date():
        return f"{format_date(start)}, {format_time_range(start, end)}"
    return f"{format_date(start)} {format_time(start)} – {format_date(end)} {format_time(end)}"


def weekday_name(value: date | datetime | int) -> str:
    """Weekday name from CLDR; an int is Monday=0 like date.weekday()."""
    index = value if isinstance(value, int) else value.weekday()
    return locale().days["format"]["wide"][index]


def label(term) -> str:
    """A vocabulary term's label in the active language."""
    return term.label.get(active_language())


def labels(terms, separator: str = ", ") -> str:
    return separator.join(label(term) for term in terms)


def jinja_helpers() -> dict:
    """Globals and filters every template gets."""
    return {
        "filters": {
            "format_date": format_date,
            "format_time": format_time,
            "format_when": format_when,
            "weekday_name": weekday_name,
            "language_name": language_name,
            "label": label,
            "labels": labels,
        },
        "globals": {
            "format_time_range": format_time_range,
            "native_language_name": native_language_name,
            "territory_locale": territory_locale,
        },
    }


# --- gettext for templates -----------------------------------------------------------------------------------
# Jinja's newstyle callables (install_gettext_callables) go through two Context.call layers per `_()`, and a
# page makes dozens of calls. These do the same in one: translate, mark safe under autoescape, fill the
# %(name)s placeholders (a string without "%" is its own result, so the formatting is skipped).


@pass_context
def template_gettext(__context, __string: str, **variables):
    rv = gettext(__string)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables if variables or "%" in rv else rv


@pass_context
def template_ngettext(__context, __singular: str, __plural: str, __num: int, **variables):
    variables.setdefault("num", __num)
    rv = ngettext(__singular, __plural, __num)
    if __context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


def template_gettext_globals() -> dict:
    """Installed after Jinja's i18n extension, replacing its `_`, `gettext` and `ngettext`."""
    return {"_": template_gettext, "gettext": template_gettext, "ngettext": template_ngettext}
