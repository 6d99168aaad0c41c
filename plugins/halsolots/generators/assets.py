"""Bundles the theme's base stylesheet and every component's style.css into one site.css.

Components keep their styles beside their macros (theme/components/<name>/), as GOV.UK Frontend does; the
site still loads a single stylesheet. Sorted order keeps the bundle byte-identical between builds.
"""

from __future__ import annotations

import glob
import os

from pelican.generators import Generator

from ..site.tokens import tokens_css


def component_folders(theme: str) -> list[str]:
    return sorted(glob.glob(os.path.join(theme, "components", "*", "")))


def bundle_css(theme: str, settings: dict | None = None) -> str:
    parts = [os.path.join(theme, "static", "css", "base.css")]
    parts += [os.path.join(folder, "style.css") for folder in component_folders(theme)]
    chunks = []
    for path in parts:
        if os.path.exists(path):
            with open(path, encoding="utf-8") as handle:
                name = os.path.relpath(path, theme)
                chunks.append(f"/* {name} */\n{handle.read().strip()}\n")
    own = tokens_css(theme, settings or {})
    if own:  # the site's colours last, over the theme's :root
        chunks.append(own)
    return "\n".join(chunks)


class AssetGenerator(Generator):
    def generate_output(self, writer):
        theme = self.theme  # in the site key: the bundle is reused while no theme file changes
        tokens = {"DESIGN_TOKENS": self.settings.get("DESIGN_TOKENS"),  # so are the settings
                  "SITE_SETTINGS_FILE": self.settings.get("SITE_SETTINGS_FILE")}
        writer.file(os.path.join("theme", "css", "site.css"), None, lambda: bundle_css(theme, tokens), values=())
