"""The plugin's own messages (content problems, command output) in the communicators' languages.

Msgids are the English templates marked with problems.N_(); translations live in
plugins/halsolots/content/locale/<lang>/LC_MESSAGES/messages.po and are compiled in memory (by compile_catalogue, as for
the theme), so an edit to the .po file takes effect at once. English needs no catalogue.
"""

from __future__ import annotations

import gettext as gettext_module
import io
import os

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_PATH = os.path.join(os.path.dirname(__file__), "locale")
DEFAULT_LANG = "sv"
_catalogues: dict[str, gettext_module.NullTranslations] = {}


def compile_catalogue(locale_path: str, lang: str) -> gettext_module.NullTranslations:
    """`<locale_path>/<lang>/LC_MESSAGES/messages.po` compiled in memory; without one, the msgids show."""
    po_path = os.path.join(locale_path, lang, "LC_MESSAGES", "messages.po")
    if not os.path.exists(po_path):
        return gettext_module.NullTranslations()
    with open(po_path, "rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def normalise(lang: str | None) -> str:
    """'en_US.UTF-8' or 'EN' → 'en'; empty → the default (Swedish)."""
    code = (lang or DEFAULT_LANG).split(".")[0].split("_")[0].split("-")[0].lower()
    return code or DEFAULT_LANG


def catalogue(lang: str) -> gettext_module.NullTranslations:
    lang = normalise(lang)
    if lang not in _catalogues:
        _catalogues[lang] = compile_catalogue(LOCALE_PATH, lang)
    return _catalogues[lang]


def gettext(message: str, lang: str | None) -> str:
    return catalogue(lang).gettext(message) if lang else message


def nmessage(singular: str, plural: str, n: int, lang: str | None) -> str:
    """Plural message; marked for extraction by its name, like N_."""
    if not lang:
        return singular if n == 1 else plural
    return catalogue(lang).ngettext(singular, plural, n)


KEYWORDS = {"N_": None, "nmessage": (1, 2)}


def extract_templates(directory: str | None = None) -> dict[str, list[str]]:
    """Every marked template in the plugin's source (msgid → 'file:line' places), via Babel's extractor."""
    from babel.messages.extract import extract_from_dir

    directory = directory or os.path.dirname(os.path.dirname(__file__))  # the whole plugin package
    found: dict[str, list[str]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
            directory, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=()):
        for msgid in (message if isinstance(message, tuple) else (message,)):
            if msgid:
                found.setdefault(msgid, []).append(f"{filename}:{line}")
    return found
