"""News and pages: Pelican reads and renders them; their headers are checked here, from schema.py, the same way
in the build (generators/news.py) and `make check`: unknown fields, missing required ones, dates, choices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .fields import FieldReader
from .problems import N_, ProblemCollector
from .reading import Sources, content_files, read_kind
from .schema import CHOICE, DATE, NEWS, NUMBER, PAGE, Kind, check_known_fields
from .source import Header
from .vocabulary import suggest


@dataclass(frozen=True)
class PageFacts:
    """What the check needs of a news item or page (Pelican makes the content objects)."""

    slug: str
    source_path: str
    texts: dict = field(default_factory=dict, compare=False)


def check_header(kind: Kind, header: Header, problems: ProblemCollector, vocabularies) -> None:
    """Every field of `kind` in `header` read by its type (schema.py)."""
    for key in kind.required:
        if header.blank(key):
            problems.add(kind.names[key], N_("is missing"), kind.field(key).missing)
    fields = FieldReader(header, problems, vocabularies, kind.names)
    for spec in kind.fields:
        value = header.text(spec.key)
        if not value:
            continue
        if spec.type == DATE:
            fields.date(spec.key, value[:10])
        elif spec.type == CHOICE and value.lower() not in spec.choices:
            problems.add(spec.name, N_("'{value}' is not allowed"), N_("one of: {options}"),
                         suggest(value, spec.choices), value=value, options=", ".join(spec.choices))
        elif spec.type == NUMBER and not value.isdigit():
            problems.add(spec.name, N_("'{value}' is not a whole number"), N_("a whole number such as {example}"),
                         value=value, example=spec.example)


def read_pages(content_path: str, settings: dict, site) -> Sources:
    """The news items and pages of `content_path`, checked; their problems (Pelican renders them)."""
    result = Sources()
    for kind in (NEWS, PAGE):
        files = content_files(content_path, settings.get(kind.paths_setting, [kind.default_path]), settings)

        def parse(slug, path, header, problems, kind=kind):
            check_known_fields(kind, header, problems)
            check_header(kind, header, problems, site.vocabularies)
            return None if problems.has_errors else PageFacts(slug, path)

        def translation(header, problems, kind=kind):
            check_known_fields(kind, header, problems, translation=True)
            check_header(kind, header, problems, site.vocabularies)

        read_kind(content_path, files, site, parse, translation, result, orphans=True)
    return result
