"""Hälsolots webb: Pelican plugin with the site's domain logic (activities, languages, feeds, checks).

The package is in layers, imports pointing one way: content ← site ← generators ← build ← commands
(docs/ARCHITECTURE.md). Pelican loads the plugin by this name and calls `register()` (build/plugin.py).
"""

from .build.plugin import register

__all__ = ["register"]
