"""Pelican content classes for the site's own kinds, and reading their files through Pelican's readers and cache.

The facts live in the models (content/); Pelican's Content gives the Markdown rendering, `{filename}` links and
the content cache.
"""

from __future__ import annotations

import os
from pelican.contents import Content
from pelican.generators import CachingGenerator
from ..site import processes
from ..site.site import get_site
from ..content.memory import MISSING
from ..content.memory import current as current_memory
from ..content.source import file_stamp


class SiteContent(Content):
    """A content file (title, summary, body HTML) whose page is one of the site's kinds (site.py paths).

    The facts live in the models; Pelican's Content gives the Markdown rendering, `{filename}` links and
    the content cache.
    """

    mandatory_properties = ("title",)
    kind = ""

    @property
    def url(self) -> str:
        return get_site(self._context).url(self.lang, self.kind, slug=self.slug)

    @property
    def save_as(self) -> str:
        return get_site(self._context).save_as(self.url)


class ActivityContent(SiteContent):
    kind = "activity"
    allowed_statuses = ("scheduled", "cancelled", "draft")
    default_status = "scheduled"
    default_template = "activity"


def page_writer(generator, writer, lang: str, **common):
    """`write(kind, template, **values)`: one generated page of a kind (site.py paths) in `lang`, with its
    alternates in every site language; string values fill the URL pattern, all values go to the template."""
    site = get_site(generator.context)

    def write(kind: str, template: str, **values):
        page_values = {k: v for k, v in values.items() if isinstance(v, str)}
        url = site.url(lang, kind, **page_values)
        alternates = site.alternates(kind, **page_values)
        writer.page(generator, site.save_as(url), template, lang, url, alternates, **common, **values)
        former = site.former_url(lang, kind, **page_values)
        if former is not None:  # a published address keeps answering (site.FORMERLY_DEFAULT)
            # No alternates: the redirect page is no version of the page in any language.
            writer.page(generator, site.save_as(former), "redirect", lang, former, {}, in_sitemap=False, target=url)

    return write


class ContentGenerator(CachingGenerator):
    """A generator whose files are read by read_content: through the process's memory (the devserver keeps
    every content object it read while the file is unchanged), then Pelican's content cache, then the readers."""

    def __init__(self, *args, settings, **kwargs):
        if current_memory().recall(content_read(settings)) is True:
            # This process holds what it read (the devserver): Pelican's cache file is neither loaded nor written.
            settings = {**settings, "LOAD_CONTENT_CACHE": False, "CACHE_CONTENT": False}
        super().__init__(*args, settings=settings, **kwargs)


def content_read(settings: dict) -> tuple:
    """The memory's note that this process has read the content with these settings and this code."""
    return ("content-read", settings.get("HALSOLOTS_CODE_KEY"))


def _in_memory(generator, relative: str):
    """(key, stamp, content or None): the content object this process read from the file as it is now."""
    path = os.path.join(generator.path, relative)
    key = ("content", type(generator).__name__, path)
    # The code key names the settings and plugin code the object was read with.
    stamp = (file_stamp(path), generator.settings.get("HALSOLOTS_CODE_KEY"))
    content = current_memory().recall(key, stamp)
    return key, stamp, None if content is MISSING else content


def read_content(generator: CachingGenerator, relative: str, slug: str, content_class):
    """A content file read by Pelican's readers (through this process's and Pelican's caches), with the
    model's slug. Sets `generator.read_fresh` when a file had to be read."""
    key, stamp, content = _in_memory(generator, relative)
    prefetched = getattr(generator, "prefetched", {}).pop(relative, None)
    if content is None:
        content = prefetched or generator.get_cached_data(relative, None)
        if content is None or prefetched is not None:
            content = content or _read_file(generator, relative, content_class)
            generator.cache_data(relative, content)
            generator.read_fresh = True
        current_memory().keep(key, content, stamp)
    content._context = generator.context  # as rebind_contexts, already now: the model reads its HTML below
    content.slug = slug
    generator.add_source_path(content)
    return content


def rebind_contexts(generators) -> None:
    """all_generators_finalized: every content object (Pelican's pages and news too) that came from a cache
    keeps the context of the build that read it; links between files must resolve in this build's."""
    context = generators[0].context
    for content in context.get("generated_content", {}).values():
        content._context = context


def _read_file(generator, relative: str, content_class):
    return generator.readers.read_file(base_path=generator.path, path=relative, content_class=content_class,
                                       context=generator.context)


def prefetch(generator, files: list[tuple[str, type]]) -> None:
    """Read the files (relative path, content class) that no cache holds on both cores, before read_content
    asks for them one by one: Markdown is most of a cold build's reading."""
    missing = [(relative, content_class) for relative, content_class in files
               if _in_memory(generator, relative)[2] is None and generator.get_cached_data(relative, None) is None]

    def read(job):
        content = _read_file(generator, *job)
        content._context = None  # the build's whole context stays out of the pickle; read_content sets it
        return content

    generator.prefetched = dict(zip((relative for relative, _ in missing),
                                    processes.map_in_two(read, missing, generator.settings)))


def save_caches(generator: CachingGenerator) -> None:
    """Pelican writes its content cache whole: only when some file was read anew."""
    if getattr(generator, "read_fresh", False):
        generator.save_cache()
        generator.readers.save_cache()
