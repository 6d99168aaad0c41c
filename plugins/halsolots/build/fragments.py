"""Fragments that many pages show, rendered once per build.

An activity's summary appears on its district, group, category and theme pages and on every health page
and film that lists it: with thousands of activities that is activities × pages renders of the same HTML.
A fragment is rendered the first time and then reused, keyed by what it depends on (the active language
is always part of the key). Only cache a fragment whose output depends on nothing but its key and its
arguments. When the output cache (outputcache.py) can fingerprint the arguments, the fragment is also kept
for the next build in this process (the devserver), since the key then names every input.
"""

from __future__ import annotations

from jinja2 import BytecodeCache

from ..site import i18n
from . import outputcache

_cache: dict[tuple, object] = {}  # this build
_kept: dict[str, tuple[object, int]] = {}  # by output-cache key: (fragment, number of the build that last used it)
_fresh: set[str] = set()  # kept keys rendered in this build
_build = [0]


def clear(*_args) -> None:
    """Start every build (also the devserver's rebuilds in one process): fingerprinted fragments stay for
    MEMO_BUILDS builds after their last use (a page that was linked does not use its fragments)."""
    _cache.clear()
    _fresh.clear()
    _build[0] += 1
    oldest = _build[0] - outputcache.MEMO_BUILDS
    for key in [key for key, (_, used) in _kept.items() if used <= oldest]:
        del _kept[key]


def render_once(key: tuple, macro, *args, **kwargs):
    """`macro(*args, **kwargs)`, rendered once per build for each `key` and language."""
    full_key = (i18n.active_language(), *key)
    if full_key in _cache:
        return _cache[full_key]
    cache = outputcache.current
    kept_key = cache.key("fragment", full_key, args, kwargs) if cache is not None else None
    if kept_key is not None and kept_key in _kept:
        value = _kept[kept_key][0]
        _kept[kept_key] = (value, _build[0])
    else:
        value = macro(*args, **kwargs)
        if kept_key is not None:
            _kept[kept_key] = (value, _build[0])
            _fresh.add(kept_key)
    _cache[full_key] = value
    return value


def report() -> dict:
    """What the other output process needs to keep this process's fragments for the next build."""
    return {"fresh": {key: _kept[key] for key in _fresh},
            "used": [key for key, (_, used) in _kept.items() if used == _build[0] and key not in _fresh]}


def merge(report: dict) -> None:
    _kept.update(report["fresh"])
    for key in report["used"]:
        if key in _kept:
            _kept[key] = (_kept[key][0], _build[0])


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


_bytecode: dict[tuple, _MemoryBytecodeCache] = {}


def bytecode_cache(env) -> BytecodeCache:
    """One cache per way of compiling (the options and extensions that change the compiled code)."""
    signature = (tuple(sorted(env.extensions)), env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline,
                 env.newline_sequence, repr(env.autoescape), env.optimized, env.block_start_string,
                 env.variable_start_string, env.comment_start_string, env.line_statement_prefix)
    return _bytecode.setdefault(signature, _MemoryBytecodeCache())
