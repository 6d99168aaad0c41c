"""What reading and checking content needs from the settings: the languages, the vocabularies, the time zone
and "today".

The site layer's `Site` adds the URL scheme on top; `make check` and the scaffold use this alone.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .activity import TIMEZONE, ActivityParser
from .sites import districts_of, other_sites
from .memory import current as current_memory
from .source import file_stamp
from .vocabulary import Vocabularies


def site_languages(settings: dict) -> list[str]:
    """The site's languages (LANGUAGES, else just DEFAULT_LANG), the default language first."""
    return list(settings.get("LANGUAGES") or [settings["DEFAULT_LANG"]])


def site_timezone(settings: dict) -> ZoneInfo:
    """The site's TIMEZONE (an IANA name, e.g. Europe/Stockholm; without the setting, activity.TIMEZONE)."""
    name = settings.get("TIMEZONE") or TIMEZONE.key
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"TIMEZONE {name!r} is not a time zone; use a name such as Europe/Stockholm") from None


class ContentSettings:
    def __init__(self, settings: dict):
        self.settings = settings
        self.languages: list[str] = site_languages(settings)
        self.default_lang: str = self.languages[0]
        content_path = settings["PATH"]
        self.data_path = os.path.join(content_path, settings.get("DATA_PATH", "data"))
        # Activities' times are wall-clock times in this zone; "today" is the date there.
        self.timezone: ZoneInfo = site_timezone(settings)
        self._data_stamp: tuple | None = None
        self.vocabularies = self._vocabularies()
        self.today = self._today(settings.get("TODAY"), self.timezone)

    def _vocabularies(self) -> Vocabularies:
        # The devserver builds again and again: the same terms while no vocabulary file changed (read-only objects).
        return current_memory().get(("vocabularies", self.data_path),
                                    lambda: Vocabularies(self.data_path, self.default_lang), self.data_stamp())

    @staticmethod
    def _today(value, zone: ZoneInfo) -> date:
        if isinstance(value, date):
            return value
        if value:
            return date.fromisoformat(str(value))
        return datetime.now(zone).date()

    def activity_parser(self) -> ActivityParser:
        """The parser of this site's activity files (Also-in may name the districts of the repository's other sites)."""
        return ActivityParser(self.vocabularies, self.languages, self.timezone, districts_of(other_sites(self.settings)))

    def data_stamp(self) -> tuple:
        """The vocabulary files' names, times and sizes, and the time zone: what models parsed from them depend on."""
        if self._data_stamp is None:  # once per build: the vocabularies and every kind's models ask
            names = sorted(os.listdir(self.data_path)) if os.path.isdir(self.data_path) else []
            stamps = tuple((name, file_stamp(os.path.join(self.data_path, name))) for name in names)
            self._data_stamp = self.data_path, self.default_lang, self.timezone.key, stamps
        return self._data_stamp
