"""The theme's components as their folders describe them, and their examples rendered for real.

Each theme/components/<name>/ holds macro.html, style.css, README.md and <name>.yaml (GOV.UK Frontend's
layout). The YAML file has
  params:   {macro name: [{name, type, required, description, default?}]}: the arguments of each public macro;
  examples: [{name, macro, languages, arguments, globals}]: a call of `macro` with `arguments`, rendered on a
            page in each of `languages` whose context holds `globals` (plus `lang`).
Examples are data: an argument or global is a plain value, a list or map of them, or a reference to the
fixture site (tests/fixtures/site), a map with a single key from REFERENCES, e.g. {activity: stolgympa},
{term: [districts, centrum]}, {site: fixture}. `resolve` turns references into the site's own models.

`Examples.render` renders a call with the theme's real Jinja environment (the build's options, configured by
site/templates.configure) in the page's language. Undefined names fail (StrictUndefined), so an example that
does not give a global its component reads fails instead of rendering a blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import yaml
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined
from markupsafe import escape

from calendar_support import Model
from conftest import FIXTURE_CONTENT, REPO, TODAY
from halsolots.content.library import LibraryText, read_library
from halsolots.content.programme import Listing, Programme
from halsolots.generators.feeds import Calendars
from halsolots.generators.search import activity_search_record, page_search_record, result_count_messages
from halsolots.site import i18n
from halsolots.site.templates import configure

THEME = REPO / "theme"
COMPONENTS = THEME / "components"
# {% macro name(arguments) %}; arguments may span lines.
MACRO = re.compile(r"{%-?\s*macro\s+(\w+)\s*\((.*?)\)\s*-?%}", re.S)


def component_names() -> list[str]:
    return sorted(path.name for path in COMPONENTS.iterdir() if path.is_dir())


def spec(name: str) -> dict:
    """The component's <name>.yaml."""
    with open(COMPONENTS / name / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@dataclass(frozen=True)
class Argument:
    name: str
    default: str | None  # the default's source text; None when the argument is required


def macro_signatures(text: str) -> dict[str, list[Argument]]:
    """Macro name → its arguments, from the `{% macro name(a, b=3) %}` lines of a template."""
    found = {}
    for name, source in MACRO.findall(text):
        arguments = []
        for part in (p.strip() for p in source.split(",")):
            if part:
                arg, _, default = part.partition("=")
                arguments.append(Argument(arg.strip(), default.strip() if default else None))
        found[name] = arguments
    return found


def public_macros(name: str) -> dict[str, list[Argument]]:
    """The macros of a component other templates may call (a leading _ marks a private one)."""
    text = (COMPONENTS / name / "macro.html").read_text(encoding="utf-8")
    return {macro: args for macro, args in macro_signatures(text).items() if not macro.startswith("_")}


def environment(settings: dict) -> Environment:
    """The theme's Jinja environment as every generator gets it (Pelican's options from pelicanconf.py)."""
    env = Environment(loader=ChoiceLoader([FileSystemLoader(str(THEME / "templates"))]), trim_blocks=True,
                      lstrip_blocks=True, autoescape=True, extensions=[])
    configure(env, str(THEME), settings)
    return env


@dataclass
class Call:
    """One example rendered in one language."""

    component: str
    example: dict
    lang: str
    arguments: dict  # resolved
    context: dict  # resolved globals, with lang
    html: str
    site: object = field(repr=False)

    @property
    def macro(self) -> str:
        return self.example["macro"]

    def href(self, kind: str, **values) -> str:
        """The link a page in this language has to a generated page."""
        return f"{self.context.get('SITEURL', '')}/{self.site.url(self.lang, kind, **values)}"


class Examples:
    """The fixture site's model and the theme's environment: resolves and renders component examples."""

    def __init__(self, model: Model | None = None):
        self.model = model or Model(FIXTURE_CONTENT, TODAY)
        self.site = self.model.site
        i18n.load_catalogues(str(THEME / "translations"), self.site.languages)
        self.env = environment(self.model.settings).overlay(undefined=StrictUndefined)

    # --- the fixture site's content ------------------------------------------------------------------

    @cached_property
    def library(self):
        sources = read_library(str(FIXTURE_CONTENT), self.model.settings, self.site)
        assert not sources.errors, [str(p) for p in sources.errors]
        for kind in (sources.health, sources.films):
            for item in kind.items:
                # Texts straight from the headers, as calendar_support.Model does for activities.
                for _relative, header in kind.text_files[item.slug]:
                    lang = header.text("lang") or self.site.default_lang
                    summary = header.text("summary")
                    item.texts[lang] = LibraryText(lang, header.text("title"),
                                                   f"<p>{escape(summary)}</p>" if summary else "", "")
        return sources

    @cached_property
    def health_pages(self) -> dict:
        return {page.slug: page for page in self.library.health.items}

    @cached_property
    def films(self) -> dict:
        return {film.slug: film for film in self.library.films.items}

    @cached_property
    def calendars(self) -> Calendars:
        return Calendars(self.site, {"activities": self.model.all})

    @cached_property
    def programme(self) -> Programme:
        return Programme(self.model.all, self.site.today, self.model.settings.get("LISTING_WEEKS", 4),
                         self.site.vocabularies.target_groups)

    def _feed(self, which):
        feed = self.calendars.everything if which == "everything" else self.calendars.feed_for(*which)
        assert feed is not None, f"no calendar feed {which!r}"
        return feed

    def _week(self, key: str):
        weeks = {week.key: week for week in self.programme.weeks}
        assert key in weeks, f"no programme week {key!r}; the fixture has {sorted(weeks)}"
        return weeks[key]

    def _listing_days(self, spec: dict):
        weeks = spec.get("weeks", self.model.settings.get("LISTING_WEEKS", 4))
        if "facet" in spec:
            return self.programme.listing(spec["facet"], spec["id"]).days
        return Listing(self.model.all, self.site.today, weeks).days

    def _language_links(self, alternates: dict, lang: str) -> list[dict]:
        # As the writer builds them (generators/writer.py, _render).
        return [{"lang": code, "name": i18n.native_language_name(code), "current": code == lang,
                 "url": alternates.get(code, self.site.url(code, "home")), "translated": code in alternates}
                for code in self.site.languages]

    @property
    def references(self) -> dict:
        """Reference kind → resolver(value, lang). Resolvers run with the page's language active."""
        site = self.site
        return {
            "site": lambda _v, _l: site,
            "vocabularies": lambda _v, _l: site.vocabularies,
            "calendars": lambda _v, _l: self.calendars,
            "activity": lambda slug, _l: self.model.by_slug[slug],
            "health_page": lambda slug, _l: self.health_pages[slug],
            "film": lambda slug, _l: self.films[slug],
            "term": lambda ref, _l: site.vocabularies[ref[0]][ref[1]],
            "vocabulary": lambda name, _l: site.vocabularies[name],
            "week": lambda key, _l: self._week(key),
            "week_days": lambda key, _l: self._week(key).days,
            "listing_days": lambda spec, _l: self._listing_days(spec),
            "feed": lambda which, _l: self._feed(which),
            "feed_name": lambda which, lang: self._feed(which).name(lang),
            "feed_url": lambda which, lang: self.calendars.url(self._feed(which), lang),
            "language_links": lambda alternates, lang: self._language_links(alternates, lang),
            "activity_search_record": lambda slug, _l: activity_search_record(
                {"today": site.today}, self.model.by_slug[slug]),
            "page_search_record": lambda values, lang: page_search_record(**self.resolve(values, lang)),
            "result_count_messages": lambda _v, lang: result_count_messages(lang),  # {result_count_messages: page}
            "gettext": lambda message, _l: i18n.gettext(message),  # interface text in the page's language
        }

    def resolve(self, value, lang: str):
        """Plain data with its references replaced by the fixture site's objects."""
        if isinstance(value, dict):
            if len(value) == 1:
                (kind, inner), = value.items()
                resolver = self.references.get(kind)
                if resolver is not None:
                    return resolver(inner, lang)
            return {key: self.resolve(item, lang) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item, lang) for item in value]
        return value

    # --- rendering -------------------------------------------------------------------------------------

    def render(self, component: str, example: dict, lang: str) -> Call:
        """`example` of `component` rendered on a page in `lang`."""
        with i18n.language(lang):
            # The maps of arguments and globals are names, never a reference: their values are resolved.
            arguments = {key: self.resolve(value, lang) for key, value in (example.get("arguments") or {}).items()}
            context = {key: self.resolve(value, lang) for key, value in (example.get("globals") or {}).items()}
            context["lang"] = lang
            template = self.env.from_string(
                f'{{% from "{component}/macro.html" import {example["macro"]} with context %}}'
                f'{{{{ {example["macro"]}(**component_arguments) }}}}')
            html = template.render(**context, component_arguments=arguments)
        return Call(component, example, lang, arguments, context, html, self.site)

    def all_calls(self):
        """(component, example) of every example of every component."""
        for name in component_names():
            for example in (spec(name) or {}).get("examples") or []:
                yield name, example
