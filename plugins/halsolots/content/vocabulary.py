"""Controlled vocabularies (districts, target groups, categories, venues, …) read from YAML data files.

They are data so that a new district, municipality or venue is a data edit. Each term has an `id` used in
content files and a label per language; a missing label falls back to the default language.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any

import yaml

from .problems import N_, Problem

# File name (in the data folder) for each vocabulary; files that are absent are empty vocabularies.
VOCABULARY_FILES = {
    "districts": "districts.yaml",
    "target_groups": "target-groups.yaml",
    "categories": "categories.yaml",
    "venues": "venues.yaml",
    "accessibility_features": "accessibility-features.yaml",
    "themes": "themes.yaml",
    "help_contacts": "help-contacts.yaml",
    "film_series": "film-series.yaml",
    "referral_needs": "referral-needs.yaml",
    "focus_areas": "focus-areas.yaml",  # the yearly follow-up's five public-health areas (followup/)
}


@dataclass(frozen=True)
class Text:
    """A text in several languages; `get(lang)` falls back to the default language."""

    values: tuple[tuple[str, str], ...]
    default_lang: str
    _found: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def get(self, lang: str) -> str:
        return self.in_language(lang)[0]

    def in_language(self, lang: str) -> tuple[str, str]:
        """The text and the language it is actually in (for `lang` attributes on fallbacks)."""
        # Asked for on every page that shows a term: worked out once per language.
        found = self._found.get(lang)
        if found is None:
            found = self._found[lang] = self._look_up(lang)
        return found

    def _look_up(self, lang: str) -> tuple[str, str]:
        mapping = dict(self.values)
        for candidate in (lang, self.default_lang):
            if mapping.get(candidate):
                return mapping[candidate], candidate
        for candidate, value in self.values:
            if value:
                return value, candidate
        return "", lang

    def __bool__(self) -> bool:
        return any(value for _, value in self.values)


class Translated:
    """A model whose words are `texts` by language, the original's in `default_lang` (activities, health
    pages, films)."""

    def text(self, lang: str):
        """The text in `lang`, or the original's when there is no translation (check `.lang`)."""
        return self.texts.get(lang) or self.texts[self.default_lang]


@dataclass(frozen=True)
class Term:
    id: str
    label: Text
    description: Text
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __getitem__(self, key):
        return self.data[key]

    def get(self, key, default=None):
        return self.data.get(key, default)

    def text(self, key: str) -> Text | None:
        """A multilingual field other than label/description (e.g. a venue's directions)."""
        value = self.data.get(key)
        return value if isinstance(value, Text) else None


class Vocabulary:
    """An ordered set of terms; order in the data file is the order shown on the site."""

    def __init__(self, name: str, terms: list[Term], path: str = ""):
        self.name = name
        self.path = path
        self.terms = terms
        self._by_id = {term.id: term for term in terms}

    def __iter__(self):
        return iter(self.terms)

    def __len__(self):
        return len(self.terms)

    def __contains__(self, term_id):
        return isinstance(term_id, str) and term_id in self._by_id  # a YAML list or map is never an id

    def __getitem__(self, term_id) -> Term:
        return self._by_id[term_id]

    def get(self, term_id, default=None):
        return self._by_id.get(term_id, default) if isinstance(term_id, str) else default

    def ids(self) -> list[str]:
        return [term.id for term in self.terms]

    def suggest(self, wrong: str) -> str:
        """The closest id to a misspelt one, by id or by label, or ''."""
        wrong_lower = wrong.lower()
        for term in self.terms:
            if any(label.lower() == wrong_lower for _, label in term.label.values):
                return term.id
        return suggest(wrong_lower, self.ids())


def suggest(wrong: str, options) -> str:
    """The option closest to a misspelt value (compared in lower case), or ''."""
    matches = difflib.get_close_matches(wrong.lower(), list(options), n=1, cutoff=0.6)
    return matches[0] if matches else ""


def _text(value: Any, default_lang: str) -> Text:
    if isinstance(value, dict):
        return Text(tuple((str(k), str(v).strip()) for k, v in value.items() if v is not None), default_lang)
    if value is None:
        return Text((), default_lang)
    return Text(((default_lang, str(value).strip()),), default_lang)


