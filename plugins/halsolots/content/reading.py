"""Reading and validating content without rendering it: shared by the build and `make check`.

`read_activities` is the one place activity files are found, read and validated; ActivityGenerator calls
it during the build and `python -m halsolots check` calls it without Pelican, so both report the same
problems. `make check` runs every kind's reading (content/checks.py).
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field

from .activity import Activity, ActivityParser, check_translation_header
from .problems import N_, ContentError, Problem, ProblemCollector, format_problem  # noqa: F401 (format_problem: re-exported)
from .memory import MISSING
from .memory import current as current_memory
from .rawhtml import removed_html_problems
from .sites import SITES_FOLDER, districts_of, other_sites
from .source import Header, file_stamp, parse_header, read_text

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# Markdown is the only format content is written in (Pelican's MarkdownReader extensions).
CONTENT_EXTENSIONS = ("md", "markdown", "mkd", "mdown")


def identity_of(path: str, header) -> str:
    """An activity's identity: its Slug, else the file name before the first dot (so x.en.md pairs with x.md)."""
    return header.text("slug") or os.path.basename(path).split(".")[0]


def content_files(content_path: str, paths, settings: dict, excludes=()) -> list[str]:
    """Content files below `paths` (relative to the content folder), the way Pelican's get_files finds them."""
    ignores = settings.get("IGNORE_FILES", [])
    excluded = {os.path.normpath(os.path.join(content_path, e)) for e in excludes}
    found = set()
    for path in paths:
        root = os.path.join(content_path, path) if path else content_path
        for dirpath, dirs, files in os.walk(root, topdown=True, followlinks=True):
            dirs[:] = [d for d in dirs if os.path.normpath(os.path.join(dirpath, d)) not in excluded
                       and not any(fnmatch.fnmatch(d, ignore) for ignore in ignores)]
            folder = os.path.relpath(dirpath, content_path)  # once a folder, not once a file
            for name in files:
                if any(fnmatch.fnmatch(name, ignore) for ignore in ignores):
                    continue
                if os.path.splitext(name)[1][1:] in CONTENT_EXTENSIONS:
                    found.add(name if folder == "." else os.path.join(folder, name))
    return sorted(found)


@dataclass
class Sources:
    """One content kind read from its files: the models, the problems, and where each text lives."""

    items: list = field(default_factory=list)  # one model per original, drafts included
    problems: list[Problem] = field(default_factory=list)  # errors and warnings
    # slug → [(relative path, header)] of the original and its translations, original first
    text_files: dict[str, list[tuple[str, Header]]] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity != "error"]


class ActivitySources(Sources):
    @property
    def activities(self) -> list[Activity]:  # sorted by start
        return self.items


def _read_source(path: str):
    """(header, problem, warnings about raw HTML the site removes) of a file, read once."""
    text, problem = read_text(path)
    if text is None:
        return None, problem, []
    return parse_header(text), None, removed_html_problems(path, text)


def _read_header(path: str):
    """(stamp, header, problem, HTML warnings) of a file; the devserver's memory keeps it while it is unchanged."""
    stamp = file_stamp(path)
    memory = current_memory()
    found = memory.recall(("source", path), stamp) if stamp is not None else MISSING
    if found is MISSING:
        found = memory.keep(("source", path), _read_source(path), stamp)
    return (stamp, *found)


