"""The plugin as Pelican sees it: its generators and the signal handlers, all connected in `register()`.

Pelican's output loop runs its own generators (news, pages) first, then these in this order, then the static
files. `OutputProcesses` is first of them so the second output process starts before any of them writes
(parallel.py).
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.generators import Generator

from ..content.settings import site_languages
from ..generators import eventdata, search
from ..generators.activities import ActivityGenerator
from ..generators.assets import AssetGenerator
from ..generators.export import ExportGenerator
from ..generators.feeds import FeedGenerator
from ..generators.finder import FinderGenerator
from ..generators.library import LibraryGenerator
from ..generators.news import NewsGenerator
from ..generators.printed import PrintGenerator
from ..generators.production import ProductionGenerator
from ..generators.referral import ReferralGenerator
from ..generators.search import SearchGenerator
from ..generators.venues import VenueGenerator
from ..site import i18n
from ..site.tokens import site_tokens
from ..site.safety import clean_content
from ..site.templates import configure
from . import run

GENERATORS = (ActivityGenerator, LibraryGenerator, NewsGenerator, AssetGenerator, FeedGenerator, ExportGenerator,
              ProductionGenerator, SearchGenerator, ReferralGenerator, PrintGenerator, VenueGenerator,
              FinderGenerator)


class OutputProcesses(Generator):
    """Starts the second output process as the output phase begins (parallel.py)."""

    def generate_output(self, writer):
        run.active().start_output_processes(writer)


def _get_generators(pelican):
    return [OutputProcesses, *GENERATORS]


def _load_catalogues(pelican):
    settings = pelican.settings
    i18n.load_catalogues(os.path.join(settings["THEME"], "translations"), site_languages(settings),
                         settings.get("SITE_TRANSLATIONS"))
    if settings.get("DESIGN_TOKENS"):
        site_tokens(settings["THEME"], settings)  # a site's colours with too little contrast stop the build here


def _setup_jinja(generator):
    configure(generator.env, generator.theme, generator.settings)


def _context_ready(generators):
    run.active().context_ready(generators, [g for g in generators if isinstance(g, GENERATORS)])


def register():
    signals.initialized.connect(_load_catalogues)
    signals.generator_init.connect(_setup_jinja)
    signals.get_generators.connect(_get_generators)
    signals.all_generators_finalized.connect(_context_ready)
    search.register()  # search page filters (Jinja globals)
    eventdata.register()  # activity pages' schema.org Event data (a Jinja global)
    signals.content_object_init.connect(clean_content)  # every content kind: raw HTML in Markdown is cleaned
    run.connect(signals)
