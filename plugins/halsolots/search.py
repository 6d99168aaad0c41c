"""Site search with Pagefind: what each page tells the index, the search pages, and indexing every build.

Pages opt in: a content template sets `search_record` (built here, see `activity_search_record` and
`page_search_record`), and base.html then marks its <main> with `data-pagefind-body` and adds the filters and
metadata (labels in the page's language). Pages without a record (listings, the search page itself, past
activities) stay out of the index. After Pelican has written every page, `index_site` runs Pagefind over the
output folder being built; Pagefind splits the index by `<html lang>`, so each language searches its own pages.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field

import cbor2
from jinja2 import pass_context
from pelican import signals
from pelican.generators import Generator

from . import i18n, outputcache
from .generator import page_writer
from .parallel import ShardedOutput
from .site import get_site

log = logging.getLogger(__name__)

# Filter ids as Pagefind stores them (stable in every language; the values are labels in the page's language).
FILTERS = ("type", "district", "group", "category", "theme", "language")
SEARCH_FOLDER = outputcache.SEARCH_FOLDER  # the folder of the index in the output
ROOT_SELECTOR = "main[data-pagefind-body]"


@dataclass
class SearchRecord:
    """What one page contributes to the search index besides its text."""

    filters: dict[str, list[str]] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)

    def filter_items(self) -> list[tuple[str, str]]:
        """(filter id, value) pairs in the fixed filter order, each value once, sorted for stable output."""
        return [(name, value) for name in FILTERS for value in sorted(set(self.filters.get(name, ())))]

    def meta_items(self) -> list[tuple[str, str]]:
        return sorted((key, value) for key, value in self.meta.items() if value)


def page_search_record(content_type: str, districts=(), target_groups=(), categories=(), themes=(), languages=(),
                       **meta) -> SearchRecord:
    """A record for any content kind; terms are vocabulary Terms, languages ISO codes (labelled here)."""
    filters = {
        "type": [content_type],
        "district": [i18n.label(t) for t in districts],
        "group": [i18n.label(t) for t in target_groups],
        "category": [i18n.label(t) for t in categories],
        "theme": [i18n.label(t) for t in themes],
        "language": [_capitalised(i18n.language_name(code)) for code in languages],
    }
    return SearchRecord({k: v for k, v in filters.items() if v}, {k: str(v) for k, v in meta.items() if v})


def searchable(activity, today) -> bool:
    """Past activities (every date gone) and drafts stay out of the index (and the open data, export.py)."""
    return not activity.draft and not activity.is_past(today)


@pass_context
def activity_search_record(context, activity) -> SearchRecord | None:
    today = context["today"]
    if not searchable(activity, today):
        return None
    meta = {}
    upcoming = activity.next_occurrence(today)
    if upcoming:
        meta["when"] = i18n.format_when(upcoming.start, upcoming.end)
    if activity.cancelled:
        meta["status"] = i18n.gettext("Cancelled")
    return page_search_record(i18n.gettext("Activity"), districts=activity.districts,
                              target_groups=activity.target_groups, categories=(activity.category,),
                              themes=activity.themes, languages=activity.languages, **meta)


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]


def result_count_messages(lang: str) -> dict[str, str]:
    """The 'N results' message for every CLDR plural category of `lang`, `{count}` in place of the number.

    The browser picks one with Intl.PluralRules, which uses the same CLDR categories as Babel.
    """
    plural = i18n.locale(lang).plural_form
    messages = {}
    for tag in sorted(plural.tags | {"other"}):
        sample = next((n for n in range(1000) if plural(n) == tag), None)
        if sample is not None:
            text = i18n.ngettext("%(num)d result", "%(num)d results", sample)
            messages[tag] = text.replace("%(num)d", "{count}")
    return messages


class SearchGenerator(ShardedOutput, Generator):
    """Writes the search page in every language."""

    def write_output(self, writer):
        site = get_site(self.context)
        # (facet, kind of its term pages) for the links without JavaScript: kinds the site has pages for.
        browse = [(facet, kind) for facet, kind in (("districts", "district"), ("target_groups", "target_group"),
                                                    ("categories", "category"), ("themes", "theme"))
                  if "{id}" in site.paths.get(kind, "") and len(site.vocabularies[facet])]
        pagefind_url = f"{self.settings['SITEURL']}/{SEARCH_FOLDER}/pagefind.js"
        for lang in site.languages:
            with i18n.language(lang):
                messages = result_count_messages(lang)
            write = page_writer(self, writer, lang, browse=browse, filter_ids=FILTERS, pagefind_url=pagefind_url)
            write("search", "search", count_messages=messages)


class SearchIndexError(Exception):
    pass


def index_site(pelican) -> None:
    """Run Pagefind over the folder Pelican has just written (the atomic build's staging folder).

    When every page is the same as in the previous build (outputcache.py), its index is linked instead.
    SEARCH_INDEX = "later" (the devserver) links the previous index whatever changed and leaves the new
    one to `index_later`, so a preview is not held up by the index."""
    mode = pelican.settings.get("SEARCH_INDEX", True)
    if not mode:
        return
    cache = outputcache.current
    pages = cache.pages_key() if cache is not None else None
    key = ("search-index", pages)  # the index of exactly these pages
    if cache is not None:
        if mode == "later" and cache.link_tree(SEARCH_FOLDER):
            return
        if pages is not None and cache.knows(key) and cache.link_tree(SEARCH_FOLDER):
            cache.remember(key)
            return
    run_pagefind(pelican.output_path, os.path.join(pelican.output_path, SEARCH_FOLDER))
    if cache is not None and pages is not None:
        cache.remember(key)


def run_pagefind(site_dir: str, bundle: str) -> None:
    started = time.perf_counter()
    # The pagefind package's own entry point runs the binary it ships.
    # The root selector (rather than Pagefind's "index everything unless some page is marked") keeps unmarked
    # pages out even on a site where no page is searchable.
    command = [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-path", bundle,
               "--root-selector", ROOT_SELECTOR, "--quiet"]
    result = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    if result.returncode != 0:
        if not _any_marked_page(site_dir):
            log.warning("No page is searchable (no upcoming activities or pages); the search index is empty")
            return
        raise SearchIndexError(f"Pagefind could not index {site_dir}: {(result.stderr or result.stdout).strip()}")
    canonicalise(bundle)
    log.info("Search index written in %.2f s", time.perf_counter() - started)


def index_later(site_dir: str) -> None:
    """A fresh index for a site already in place (the devserver, after a rebuild): built beside it, then
    swapped in with two renames. Raises when Pagefind fails (e.g. the folder was replaced meanwhile)."""
    bundle = os.path.join(site_dir, SEARCH_FOLDER)
    fresh, old = f"{bundle}.new-{os.getpid()}", f"{bundle}.old-{os.getpid()}"
    for leftover in (fresh, old):
        shutil.rmtree(leftover, ignore_errors=True)
    try:
        run_pagefind(site_dir, fresh)
        if os.path.isdir(bundle):
            os.rename(bundle, old)
        os.rename(fresh, bundle)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


# --- byte-identical index -------------------------------------------------------------------------------------
# Pagefind 1.5 writes its filter indexes and their list in the language's metadata in hash-map order, which
# differs from run to run (Pagefind/pagefind#638: fragments and word indexes are stable, these are not). We
# sort them and give the rewritten files names from their new content, so one commit builds one site.

_SIGNATURE = b"pagefind_dcd"


def _load(path: str):
    with open(path, "rb") as handle:
        data = gzip.decompress(handle.read())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path} is not a Pagefind file this build understands")
    return cbor2.loads(data[len(_SIGNATURE):])


def _store(folder: str, old_name: str, value, template: str, digits: int) -> str:
    """Write `value` under a name from its content ('sv_1a2b3c4'), replacing the file `old_name`."""
    raw = _SIGNATURE + cbor2.dumps(value)
    name = f"{old_name.rsplit('_', 1)[0]}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    os.remove(os.path.join(folder, template.format(old_name)))
    with open(os.path.join(folder, template.format(name)), "wb") as handle:
        handle.write(gzip.compress(raw, mtime=0))
    return name


def canonicalise(bundle: str) -> None:
    entry_path = os.path.join(bundle, "pagefind-entry.json")
    with open(entry_path, encoding="utf-8") as handle:
        entry = json.load(handle)
    languages = {}
    for lang, info in sorted(entry["languages"].items()):
        meta = _load(os.path.join(bundle, f"pagefind.{info['hash']}.pf_meta"))
        version, fragments, chunks, filters, sorts, *rest = meta
        sorted_filters = []
        for name, file_hash in sorted(filters):
            filter_index = _load(os.path.join(bundle, "filter", f"{file_hash}.pf_filter"))
            filter_index[1] = sorted(filter_index[1], key=lambda value_pages: value_pages[0])
            sorted_filters.append([name, _store(os.path.join(bundle, "filter"), file_hash, filter_index,
                                                "{}.pf_filter", len(file_hash.rsplit("_", 1)[1]))])
        meta = [version, fragments, chunks, sorted_filters, sorted(sorts), *rest]
        digits = len(info["hash"].rsplit("_", 1)[1])
        languages[lang] = {**info, "hash": _store(bundle, info["hash"], meta, "pagefind.{}.pf_meta", digits)}
    entry["languages"] = languages
    with open(entry_path, "w", encoding="utf-8") as handle:
        json.dump(entry, handle, ensure_ascii=False, separators=(",", ":"))


def _any_marked_page(site_dir: str) -> bool:
    for folder, _, files in os.walk(site_dir):
        for name in files:
            if name.endswith(".html"):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as handle:
                    if "data-pagefind-body" in handle.read():
                        return True
    return False


def _setup_jinja(generator) -> None:
    generator.env.globals.update(activity_search_record=activity_search_record, page_search_record=page_search_record)


def register() -> None:
    signals.generator_init.connect(_setup_jinja)
    signals.finalized.connect(index_site)