def read_kind(content_path: str, files: list[str], site, parse, check_translation, result: Sources,
              memo: str | None = None, orphans: bool = False) -> Sources:
    """Pair originals (default language) with their translations (same Slug), parse each original's facts.

    `parse(slug, path, header, collector)` returns the model or None; `check_translation(header, collector)`
    reports facts in a translation. Every content kind (activities, health pages, films) is read this way.
    With `memo` (a kind whose parse depends on nothing but the header, the vocabularies and the languages),
    an unchanged file's model is kept from the previous build in this process, its texts emptied for the
    generator to fill again. `orphans`: a translation may stand alone (Pelican's pages and news: a page only in
    English is fine); otherwise one without its original is a problem.
    """
    problems = result.problems
    originals: dict[str, tuple[str, Header]] = {}
    translations: dict[str, list[tuple[str, Header]]] = defaultdict(list)
    stamps: dict[str, tuple] = {}
    depends = (site.data_stamp(), tuple(site.languages)) if memo else None
    for relative in files:
        path = os.path.join(content_path, relative)
        stamps[relative], header, problem, html_warnings = _read_header(path)
        if problem:
            problems.append(problem)
            continue
        problems.extend(html_warnings)
        collector = ProblemCollector(path, header)
        lang = header.text("lang").lower() or site.default_lang
        slug = identity_of(path, header)
        if not _SLUG.match(slug):
            # The Slug becomes a folder name in URLs and file paths: "../x" must never write outside the site.
            collector.add("Slug", N_("'{slug}' is not a valid Slug"),
                          N_("lower-case letters a–z, digits and hyphens, e.g. mindfulnesspromenad-slottsskogen"),
                          slug=slug)
        elif lang not in site.languages:
            collector.add("Lang", N_("'{lang}' is not a language of this site"), N_("one of: {options}"),
                          lang=lang, options=", ".join(site.languages))
        elif lang == site.default_lang:
            if slug in originals:
                collector.add("Slug", N_("'{slug}' is also used by {other}"), N_("a Slug no other activity has"),
                              slug=slug, other=originals[slug][0])
            else:
                originals[slug] = (relative, header)
        else:
            check_translation(header, collector)
            translations[slug].append((relative, header))
        problems.extend(collector.problems)

    for slug, (relative, header) in originals.items():
        path = os.path.join(content_path, relative)
        stamp = (stamps[relative], depends, slug)
        kept = current_memory().recall(("model", memo, path), stamp) if memo else MISSING
        if kept is not MISSING:
            item, item_problems = kept
            if item is not None:
                item.texts.clear()
        else:
            collector = ProblemCollector(path, header)
            item = parse(slug, path, header, collector)
            item_problems = collector.problems
            if memo:
                current_memory().keep(("model", memo, path), (item, item_problems), stamp)
        problems.extend(item_problems)
        if item is None:
            translations.pop(slug, None)  # its translations are fine; the original's problems say it all
            continue
        result.text_files[slug] = [(relative, header), *translations.pop(slug, [])]
        result.items.append(item)
    for slug, alone in sorted(translations.items()):
        if orphans:
            break
        for relative, header in alone:
            problems.append(Problem.make(os.path.join(content_path, relative),
                                         header["slug"].line if "slug" in header else 1, "Slug",
                                         N_("no {lang} original has the Slug '{slug}'"),
                                         N_("the same Slug as the original file"), lang=site.default_lang, slug=slug))
    return result


def read_activities(content_path: str, settings: dict, site) -> ActivitySources:
    """Read and validate every activity file (no Markdown rendering): facts, pairing of translations, warnings;
    with the activities of the repository's other sites that name one of this site's districts (Also-in)."""
    result = ActivitySources()
    result.problems.extend(site.vocabularies.problems)
    others = other_sites(settings)
    parser = site.activity_parser()
    files = content_files(content_path, settings.get("ACTIVITY_PATHS", ["aktiviteter"]), settings,
                          settings.get("ACTIVITY_EXCLUDES", []))
    read_kind(content_path, files, site, parser.parse, check_translation_header, result, memo="activity")
    for site_id, facts in others.items():
        read_guests(content_path, settings, site, site_id, facts, result)
    result.items.sort(key=lambda a: (a.schedule.start, a.slug))
    result.problems.extend(activity_warnings(result, site, venues=not result.errors))
    return result


def read_guests(content_path: str, settings: dict, site, home_id: str, home: dict, result: ActivitySources) -> None:
    """Another site's activities that name one of this site's districts in Also-in, read with their own site's
    vocabularies (venue, organiser) and listed here in the districts they name, with this site's terms for
    groups, category and themes; their UID keeps their own site's domain."""
    from dataclasses import replace

    from .settings import ContentSettings

    home_path = home["path"]
    files = content_files(home_path, settings.get("ACTIVITY_PATHS", ["aktiviteter"]), settings)
    own = set(site.vocabularies.districts.ids())
    identities: dict[str, str] = {}
    wanted: set[str] = set()
    for relative in files:
        _stamp, header, _problem, _html = _read_header(os.path.join(home_path, relative))
        if header is None:
            continue  # the home site's own build reports it
        identities[relative] = identity_of(relative, header)
        if own.intersection(v.lower() for v in header.items_list("also-in")):
            wanted.add(identities[relative])
    if not wanted:
        return
    files = [relative for relative in files if identities.get(relative) in wanted]
    home_site = ContentSettings({**settings, "PATH": home_path, "SITE_DOMAIN": home["domain"]})
    home_others = other_sites({**settings, "SITE_ID": home_id})  # this site among them
    home_parser = ActivityParser(home_site.vocabularies, site.languages, site.timezone, districts_of(home_others))
    taken = {activity.slug for activity in result.items}

    def parse(slug, path, header, collector):
        activity = home_parser.parse(slug, path, header, collector)
        if activity is None:
            return None
        if slug in taken:
            collector.add("Slug", N_("'{slug}' is also used by an activity of this site"),
                          N_("a Slug no activity of either site has"), slug=slug)
            return None
        terms = {}
        for key, field_name, vocabulary in (("target_groups", "Groups", "target_groups"),
                                            ("themes", "Themes", "themes")):
            terms[key] = tuple(_guest_terms(site, vocabulary, getattr(activity, key), field_name, collector))
        category = _guest_terms(site, "categories", (activity.category,), "Category", collector)
        if collector.has_errors or not category:
            return None
        districts = tuple(site.vocabularies.districts[d] for d in activity.also_in if d in own)
        focus = activity.focus_area and site.vocabularies.focus_areas.get(activity.focus_area.id)
        return replace(activity, districts=districts, category=category[0], focus_area=focus or None,
                       uid_domain=home["domain"], **terms)

    guests = ActivitySources()
    read_kind(home_path, files, site, parse, check_translation_header, guests)
    result.problems.extend(guests.problems)
    result.items.extend(guests.items)
    for slug, text_files in guests.text_files.items():
        # where Pelican's readers find them from this site's content folder
        result.text_files[slug] = [(os.path.relpath(os.path.join(home_path, relative), content_path), header)
                                   for relative, header in text_files]


