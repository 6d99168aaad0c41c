"""The form editor's configuration (Decap CMS `config.yml`), made from the field descriptions (schema.py) and
the vocabularies when the preview serves it: a new district in content/data/districts.yaml is in the editor's
list at the next page load, with no edit to any configuration.

Decap writes YAML front matter by default; this site's files have Python-Markdown `Key: value` headers, so the
collections use the format `halsolots` that /admin/halsolots-format.js registers (same-origin, no CDN), and
`format_fields()` tells that script which fields are lists and which are yes/no.
"""

from __future__ import annotations

import os

from . import schema
from .schema import KINDS, ONLINE, FieldSpec, Kind

FORMAT = "halsolots"
COLLECTION_NAMES = {"activity": "activities", "health": "health", "film": "films", "news": "news", "page": "pages"}
# Whatever the city's Git host is, the admin names it in EDITOR_BACKEND (docs/editor.md); this is the default.
DEFAULT_BACKEND = {"name": "git-gateway", "branch": "main"}
LOCAL_BACKEND_PORT = 8081

_PATTERNS = {
    schema.SLUG: ("^[a-z0-9][a-z0-9-]*$", "bara a–z, 0–9 och bindestreck"),
    schema.DATETIME: (r"^\d{4}-\d{2}-\d{2} \d{1,2}:\d{2}$", "ÅÅÅÅ-MM-DD TT:MM, t.ex. 2027-02-03 18:00"),
    schema.END: (r"^(\d{4}-\d{2}-\d{2} )?\d{1,2}:\d{2}$", "TT:MM, t.ex. 19:00"),
    schema.DATE: (r"^\d{4}-\d{2}-\d{2}$", "ÅÅÅÅ-MM-DD, t.ex. 2027-06-09"),
    schema.DATES: (r"^\d{4}-\d{2}-\d{2}(\s*,\s*\d{4}-\d{2}-\d{2})*$", "datum ÅÅÅÅ-MM-DD med kommatecken emellan"),
    schema.LANGUAGES: (r"^[a-z]{2,3}(\s*,\s*[a-z]{2,3})*$", "språkkoder med kommatecken emellan, t.ex. sv, en"),
    schema.NUMBER: (r"^\d+$", "ett heltal"),
    schema.URL: ("^https://", "en adress som börjar med https://"),
}


def _options(spec: FieldSpec, vocabularies) -> list[dict]:
    terms = [{"label": f"{term.label.get('sv')} ({term.id})", "value": term.id}
             for term in vocabularies[spec.vocabulary]]
    if spec.type == schema.VENUE:
        terms.append({"label": "Online (digital aktivitet)", "value": ONLINE})
    return terms


def widget(spec: FieldSpec, vocabularies, lang: str) -> dict:
    """One Decap field for one described field; a select list wherever the values are a vocabulary or choices."""
    field = {"name": spec.name, "label": spec.name, "hint": spec.help_sv, "required": spec.required}
    if spec.type == schema.LANG:
        return {**field, "widget": "hidden", "default": lang, "required": True}
    if spec.vocabulary:
        return {**field, "widget": "select", "options": _options(spec, vocabularies),
                "multiple": spec.type == schema.TERMS}
    if spec.type == schema.CHOICE:
        return {**field, "widget": "select", "options": list(spec.choices)}
    if spec.type == schema.YES_NO:
        return {**field, "widget": "select", "options": ["yes", "no"]}
    field["widget"] = "string"
    if spec.type in _PATTERNS:
        field["pattern"] = list(_PATTERNS[spec.type])
    return field


def _body(kind: Kind) -> dict:
    return {"name": "body", "label": "Text", "widget": "markdown", "hint": kind.body_sv,
            "required": kind.name == "film"}


SLUG_HINT = ("Kort namn i webbadressen och filens namn, bara a–z, 0–9 och bindestreck, t.ex. stavgang-pa-torget. "
             "Översättningar väljer originalet efter det.")


