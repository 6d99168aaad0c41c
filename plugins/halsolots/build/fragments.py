"""Fragments that many pages show, rendered once: the build's version of `fragment(macro, …)`.

An activity's summary appears on its district, group, category and theme pages and on every health page
and film that lists it: with thousands of activities that is activities × pages renders of the same HTML.
A component opts in by calling `fragment(_macro, arg, …)` (site/templates.py); the key is made here, never
by hand: the macro's name, the page's language and the fingerprints of the arguments (outputcache.py), on
top of the site key. Only a macro whose output depends on nothing but its arguments, the language and what
the whole site shares may be called this way (its name must be unique in the theme; tests/test_components.py
checks). A fragment is kept for the next builds among the output cache's memos, since its key names every input.
"""

from __future__ import annotations

import hashlib
import operator
import os
import sys

import jinja2
from jinja2 import BytecodeCache, FileSystemBytecodeCache
from markupsafe import Markup

from ..site import i18n, qr


class Fragments:
    """One build's fragments; `cache` is the build's OutputCache (its keys, and its memos: a fragment is kept for
    the next builds like any small derived value, so a listing rendered again after an edit, in the devserver or
    a second `make html`, shows the summaries of its other activities as they were)."""

    def __init__(self, cache):
        self.cache = cache
        # The same objects again (the build's activities, occurrences, terms live all build): found without
        # fingerprinting. The entry holds the arguments, so their ids cannot be reused meanwhile.
        self._seen: dict[tuple, tuple] = {}

    def __call__(self, macro, *args, **kwargs):
        lang = i18n.active_language()
        seen_key = (macro.name, lang, *map(id, args)) if not kwargs else None
        seen = self._seen.get(seen_key)
        if seen is not None and all(map(operator.is_, seen[0], args)):
            return seen[1]
        key = self.cache.key("fragment", macro.name, lang, args, kwargs)
        if key is None:  # an argument the fingerprint does not know: no sharing
            return macro(*args, **kwargs)
        # Kept as plain text: the memos are pickled after every build, and a str pickles several times faster
        # than a Markup.
        value = Markup(self.cache.memo(("fragment", key), lambda: str(macro(*args, **kwargs))))
        if seen_key is not None:
            self._seen[seen_key] = (args, value)
        return value


class _TemplateBytecode(FileSystemBytecodeCache):
    """Compiled templates kept in memory (each generator has its own Jinja environment, and the devserver builds
    again and again in one process) and in the cache folder, so a new process (a second `make html`, the
    devserver's first rebuild) does not compile them again. Jinja checks each entry against the template's source
    and writes the files atomically."""

    def __init__(self, directory: str | None):
        self._store: dict[str, bytes] = {}
        self._disk = directory is not None
        if self._disk:
            os.makedirs(directory, exist_ok=True)
            super().__init__(directory)

    def load_bytecode(self, bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)
        elif self._disk:
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()
        if self._disk:
            super().dump_bytecode(bucket)


def bytecode_cache(env, memory, cache_root: str | None = None) -> BytecodeCache:
    """One cache per way of compiling (the options and extensions that change the compiled code), kept in the
    build's memory (and within a build, shared by every generator's environment) and under `cache_root`."""
    signature = (tuple(sorted(env.extensions)), env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
                 env.newline_sequence, repr(env.autoescape), env.optimized, env.block_start_string,
                 env.variable_start_string, env.comment_start_string, env.line_statement_prefix,
                 sys.version_info[:2], jinja2.__version__)
    def make() -> _TemplateBytecode:
        name = hashlib.sha256(repr(signature).encode()).hexdigest()[:16]
        return _TemplateBytecode(os.path.join(cache_root, "templates", name) if cache_root else None)

    return memory.get(("bytecode", signature, cache_root), make)


def remembered_qr_codes(cache):
    """`qr_code(url, alt, size)` (site/qr.py) through the output cache's memos: a code is drawn once and kept
    between builds under its inputs (segno's version is in the site key). Drawing one takes milliseconds, and
    every listing page that is rendered again after an edit shows one."""

    def qr_code(url: str, alt: str, size: str = "medium") -> Markup:
        return Markup(cache.memo(("qr", url, alt, size), lambda: str(qr.qr_code(url, alt, size))))

    return qr_code
