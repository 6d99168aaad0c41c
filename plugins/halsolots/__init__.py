"""Hälsolots webb: Pelican plugin with the site's domain logic (activities, languages, feeds, checks)."""

from __future__ import annotations

import os

from pelican import signals

from jinja2 import FileSystemLoader

from .build import fragments
from .site import i18n
from .build import outputcache
from .build import parallel
from .generators.assets import AssetGenerator
from .generators.export import ExportGenerator
from .generators.activities import ActivityGenerator
from .generators.contents import rebind_contexts
from .generators.feeds import FeedGenerator
from .generators.news import NewsGenerator
from .generators.library import LibraryGenerator
from .generators.production import ProductionGenerator, write_sitemap
from .site.safety import clean_content, content_security_policy
from .generators import search
from .build.searchindex import index_site
from .generators.search import SearchGenerator
from .content.settings import site_languages
from .site.site import template_url
from .generators.writer import LocalisedWriter


def _setup_jinja(generator):
    """Give every generator's Jinja environment gettext (per-page language) and the Babel filters."""
    env = generator.env
    # Components (theme/components/<name>/macro.html) are imported by their folder name.
    env.loader.loaders.append(FileSystemLoader(os.path.join(generator.theme, "components")))
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True,
                                  pgettext=i18n.pgettext, npgettext=i18n.npgettext)
    env.globals.update(i18n.template_gettext_globals())
    helpers = i18n.jinja_helpers()
    env.filters.update(helpers["filters"])
    env.globals.update(helpers["globals"])
    env.globals["render_once"] = fragments.render_once
    env.globals["url"] = template_url  # url(kind, **values): where each kind of page lives (site.DEFAULT_PATHS)
    env.bytecode_cache = fragments.bytecode_cache(env)


def _load_catalogues(pelican):
    settings = pelican.settings
    i18n.load_catalogues(os.path.join(settings["THEME"], "translations"), site_languages(settings))


def _get_generators(pelican):
    return [ActivityGenerator, LibraryGenerator, NewsGenerator, AssetGenerator, FeedGenerator, ExportGenerator,
            ProductionGenerator,
            SearchGenerator]


def _setup_csp(generator):
    generator.env.globals["content_security_policy"] = content_security_policy(generator.settings, for_meta=True)


def _get_writer(pelican):
    parallel.start(pelican)  # every generate_context has run: fork the output processes here
    return LocalisedWriter


def register():
    # First on finalized: the output processes join before the sitemap and search index read the output.
    signals.finalized.connect(parallel.finish)
    signals.all_generators_finalized.connect(rebind_contexts)
    signals.all_generators_finalized.connect(outputcache.prepare)  # before the fork: digests computed once
    signals.all_generators_finalized.connect(parallel.remember_generators)
    signals.initialized.connect(_load_catalogues)
    signals.initialized.connect(fragments.clear)  # shared fragments are rendered once per build
    signals.generator_init.connect(_setup_jinja)
    signals.get_generators.connect(_get_generators)
    signals.get_writer.connect(_get_writer)
    search.register()  # search page filters (Jinja globals)
    signals.finalized.connect(index_site)  # the Pagefind index after every build
    signals.generator_init.connect(_setup_csp)
    signals.content_object_init.connect(clean_content)  # every content kind: raw HTML in Markdown is cleaned
    signals.finalized.connect(write_sitemap)
