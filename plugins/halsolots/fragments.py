"""Fragments that many pages show, rendered once per build.

An activity's summary appears on its district, group, category and theme pages and on every health page
and film that lists it: with thousands of activities that is activities × pages renders of the same HTML.
A fragment is rendered the first time and then reused, keyed by what it depends on (the active language
is always part of the key). Only cache a fragment whose output depends on nothing but its key.
"""

from __future__ import annotations

from . import i18n

_cache: dict[tuple, object] = {}


def clear(*_args) -> None:
    """Start every build (also the devserver's rebuilds in one process) with an empty cache."""
    _cache.clear()


def render_once(key: tuple, macro, *args, **kwargs):
    """`macro(*args, **kwargs)`, rendered once per build for each `key` and language."""
    full_key = (i18n.active_language(), *key)
    if full_key not in _cache:
        _cache[full_key] = macro(*args, **kwargs)
    return _cache[full_key]
