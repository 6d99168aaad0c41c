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
from ..site.site import get_site, nginx_variable


log = logging.getLogger(__name__)


def absolute_base(settings: dict) -> str:
    """SITEURL when it is an absolute address (production), else '' (local previews)."""
    siteurl = (settings.get("SITEURL") or "").rstrip("/")
    return siteurl if siteurl.startswith(("https://", "http://")) else ""


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
    # The open data may be read by web tools on other sites (api/ in every language).
    for prefix in ("", *(f"{lang}/" for lang in site_languages(settings)[1:])):
        lines += ["", f"/{prefix}api/*", "  Access-Control-Allow-Origin: *"]
    return "\n".join(lines) + "\n"


# One year: browsers then use https only for the host; sent only by production builds (an https SITEURL).
HSTS = "max-age=31536000"


def nginx_headers(settings: dict) -> str:
    """`nginx-headers.conf`: the `_headers` security headers as nginx `add_header` lines (plus HSTS for an https
    SITEURL), included by deploy/nginx/halsolots.conf, so the server and the headers file cannot drift."""
    headers = dict(security_headers(settings))
    if absolute_base(settings).startswith("https://"):
        headers["Strict-Transport-Security"] = HSTS
    lines = ["# Written by the build from safety.security_headers, like _headers: do not edit. nginx reads it when",
             "# it (re)loads its configuration (deploy/nginx/halsolots.conf includes it); never served."]
    for name, value in headers.items():
        if any(char in value for char in '"\\$\n{}'):
            raise ValueError(f"{name}: {value!r} cannot be written as an nginx add_header value")
        lines.append(f'add_header {name} "{value}" always;')
    # The finder's form without JavaScript: to the static page of the choice (nginx-finder.conf's map, in the http
    # block); a host without this rule shows the finder's page, which links to those pages.
    finder = nginx_variable(settings, "finder")
    # It answers before the server block's `set` lines run: the redirect's own cache and CORS values.
    lines += [f"if (${finder}) {{", '    set $halsolots_cache "no-cache";', '    set $halsolots_cors "";',
              f"    return 303 ${finder};", "}"]
    return "\n".join(lines) + "\n"


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


class ProductionGenerator(Generator):
    """404 page in each language, robots.txt, the headers file and (when configured) security.txt."""

    def generate_output(self, writer):
        site = get_site(self.context)
        alternates = {lang: site.prefix(lang) + "404.html" for lang in site.languages}
        for lang in writer.languages:
            writer.page(self, alternates[lang], "404", lang, alternates[lang], alternates, in_sitemap=False)
        settings = self.settings
        # Made from the settings alone (in the site key): values () lets the build reuse them.
        writer.file("robots.txt", None, lambda: robots_txt(settings), values=())
        writer.file("_headers", None, lambda: headers_file(settings), values=())
        writer.file("nginx-headers.conf", None, lambda: nginx_headers(settings), values=())
        if settings.get("SECURITY_CONTACT"):
            expires = datetime.fromisoformat(str(settings["SECURITY_EXPIRES"]).replace("Z", "+00:00"))
            if expires.date() <= site.today and writer.writes_shared():
                log.warning("SECURITY_EXPIRES (%s) has passed: set a new date in publishconf.py", expires.date())
            writer.file(os.path.join(".well-known", "security.txt"), None, lambda: security_txt(settings), values=())


def write_sitemap(settings: dict, output_path: str, pages: dict[str, dict[str, str]]) -> None:
    """The sitemap lists every page written (page URL → alternates), so it is written after all of them."""
    if not absolute_base(settings):
        return  # a sitemap needs absolute addresses; local previews have none
    _write(os.path.join(output_path, "sitemap.xml"), sitemap_xml(settings, pages, site_languages(settings)[0]))
