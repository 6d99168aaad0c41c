"""Fragments that many pages show, rendered once per build: the build's version of `fragment(macro, …)`.

An activity's summary appears on its district, group, category and theme pages and on every health page
and film that lists it: with thousands of activities that is activities × pages renders of the same HTML.
A component opts in by calling `fragment(_macro, arg, …)` (site/templates.py); the key is made here, never
by hand: the macro's name, the page's language and the fingerprints of the arguments (outputcache.py), on
top of the site key. Only a macro whose output depends on nothing but its arguments, the language and what
the whole site shares may be called this way (its name must be unique in the theme; tests/test_components.py
checks). A fragment is kept for the next build in the devserver's memory, since its key names every input.
"""

from __future__ import annotations

import operator

from jinja2 import BytecodeCache
from markupsafe import Markup

from ..content.memory import MISSING
from ..content.memory import current as current_memory
from ..site import i18n, qr


class Fragments:
    """One build's fragments; `cache` is the build's OutputCache (its keys). With `keep`, fragments are kept in
    the process's memory for its next build (the devserver)."""

    def __init__(self, cache, keep: bool = False):
        self.cache = cache
        self.keep = keep and cache.enabled
        self._built: dict[str, object] = {}
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
        value = self._built.get(key)
        if value is None:
            memory = current_memory()
            value = memory.recall(("fragment", key)) if self.keep else MISSING
            if value is MISSING:
                value = macro(*args, **kwargs)
                if self.keep:
                    memory.keep(("fragment", key), value)
            self._built[key] = value
        if seen_key is not None:
            self._seen[seen_key] = (args, value)
        return value


class _MemoryBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory: each generator has its own Jinja environment, and the devserver
    builds again and again in one process. Jinja checks each entry against the template's source."""

    def __init__(self):
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        data = self._store.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


def bytecode_cache(env, memory) -> BytecodeCache:
    """One cache per way of compiling (the options and extensions that change the compiled code), kept in the
    build's memory (and within a build, shared by every generator's environment)."""
    signature = (tuple(sorted(env.extensions)), env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
                 env.newline_sequence, repr(env.autoescape), env.optimized, env.block_start_string,
                 env.variable_start_string, env.comment_start_string, env.line_statement_prefix)
    found = memory.recall(("bytecode", signature))
    return memory.keep(("bytecode", signature), _MemoryBytecodeCache()) if found is MISSING else found


def remembered_qr_codes(cache):
    """`qr_code(url, alt, size)` (site/qr.py) through the output cache's memos: a code is drawn once and kept
    between builds under its inputs (segno's version is in the site key). Drawing one takes milliseconds, and
    every listing page that is rendered again after an edit shows one."""

    def qr_code(url: str, alt: str, size: str = "medium") -> Markup:
        return Markup(cache.memo(("qr", url, alt, size), lambda: str(qr.qr_code(url, alt, size))))

    return qr_code
