"""The Pagefind index of every build, over the folder the build has just written; Pagefind splits the index
by `<html lang>`, so each language searches its own pages.
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
import cbor2
from ..site.site import SEARCH_FOLDER  # the folder of the index in the output


log = logging.getLogger(__name__)




ROOT_SELECTOR = "main[data-pagefind-body]"


class SearchIndexError(Exception):
    pass


def index_site(pelican, cache=None) -> None:
    """Run Pagefind over the folder Pelican has just written (the atomic build's staging folder).

    When every page is the same as in the previous build (outputcache.py), its index is linked instead.
    SEARCH_INDEX = "later" (the devserver) links the previous index whatever changed and leaves the new
    one to `index_later`, so a preview is not held up by the index."""
    mode = pelican.settings.get("SEARCH_INDEX", True)
    if not mode:
        return
    pages = cache.pages_key() if cache is not None else None
    if cache is not None:
        if mode == "later" and cache.link_tree(SEARCH_FOLDER):
            return
        # Only the previous output's own index: one made earlier for the same pages is not the one linked.
        if pages is not None and cache.index_matches(pages) and cache.link_tree(SEARCH_FOLDER):
            cache.indexed(pages)
            return
    run_pagefind(pelican.output_path, os.path.join(pelican.output_path, SEARCH_FOLDER))
    if pages is not None:
        cache.indexed(pages)


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
