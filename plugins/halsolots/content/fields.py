"""Typed values from a content file's header, read the same way for every content kind.

Activities, health pages and films share the field types (vocabulary terms, dates, yes/no, language codes):
one reader checks them and words the problems, so a communicator sees the same message for the same
mistake whatever the file.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from .problems import N_, ProblemCollector
from .source import Header
from .vocabulary import Term, Vocabularies

YES = {"yes", "ja", "true"}
NO = {"no", "nej", "false"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


# English month names for messages (translated with them, as the weekdays), independent of the machine's locale.
MONTHS = (N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
          N_("August"), N_("September"), N_("October"), N_("November"), N_("December"))


class NoSuchDate(ValueError):
    """A date written right that is not in the calendar (30 February): not a format error, and told so."""

    def __init__(self, year: int, month: int, day: int):
        super().__init__(f"{year:04d}-{month:02d}-{day:02d}")
        self.year, self.month, self.day = year, month, day

    @property
    def params(self) -> dict:
        return {"day": self.day, "month": MONTHS[self.month - 1], "year": self.year,
                "days": calendar.monthrange(self.year, self.month)[1]}


def parse_date(value: str) -> date:
    """YYYY-MM-DD; ValueError when it is not written so, NoSuchDate when the calendar has no such day."""
    if not _DATE.match(value):
        raise ValueError
    year, month, day = (int(part) for part in value.split("-"))
    if not 1900 <= year <= 2199:  # a typo (0226, 9026); near year 1 or 9999 time zone arithmetic overflows
        raise ValueError
    try:
        return date(year, month, day)
    except ValueError:
        if 1 <= month <= 12 and day >= 1:
            raise NoSuchDate(year, month, day) from None
        raise


def no_such_date(problems: ProblemCollector, field: str, error: NoSuchDate, value: str) -> None:
    """"'2027-02-30': 30 February 2027 does not exist" (Swedish: "… 30 februari 2027 finns inte"), with the
    month's length: the format was right, the calendar has no such day."""
    problems.add(field, N_("'{value}': {day} {month} {year} does not exist"), N_("{month} {year} has {days} days"),
                 value=value, **error.params)


def known_language(code: str) -> bool:
    """A language code Babel (CLDR) knows, e.g. sv, en, ar, so, ti."""
    from babel import Locale, UnknownLocaleError

    if not _LANGUAGE_CODE.match(code):
        return False
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


class FieldReader:
    """Reads one header's fields, adding a problem to `problems` for each value that is not allowed.

    `names` maps header keys (lower case) to the field names communicators write (e.g. "Themes").
    """

    def __init__(self, header: Header, problems: ProblemCollector, vocabularies: Vocabularies, names: dict):
        self.header = header
        self.problems = problems
        self.vocabularies = vocabularies
        self.names = names

    def name(self, key: str) -> str:
        return self.names.get(key, key.capitalize())

    def terms(self, key: str, vocabulary_name: str) -> tuple[Term, ...]:
        vocabulary = self.vocabularies[vocabulary_name]
        terms = []
        for term_id in self.header.items_list(key):
            term = vocabulary.get(term_id) or vocabulary.get(term_id.lower())
            if term is None:
                self.problems.add(self.name(key), N_("'{value}' is not a known value"), N_("one of: {options}"),
                                  vocabulary.suggest(term_id), value=term_id, options=", ".join(vocabulary.ids()))
            else:
                terms.append(term)
        return tuple(dict.fromkeys(terms))

    def date(self, key: str, value: str | None = None) -> date | None:
        value = self.header.text(key) if value is None else value
        if not value:
            return None
        try:
            return parse_date(value)
        except NoSuchDate as error:
            no_such_date(self.problems, self.name(key), error, value)
            return None
        except ValueError:
            self.problems.add(self.name(key), N_("'{value}' is not a date"), N_("YYYY-MM-DD, e.g. {example}"),
                              value=self.header.text(key), example="2026-11-20")
            return None

    def yes_no(self, key: str) -> bool:
        value = self.header.text(key).lower()
        if not value or value in NO:
            return False
        if value in YES:
            return True
        self.problems.add(self.name(key), N_("'{value}' is not yes or no"), N_("yes or no"),
                          value=self.header.text(key))
        return False

    def language_codes(self, key: str, expected: str) -> tuple[str, ...]:
        codes = tuple(code.lower() for code in self.header.items_list(key))
        for code in codes:
            if not known_language(code):
                self.problems.add(self.name(key), N_("'{value}' is not a language code"), expected, value=code)
        return codes


def check_translation(header: Header, problems: ProblemCollector, names: dict, facts, text_fields: str,
                      title_hint: str) -> None:
    """A translation carries text only; facts in it would silently disagree with the original.

    `text_fields` names what a translation may hold and `title_hint` what its Title is (N_ templates).
    """
    for key in header:
        if key in facts:
            problems.add(names.get(key, key.capitalize()),
                         N_("belongs in the original file only; a translation holds only text"), text_fields)
    if not header.text("title"):
        problems.add("Title", N_("is missing"), title_hint)