# libyaml when PyYAML has it (the wheels do): the same safe loader, ten times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_file(name: str, path: str, default_lang: str, problems: list[Problem]) -> Vocabulary:
    try:
        with open(path, encoding="utf-8") as handle:
            source = handle.read()
        # Parsed once: the node tree gives each entry's line, the document built from it the values.
        loader = _Loader(source)
        try:
            node = loader.get_single_node()
            raw = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except FileNotFoundError:
        return Vocabulary(name, [], path)
    except UnicodeDecodeError:
        problems.append(Problem.make(path, 1, name, N_("the file is not UTF-8 text"), N_("save it as UTF-8")))
        return Vocabulary(name, [], path)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        problems.append(Problem.make(path, line, name, N_("the file is not valid YAML: {error}"),
                                     N_("a list of entries, each starting with '- id: …'"),
                                     error=getattr(error, "problem", error)))
        return Vocabulary(name, [], path)
    if not isinstance(raw, list):
        problems.append(Problem.make(path, 1, name, N_("the file is not a list of entries"),
                                     N_("entries starting with '- id: …'")))
        return Vocabulary(name, [], path)
    # Line of each entry, so problems found later (e.g. a venue's unknown district) can point at it.
    entry_lines = [item.start_mark.line + 1 for item in node.value]
    terms: list[Term] = []
    seen: set[str] = set()
    for index, entry in enumerate(raw, start=1):
        line = entry_lines[index - 1]
        if not isinstance(entry, dict) or not entry.get("id"):
            problems.append(Problem.make(path, line, name, N_("entry {index} has no id"),
                                         N_("each entry starts with '- id: …'"), index=index))
            continue
        term_id = str(entry["id"])
        if term_id in seen:
            problems.append(Problem.make(path, line, name, N_("the id '{id}' is used twice"), N_("unique ids"), id=term_id))
        seen.add(term_id)
        data = {"_line": line}
        for key, value in entry.items():
            if isinstance(value, dict) and any(v is None for v in value.values()):
                # {sv: Tobak, snus och vejp, en: …}: YAML cuts an unquoted text at its comma
                cut = next(str(k) for k, v in value.items() if v is None)
                problems.append(Problem.make(path, line, str(key), N_("entry '{id}': a text is cut at a comma before '{cut}'"),
                                             N_("the text in quotes, e.g. {key}: {{sv: \"Tobak, snus och vejp\", en: …}}"),
                                             id=term_id, cut=cut, key=key))
            # Nested {lang: text} maps become Text; other values are kept as they are.
            if isinstance(value, dict) and key not in ("label", "description"):
                data[key] = _text(value, default_lang)
            else:
                data[key] = value
        label_source = entry.get("label", entry.get("name", term_id))
        terms.append(Term(term_id, _text(label_source, default_lang), _text(entry.get("description"), default_lang), data))
    return Vocabulary(name, terms, path)


def district_vocabulary(content_path: str, data: str = "data", default_lang: str = "sv") -> Vocabulary:
    """Only the districts of a site's content folder (another site's, for Also-in); problems are that site's."""
    path = os.path.join(content_path, data, VOCABULARY_FILES["districts"])
    return _load_file("districts", path, default_lang, [])


class Vocabularies:
    """All vocabularies of a site, loaded once per build from the data folder."""

    def __init__(self, data_path: str, default_lang: str = "sv"):
        self.data_path = data_path
        self.default_lang = default_lang
        self.problems: list[Problem] = []
        self._all: dict[str, Vocabulary] = {}
        for name, filename in VOCABULARY_FILES.items():
            self._all[name] = _load_file(name, os.path.join(data_path, filename), default_lang, self.problems)
        self._check_references()

    def __getattr__(self, name) -> Vocabulary:
        try:
            return self.__dict__["_all"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name) -> Vocabulary:
        return self._all[name]

    def _check_references(self):
        for district in self.districts:
            contacts = district.get("contacts") or []
            for contact in contacts if isinstance(contacts, list) else [contacts]:
                if contact not in self.help_contacts:
                    self.problems.append(Problem.make(self.districts.path, district.get("_line", 1), "contacts",
                                                      N_("district '{district}' has unknown contact '{value}'"),
                                                      N_("one of: {options}"), district=district.id, value=contact,
                                                      options=", ".join(self.help_contacts.ids())))
            venue = district.get("venue")
            if venue is not None and venue not in self.venues:
                self.problems.append(Problem.make(self.districts.path, district.get("_line", 1), "venue",
                                                  N_("district '{district}' has unknown venue '{value}'"),
                                                  N_("one of: {options}"), district=district.id, value=venue,
                                                  options=", ".join(self.venues.ids())))
        for need in self.referral_needs:
            for key, vocabulary in (("themes", self.themes), ("groups", self.target_groups),
                                    ("accessibility", self.accessibility_features)):
                values = need.get(key) or []
                for value in values if isinstance(values, list) else [values]:
                    if value not in vocabulary:
                        self.problems.append(Problem.make(self.referral_needs.path, need.get("_line", 1), key,
                                                          N_("need '{need}' has unknown {key} '{value}'"),
                                                          N_("one of: {options}"), need=need.id, key=key,
                                                          value=value, options=", ".join(vocabulary.ids())))
        for category in self.categories:
            # Every category counts under a focus area in the yearly report, once the site has focus areas.
            area = category.get("focus-area")
            if (area is not None or len(self.focus_areas)) and area not in self.focus_areas:
                message = (N_("category '{category}' has no focus-area") if area is None
                           else N_("category '{category}' has unknown focus area '{value}'"))
                self.problems.append(Problem.make(self.categories.path, category.get("_line", 1), "focus-area",
                                                  message, N_("one of: {options}"), category=category.id,
                                                  value=area, options=", ".join(self.focus_areas.ids())))
        for venue in self.venues:
            if venue.get("district") not in self.districts:
                self.problems.append(Problem.make(self.venues.path, venue.get("_line", 1), "district",
                                                  N_("venue '{venue}' has unknown district '{value}'"),
                                                  N_("one of: {options}"), venue=venue.id, value=venue.get("district"),
                                                  options=", ".join(self.districts.ids())))
            features = venue.get("accessibility") or []
            for feature in features if isinstance(features, list) else [features]:
                if feature not in self.accessibility_features:
                    self.problems.append(Problem.make(self.venues.path, venue.get("_line", 1), "accessibility",
                                                      N_("venue '{venue}' has unknown accessibility fact '{value}'"),
                                                      N_("one of: {options}"), venue=venue.id, value=feature,
                                                      options=", ".join(self.accessibility_features.ids())))