def _guest_terms(site, vocabulary: str, terms, field_name: str, collector) -> list:
    found = []
    for term in terms:
        own = site.vocabularies[vocabulary].get(term.id)
        if own is None:
            collector.add(field_name, N_("'{value}' is not known on the site the activity is also listed on"),
                          N_("one of: {options}"), value=term.id, options=", ".join(site.vocabularies[vocabulary].ids()))
        else:
            found.append(own)
    return found


# --- warnings: things a communicator should see, that never stop the build ----------------------------------


def activity_warnings(sources: ActivitySources, site, venues: bool = True) -> list[Problem]:
    """Past activities, missing translations and (when every activity could be read) venues no one uses."""
    warnings = []
    today = site.today
    for activity in sources.activities:
        relative, header = sources.text_files[activity.slug][0]
        collector = ProblemCollector(activity.source_path, header)
        if activity.is_past(today):
            last = activity.occurrences[-1].day
            collector.warn("Start" if not activity.schedule.weekly else "Until",
                           N_("the last date ({last}) has passed"),
                           N_("move the file to the archive or delete it"), last=last.isoformat())
        warnings.extend(collector.problems)
    warnings.extend(translation_warnings(sources, site, skip=lambda activity: activity.is_past(today)))
    if not venues:
        return warnings
    used = {activity.venue.id for activity in sources.activities if activity.venue is not None}
    for venue in site.vocabularies.venues:
        if venue.id not in used:
            warnings.append(Problem.make(site.vocabularies.venues.path, venue.get("_line", 1), "id",
                                         N_("no activity uses the venue '{venue}'"),
                                         N_("remove it from venues.yaml if it is no longer used"),
                                         severity="warning", venue=venue.id))
    return warnings


def translation_file(original: str, lang: str) -> str:
    """A translation's file name as the guide says: the original's name with the language code before .md
    (mjuk-yoga-ruddalen.md → mjuk-yoga-ruddalen.en.md), whatever its Slug."""
    return f"{os.path.basename(original).split('.')[0]}.{lang}.md"


def translation_warnings(sources: Sources, site, skip=lambda item: False) -> list[Problem]:
    """An original with no translation into some site language (not an error: the site falls back)."""
    warnings = []
    for item in sources.items:
        if skip(item):
            continue
        files = sources.text_files[item.slug]
        present = {header.text("lang").lower() or site.default_lang for _, header in files}
        missing = [lang for lang in site.languages if lang not in present]
        if missing:
            collector = ProblemCollector(item.source_path, files[0][1])
            collector.warn("Lang", N_("has no translation into: {languages}"),
                           N_("a file {file} with the same Slug and Lang: {lang}"),
                           languages=", ".join(missing), lang=missing[0], file=translation_file(files[0][0], missing[0]))
            warnings.extend(collector.problems)
    return warnings


# --- reporting ------------------------------------------------------------------------------------------------


# A build prints this many warnings of one kind, then a count: with thousands of files, one kind (say, no
# English translation yet) would otherwise bury everything else. `make check` lists every one.
WARNINGS_SHOWN = 5


def report_warnings(warnings: list[Problem], root: str | None = None, lang: str | None = None, stream=None,
                    shown: int | None = WARNINGS_SHOWN) -> None:
    """Warnings never stop the build; they are printed so a communicator sees them."""
    from .messages import nmessage

    stream = stream or sys.stderr
    by_kind: dict[tuple[str, str], list[Problem]] = defaultdict(list)
    for problem in sorted(warnings):
        by_kind[(problem.field, problem.message)].append(problem)
    for problems in by_kind.values():
        for problem in problems[:shown]:
            print(format_problem(problem, root, lang), file=stream)
        hidden = len(problems) - shown if shown is not None else 0
        if hidden > 0:
            print(nmessage("… and {count} more file with the same warning (make check lists every one)",
                           "… and {count} more files with the same warning (make check lists every one)",
                           hidden, lang).format(count=hidden), file=stream)


def raise_or_report(sources, content_path: str, lang: str | None = None) -> None:
    """The build's verdict on content read from `content_path` (anything with `errors` and `warnings`, e.g.
    Sources): ContentError on any error, else the warnings printed; paths from the folder above it."""
    root = os.path.dirname(content_path.rstrip(os.sep)) or None
    if root and os.path.basename(os.path.dirname(root)) == SITES_FOLDER:
        root = os.path.dirname(os.path.dirname(root))  # another site's files are named from the repository
    if sources.errors:
        raise ContentError(sources.errors, root=root)
    report_warnings(sources.warnings, root, lang)