def collection(kind: Kind, settings: dict, vocabularies, default_lang: str) -> dict:
    """A kind's originals. Unlike a file written by hand, an original made here always has a Slug, and its file
    is named after it: translations choose their original by Slug (translation_collection)."""
    fields = [widget(spec, vocabularies, default_lang) for spec in kind.fields]
    for field in fields:
        if field["name"] == "Slug":
            field.update(required=True, hint=SLUG_HINT)
    return {
        "name": COLLECTION_NAMES[kind.name], "label": kind.label_sv, "label_singular": kind.label_sv,
        "folder": _folder(kind, settings), "extension": "md", "format": FORMAT, "create": True,
        "identifier_field": "Title", "summary": "{{Title}}", "slug": "{{fields.Slug}}",
        "filter": {"field": "Lang", "value": default_lang}, "fields": fields + [_body(kind)],
    }


def translation_collection(kind: Kind, settings: dict, vocabularies, lang: str) -> dict:
    """A kind's translations into `lang`: the same folder, only the text fields; the Slug is chosen among the
    originals, and the file is named after it with the language code (mjuk-yoga.en.md)."""
    fields = []
    for spec in kind.translated:
        if spec.key == "slug":
            fields.append({"name": "Slug", "label": "Slug", "widget": "relation", "required": True,
                           "hint": "Originalet som det här är en översättning av.",
                           "collection": COLLECTION_NAMES[kind.name], "value_field": "Slug",
                           "search_fields": ["Title", "Slug"], "display_fields": ["Title"]})
        else:
            fields.append(widget(spec, vocabularies, lang))
    return {
        "name": f"{COLLECTION_NAMES[kind.name]}-{lang}", "label": f"{kind.label_sv} – översättningar ({lang})",
        # The language code in the extension, not in a path template: Decap would sanitise a '.' there to '-'.
        "folder": _folder(kind, settings), "extension": f"{lang}.md", "format": FORMAT, "create": True,
        "identifier_field": "Title", "summary": "{{Title}} ({{Slug}})", "slug": "{{fields.Slug}}",
        "filter": {"field": "Lang", "value": lang},
        "fields": fields + [_body(kind)],
    }


def _folder(kind: Kind, settings: dict) -> str:
    """The kind's folder relative to the repository (the editor's paths are the Git repository's)."""
    content = os.path.relpath(os.path.abspath(settings["PATH"]), settings.get("EDITOR_REPOSITORY", os.getcwd()))
    return os.path.normpath(os.path.join(content, kind.folder(settings))).replace(os.sep, "/")


def editor_config(settings: dict, vocabularies, languages, local_port: int = LOCAL_BACKEND_PORT) -> dict:
    """The whole `config.yml` as a dict: backend, the local backend for `make editor`, media, collections."""
    default_lang = languages[0]
    content = os.path.relpath(os.path.abspath(settings["PATH"]), settings.get("EDITOR_REPOSITORY", os.getcwd()))
    media = (settings.get("STATIC_PATHS") or ["media"])[0]
    collections = [collection(kind, settings, vocabularies, default_lang) for kind in KINDS.values()]
    collections += [translation_collection(kind, settings, vocabularies, lang)
                    for kind in KINDS.values() for lang in languages[1:]]
    return {
        "backend": dict(settings.get("EDITOR_BACKEND") or DEFAULT_BACKEND),
        "local_backend": {"url": f"http://127.0.0.1:{local_port}/api/v1", "allowed_hosts": ["127.0.0.1", "localhost"]},
        "locale": "sv",
        "media_folder": os.path.normpath(os.path.join(content, media)).replace(os.sep, "/"),
        "public_folder": "/" + media,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections,
    }


def format_fields() -> dict:
    """For the format script: every field name (by lower-case key), in the order files write them, and whether
    the editor holds it as a list (select lists of several values)."""
    fields: dict[str, dict] = {}
    for kind in KINDS.values():
        for spec in kind.fields:
            fields.setdefault(spec.key, {"name": spec.name, "list": spec.type == schema.TERMS})
    return fields
