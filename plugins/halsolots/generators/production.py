"""What a public site needs beside its pages: 404 pages, robots.txt, security.txt, the headers file and the
sitemap. Everything is derived from settings and the pages written in this build, never from the clock, so two
builds of one commit are byte-identical.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from urllib.parse import quote
from xml.sax.saxutils import quoteattr, escape
from pelican.generators import Generator
from ..site.safety import security_headers
from ..content.settings import site_languages
from ..site.site import get_site


log = logging.getLogger(__name__)


# Pelican gives the writer and the `finalized` signal the same settings dict (not the generators' context),
# so the writer notes each page there and the sitemap is written once every generator has finished.
_PAGES = "_HALSOLOTS_WRITTEN_PAGES"


def absolute_base(settings: dict) -> str:
    """SITEURL when it is an absolute address (production), else '' (local previews)."""
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    return siteurl if siteurl.startswith(("https://", "http://")) else ""


def record_page(settings: dict, page_url: str, alternates: dict[str, str], context: dict) -> None:
    """Called by the writer for every HTML page it writes; drafts and pages opted out are left out."""
    if context.get("in_sitemap") is False or page_url is None:
        return
    for key in ("article", "page", "activity"):
        item = context.get(key)
        if item is not None and (getattr(item, "status", "") == "draft" or getattr(item, "draft", False) is True):
            return
    settings.setdefault(_PAGES, {})[page_url] = dict(alternates)


def _url(base: str, path: str) -> str:
    return f"{base}/{quote(path, safe='/:#?=&%~')}"


def sitemap_xml(settings: dict, pages: dict[str, dict[str, str]], default_lang: str) -> str:
    """sitemap.xml with hreflang alternates; no lastmod (a build date would change every build)."""
    base = absolute_base(settings)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for page_url in sorted(pages):
        lines.append(f"<url><loc>{escape(_url(base, page_url))}</loc>")
        alternates = pages[page_url]
        if len(alternates) > 1:
            links = sorted(alternates.items())
            if default_lang in alternates:
                links.append(("x-default", alternates[default_lang]))
            for code, url in links:
                lines.append(f'<xhtml:link rel="alternate" hreflang={quoteattr(code)} href={quoteattr(_url(base, url))}/>')
        lines.append("</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(settings: dict) -> str:
    base = absolute_base(settings)
    text = "User-agent: *\nDisallow:\n"
    return text + (f"\nSitemap: {base}/sitemap.xml\n" if base else "")


def security_txt(settings: dict) -> str:
    """RFC 9116. Expires is a setting, not "now + a year", so the file does not change from build to build."""
    base = absolute_base(settings)
    lines = [f"Contact: {contact}" for contact in settings["SECURITY_CONTACT"]]
    lines.append(f"Expires: {settings['SECURITY_EXPIRES']}")
    lines.append(f"Preferred-Languages: {', '.join(site_languages(settings))}")
    if base:
        lines.append(f"Canonical: {base}/.well-known/security.txt")
    if settings.get("SECURITY_POLICY"):
        lines.append(f"Policy: {settings['SECURITY_POLICY']}")
    return "\n".join(lines) + "\n"


def headers_file(settings: dict) -> str:
    """Netlify/Cloudflare Pages `_headers`: the same security headers on every path; calendars as text/calendar."""
    lines = ["/*"] + [f"  {name}: {value}" for name, value in security_headers(settings).items()]
    # Calendar apps reject feeds served as text/plain or application/octet-stream.
    lines += ["", "/*.ics", "  Content-Type: text/calendar; charset=utf-8"]
    return "\n".join(lines) + "\n"


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


class ProductionGenerator(Generator):
    """404 page in each language, robots.txt, the headers file and (when configured) security.txt."""

    def generate_output(self, writer):
        site = get_site(self.context)
        template = self.get_template("404")
        alternates = {lang: site.prefix(lang) + "404.html" for lang in site.languages}
        for lang in site.languages:
            writer.write_file(alternates[lang], template, self.context, lang=lang, page_url=alternates[lang],
                              alternates=alternates, relative_urls=False, in_sitemap=False)
        _write(os.path.join(self.output_path, "robots.txt"), robots_txt(self.settings))
        _write(os.path.join(self.output_path, "_headers"), headers_file(self.settings))
        if self.settings.get("SECURITY_CONTACT"):
            expires = datetime.fromisoformat(str(self.settings["SECURITY_EXPIRES"]).replace("Z", "+00:00"))
            if expires.date() <= site.today:
                log.warning("SECURITY_EXPIRES (%s) has passed: set a new date in publishconf.py", expires.date())
            _write(os.path.join(self.output_path, ".well-known", "security.txt"), security_txt(self.settings))


def write_sitemap(pelican) -> None:
    """finalized handler: the sitemap lists every page written, so it is written after all generators."""
    settings = pelican.settings
    pages = settings.pop(_PAGES, {})
    if not absolute_base(settings):
        return  # a sitemap needs absolute addresses; local previews have none
    _write(os.path.join(pelican.output_path, "sitemap.xml"), sitemap_xml(settings, pages, site_languages(settings)[0]))
